#include "router.h"

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

void Router::add(Method method, const QString &pattern, Handler handler)
{
    m_routes.append(Route { method, pattern, splitPath(pattern), std::move(handler) });
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
