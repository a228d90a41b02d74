#pragma once

#include "httpreply.h"
#include "requestcontext.h"

#include <QHttpServerRequest>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

// The table of routes: a method and a path pattern ("/api/v1/tasks/{id}/cancel", "{name}"
// matches one non-empty segment) to a handler. It tells 404 (no such path) from 405 (path
// known, method not) and exposes the table so a test can hold it against the OpenAPI document.
class Router final
{
public:
    using Handler = std::function<HttpReply(RequestContext &)>;
    using Method = QHttpServerRequest::Method;

    struct Route
    {
        Method method;
        QString pattern;
        QStringList segments;
        Handler handler;
    };

    struct Match
    {
        const Route *route = nullptr;
        QHash<QString, QString> args;
        QList<Method> allowed; // methods of the routes whose pattern matched the path
    };

    void add(Method method, const QString &pattern, Handler handler);
    Match match(Method method, const QString &path) const;
    const QList<Route> &routes() const { return m_routes; }

    static QByteArray methodName(Method method); // "GET"

private:
    static bool matchPath(const Route &route, const QStringList &segments,
                          QHash<QString, QString> *args);

    QList<Route> m_routes;
};
