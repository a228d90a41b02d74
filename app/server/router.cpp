#include "router.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace {
QStringList splitPath(const QString &path)
{
    // "/" -> [""], "/a/b" -> ["a", "b"]; a trailing slash is a different path.
    QStringList parts = path.split(u'/');
    if (!parts.isEmpty() && parts.first().isEmpty())
        parts.removeFirst();
    return parts;
}
} // namespace

void Router::add(Method method, const QString &pattern, Handler handler, RouteRules rules)
{
    m_routes.append(
        Route { method, pattern, splitPath(pattern), std::move(handler), rules, {}, {} });
}

void Router::addWebSocket(const QString &pattern, Handler handler, Handler upgrade,
                          SocketHandler accept, RouteRules rules)
{
    rules.webSocket = true;
    m_routes.append(Route { Method::Get, pattern, splitPath(pattern), std::move(handler), rules,
                            std::move(upgrade), std::move(accept) });
}

void Router::runOnEngineThread(qsizetype from)
{
    for (qsizetype i = from; i < m_routes.size(); ++i)
        m_routes[i].rules.engineThread = true;
}

RouteRules Router::rules(Method method, const QString &path) const
{
    const QStringList segments = splitPath(path);
    const Route *samePath = nullptr;
    for (const Route &route : m_routes) {
        QHash<QString, QString> args;
        if (!matchPath(route, segments, &args))
            continue;
        if (route.method == method)
            return route.rules;
        if (!samePath)
            samePath = &route;
    }
    if (samePath)
        return samePath->rules;
    // Not a route: a file of the page (or nothing), answered as a page; the API's namespace
    // answers in JSON even where nothing is.
    return path.startsWith(u"/api/") ? RouteRules() : RouteRules::page();
}

RouteRules Router::rules(QByteArrayView method, QByteArrayView path) const
{
    const std::optional<Method> m = methodFromName(method);
    // The guard sees the raw target: the same decoding as QUrl::path() gives the front door.
    const QString decoded = QUrl::fromPercentEncoding(path.toByteArray());
    return rules(m.value_or(Method::Unknown), decoded);
}

std::optional<Router::Method> Router::methodFromName(QByteArrayView name)
{
    for (const Method m : { Method::Get, Method::Put, Method::Delete, Method::Post, Method::Head,
                            Method::Options, Method::Patch, Method::Connect, Method::Trace }) {
        if (methodName(m) == name)
            return m;
    }
    return std::nullopt;
}

bool Router::matchPath(const Route &route, const QStringList &segments,
                       QHash<QString, QString> *args)
{
    if (route.segments.size() != segments.size())
        return false;
    for (qsizetype i = 0; i < segments.size(); ++i) {
        const QString &want = route.segments.at(i);
        if (want.startsWith(u'{') && want.endsWith(u'}')) {
            if (segments.at(i).isEmpty())
                return false;
            args->insert(want.mid(1, want.size() - 2), segments.at(i));
        } else if (want != segments.at(i)) {
            return false;
        }
    }
    return true;
}

Router::Match Router::match(Method method, const QString &path) const
{
    Match result;
    const QStringList segments = splitPath(path);
    for (const Route &route : m_routes) {
        QHash<QString, QString> args;
        if (!matchPath(route, segments, &args))
            continue;
        if (!result.allowed.contains(route.method))
            result.allowed.append(route.method);
        if (route.method == method && !result.route) {
            result.route = &route;
            result.args = std::move(args);
        }
    }
    return result;
}

QByteArray Router::methodName(Method method)
{
    switch (method) {
    case Method::Get:
        return "GET";
    case Method::Put:
        return "PUT";
    case Method::Delete:
        return "DELETE";
    case Method::Post:
        return "POST";
    case Method::Head:
        return "HEAD";
    case Method::Options:
        return "OPTIONS";
    case Method::Patch:
        return "PATCH";
    case Method::Connect:
        return "CONNECT";
    case Method::Trace:
        return "TRACE";
    default:
        return "UNKNOWN";
    }
}
