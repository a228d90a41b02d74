#include "httpreply.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeDatabase>

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
    return from(ApiError { status, code, message, fields });
}

HttpReply HttpReply::from(const ApiError &error)
{
    return json(QJsonObject { { u"error"_s, error.toJson() } }, error.status);
}

HttpReply HttpReply::fromEngineError(const EngineError &error)
{
    return from(ApiError::fromEngineError(error));
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

QByteArray HttpReply::contentTypeFor(const QString &fileName)
{
    // By the name only: what is served is Headway's own files, never sniffed content.
    const QMimeType type = QMimeDatabase().mimeTypeForFile(fileName, QMimeDatabase::MatchExtension);
    QByteArray name = type.name().toLatin1();
    if (type.inherits(u"text/plain"_s))
        name += "; charset=utf-8";
    return name;
}
