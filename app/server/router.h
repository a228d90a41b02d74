#pragma once

#include "httpreply.h"
#include "requestcontext.h"
#include "routerules.h"

#include <QHttpServerRequest>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

// The table of routes: a method and a path pattern ("/api/v1/tasks/{id}/cancel", "{name}"
// matches one non-empty segment) to a handler and the route's rules (access, body limit, error
// style, origin rule, WebSocket). It tells 404 (no such path) from 405 (path known, method
// not), gives the front door and the transport guard each request's rules, and exposes the
// table so a test can hold it against the OpenAPI document.
class QWebSocket;

class Router final
{
public:
    using Handler = std::function<HttpReply(RequestContext &)>;
    // Takes a WebSocket whose upgrade the route's upgrade handler accepted.
    using SocketHandler = std::function<void(std::unique_ptr<QWebSocket>)>;
    using Method = QHttpServerRequest::Method;

    struct Route
    {
        Method method;
        QString pattern;
        QStringList segments;
        Handler handler;
        RouteRules rules;
        Handler upgrade; // a WebSocket route: answers the upgrade (HttpReply::taken() accepts)
        SocketHandler accept; // ... and takes the socket once Qt has done the handshake
    };

    struct Match
    {
        const Route *route = nullptr;
        QHash<QString, QString> args;
        QList<Method> allowed; // methods of the routes whose pattern matched the path
    };

    void add(Method method, const QString &pattern, Handler handler, RouteRules rules = {});
    // A GET route that may also upgrade to a WebSocket: `handler` answers a plain GET.
    void addWebSocket(const QString &pattern, Handler handler, Handler upgrade,
                      SocketHandler accept, RouteRules rules = {});
    Match match(Method method, const QString &path) const;
    // The rules for a request: its route's; for a path known with another method (405) the
    // rules of a route on that path; for an unknown path (404, or a file of the page) a page's
    // rules, JSON errors under /api/.
    RouteRules rules(Method method, const QString &path) const;
    // The same from the transport guard's view of a request head ("PATCH", raw path).
    RouteRules rules(QByteArrayView method, QByteArrayView path) const;
    static std::optional<Method> methodFromName(QByteArrayView name);
    const QList<Route> &routes() const { return m_routes; }
    // Marks the routes added since the table had `from` routes RouteRules::engineThread.
    void runOnEngineThread(qsizetype from);

    static QByteArray methodName(Method method); // "GET"

private:
    static bool matchPath(const Route &route, const QStringList &segments,
                          QHash<QString, QString> *args);

    QList<Route> m_routes;
};
