#pragma once

#include "app/core/engineerror.h"
#include "app/server/apierror.h"

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <utility>

// One HTTP answer as data: status, extra headers and body. Route handlers return it and the
// server writes it in one place, adding the security headers every response carries.
struct HttpReply
{
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    // The handler took the connection over (WebSocket upgrade, event stream): write nothing.
    bool deferred = false;

    HttpReply &withHeader(const QByteArray &name, const QByteArray &value);
    QByteArray header(const QByteArray &name) const;

    static HttpReply json(const QJsonValue &value, int status = 200);
    // {"error": {"code", "message"[, "fields": [{"field", "message"}]]}}
    static HttpReply error(int status, const QString &code, const QString &message,
                           const QList<FieldError> &fields = {});
    static HttpReply from(const ApiError &error);
    static HttpReply fromEngineError(const EngineError &error);
    static HttpReply html(const QByteArray &body, int status = 200);
    static HttpReply redirect(const QByteArray &location, int status = 303);
    static HttpReply taken();
    // The Content-Type of a file by its name, from the system's MIME database
    // (shared-mime-info); text types in UTF-8, unknown ones application/octet-stream.
    static QByteArray contentTypeFor(const QString &fileName);
};
