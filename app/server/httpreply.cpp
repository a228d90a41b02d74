#include "httpreply.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

HttpReply &HttpReply::withHeader(const QByteArray &name, const QByteArray &value)
{
    headers.append({ name, value });
    return *this;
}

QByteArray HttpReply::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

HttpReply HttpReply::json(const QJsonValue &value, int status)
{
    HttpReply reply;
    reply.status = status;
    if (value.isObject())
        reply.body = QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    else if (value.isArray())
        reply.body = QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    else
        reply.body
            = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact).mid(1).chopped(1);
    reply.headers.append(std::pair<QByteArray, QByteArray>("Content-Type", "application/json"));
    return reply;
}

HttpReply HttpReply::error(int status, const QString &code, const QString &message,
                           const QList<FieldError> &fields)
{
    QJsonObject error { { u"code"_s, code }, { u"message"_s, message } };
    if (!fields.isEmpty()) {
        QJsonArray list;
        for (const FieldError &f : fields)
            list.append(QJsonObject { { u"field"_s, f.field }, { u"message"_s, f.message } });
        error.insert(u"fields"_s, list);
    }
    return json(QJsonObject { { u"error"_s, error } }, status);
}

HttpReply HttpReply::fromEngineError(const EngineError &error)
{
    int status = 400;
    if (error.code == u"not_found")
        status = 404;
    else if (error.code == u"invalid_transition" || error.code == u"not_finished")
        status = 409;
    return HttpReply::error(status, error.code, error.message, error.fields);
}

HttpReply HttpReply::html(const QByteArray &body, int status)
{
    HttpReply reply;
    reply.status = status;
    reply.body = body;
    reply.headers.append(
        std::pair<QByteArray, QByteArray>("Content-Type", "text/html; charset=utf-8"));
    return reply;
}

HttpReply HttpReply::redirect(const QByteArray &location, int status)
{
    HttpReply reply;
    reply.status = status;
    reply.headers.append(std::pair<QByteArray, QByteArray>("Location", location));
    return reply;
}

HttpReply HttpReply::taken()
{
    HttpReply reply;
    reply.deferred = true;
    return reply;
}
