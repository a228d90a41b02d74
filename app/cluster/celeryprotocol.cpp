#include "celeryprotocol.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("CeleryProtocol", text);
}

QString newUuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}
} // namespace

std::optional<CeleryProtocol::RedisAddress> CeleryProtocol::parseRedisUrl(const QUrl &url,
                                                                          QString *error)
{
    if (!url.isValid() || url.scheme() != u"redis" || url.host().isEmpty()) {
        if (error)
            *error = tr("Expected a Redis URL like redis://localhost:6379/0, got \"%1\".")
                         .arg(url.toString());
        return std::nullopt;
    }
    RedisAddress a;
    a.host = url.host();
    const int port = url.port(6379);
    if (port <= 0 || port > 65535) {
        if (error)
            *error = tr("Invalid Redis port in \"%1\".").arg(url.toString());
        return std::nullopt;
    }
    a.port = quint16(port);
    QString path = url.path();
    while (path.startsWith(u'/'))
        path.remove(0, 1);
    if (!path.isEmpty()) {
        bool ok = false;
        a.db = path.toInt(&ok);
        if (!ok || a.db < 0) {
            if (error)
                *error = tr("Invalid Redis database \"%1\" in \"%2\": expected a number.")
                             .arg(path, url.toString());
            return std::nullopt;
        }
    }
    a.password = url.password();
    return a;
}

QString CeleryProtocol::isoTime(const QDateTime &utc)
{
    // Celery's parser wants an explicit offset; microseconds as Python writes them.
    return utc.toUTC().toString(u"yyyy-MM-ddTHH:mm:ss.zzz000"_s) + u"+00:00"_s;
}

QString CeleryProtocol::repr(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return u"None"_s;
    case QJsonValue::Bool:
        return value.toBool() ? u"True"_s : u"False"_s;
    case QJsonValue::Double: {
        const double d = value.toDouble();
        // Range first: qint64() of 1e300 is undefined behaviour (found by tests/fuzz).
        if (qAbs(d) < 1e15 && d == double(qint64(d)))
            return QString::number(qint64(d));
        return QString::number(d, 'g', 17);
    }
    case QJsonValue::String: {
        QString s = value.toString();
        s.replace(u'\\', u"\\\\"_s).replace(u'\'', u"\\'"_s);
        return u'\'' + s + u'\'';
    }
    case QJsonValue::Array: {
        QStringList parts;
        for (const QJsonValue &v : value.toArray())
            parts.append(repr(v));
        return u'[' + parts.join(u", "_s) + u']';
    }
    case QJsonValue::Object: {
        QStringList parts;
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            parts.append(repr(it.key()) + u": "_s + repr(it.value()));
        return u'{' + parts.join(u", "_s) + u'}';
    }
    }
    return {};
}

QByteArray CeleryProtocol::taskMessage(const TaskMessage &m)
{
    const QJsonArray body { m.args, m.kwargs,
                            QJsonObject { { u"callbacks"_s, QJsonValue::Null },
                                          { u"errbacks"_s, QJsonValue::Null },
                                          { u"chain"_s, QJsonValue::Null },
                                          { u"chord"_s, QJsonValue::Null } } };
    QString argsRepr = u"("_s;
    for (qsizetype i = 0; i < m.args.size(); ++i)
        argsRepr += (i ? u", "_s : QString()) + repr(m.args.at(i));
    argsRepr += m.args.size() == 1 ? u",)"_s : u")"_s;

    const QJsonObject headers {
        { u"lang"_s, u"py"_s },
        { u"task"_s, m.task },
        { u"id"_s, m.id },
        { u"root_id"_s, m.id },
        { u"parent_id"_s, QJsonValue::Null },
        { u"group"_s, QJsonValue::Null },
        { u"retries"_s, 0 },
        { u"eta"_s, m.eta ? QJsonValue(isoTime(*m.eta)) : QJsonValue(QJsonValue::Null) },
        { u"expires"_s, QJsonValue::Null },
        { u"timelimit"_s, QJsonArray { QJsonValue::Null, QJsonValue::Null } },
        { u"argsrepr"_s, argsRepr },
        { u"kwargsrepr"_s, repr(m.kwargs) },
        { u"origin"_s, m.origin.isEmpty() ? u"headway"_s : m.origin },
        { u"ignore_result"_s, false },
        { u"shadow"_s, QJsonValue::Null },
    };
    const QJsonObject properties {
        { u"correlation_id"_s, m.id },
        { u"reply_to"_s, newUuid() },
        { u"delivery_mode"_s, 2 },
        { u"delivery_info"_s,
          QJsonObject { { u"exchange"_s, u""_s }, { u"routing_key"_s, m.queue } } },
        { u"priority"_s, 0 },
        { u"body_encoding"_s, u"base64"_s },
        { u"delivery_tag"_s, newUuid() },
    };
    const QJsonObject message {
        { u"body"_s,
          QString::fromLatin1(QJsonDocument(body).toJson(QJsonDocument::Compact).toBase64()) },
        { u"content-encoding"_s, u"utf-8"_s },
        { u"content-type"_s, u"application/json"_s },
        { u"headers"_s, headers },
        { u"properties"_s, properties },
    };
    return compact(message);
}

bool CeleryProtocol::validateTaskMessage(const QByteArray &json, QString *error)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return fail(error, tr("The message is not a JSON object."));
    const QJsonObject m = doc.object();
    if (m.value(u"content-type"_s).toString() != u"application/json"
        || m.value(u"content-encoding"_s).toString() != u"utf-8")
        return fail(error, tr("The message must be JSON in UTF-8."));
    const QJsonObject headers = m.value(u"headers"_s).toObject();
    if (headers.value(u"task"_s).toString().isEmpty())
        return fail(error, tr("The message names no task."));
    if (headers.value(u"id"_s).toString().isEmpty())
        return fail(error, tr("The message has no task id."));
    if (headers.value(u"lang"_s).toString() != u"py")
        return fail(error, tr("The message has no lang header."));
    const QJsonValue eta = headers.value(u"eta"_s);
    if (!eta.isNull()
        && !(eta.isString() && QDateTime::fromString(eta.toString(), Qt::ISODateWithMs).isValid()))
        return fail(error, tr("The message has an invalid eta."));
    const QJsonObject props = m.value(u"properties"_s).toObject();
    if (props.value(u"delivery_tag"_s).toString().isEmpty())
        return fail(error, tr("The message has no delivery tag."));
    const QJsonValue info = props.value(u"delivery_info"_s);
    if (!info.isObject() || !info.toObject().value(u"routing_key"_s).isString()
        || !info.toObject().value(u"exchange"_s).isString())
        return fail(error, tr("The message has no delivery info."));
    if (props.value(u"body_encoding"_s).toString() != u"base64")
        return fail(error, tr("The message body must be base64."));
    const auto decoded = QByteArray::fromBase64Encoding(m.value(u"body"_s).toString().toLatin1(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return fail(error, tr("The message body is not base64."));
    const QJsonDocument body = QJsonDocument::fromJson(*decoded, &pe);
    if (pe.error != QJsonParseError::NoError || !body.isArray() || body.array().size() != 3
        || !body.array().at(0).isArray() || !body.array().at(1).isObject()
        || !body.array().at(2).isObject())
        return fail(error, tr("The message body must be [args, kwargs, embed]."));
    return true;
}

QByteArray CeleryProtocol::revokeMessage(const QString &taskId, bool terminate, qint64 clock,
                                         const QDateTime &now)
{
    const QJsonObject body {
        { u"method"_s, u"revoke"_s },
        { u"arguments"_s,
          QJsonObject { { u"task_id"_s, taskId },
                        { u"terminate"_s, terminate },
                        { u"signal"_s, u"SIGTERM"_s } } },
        { u"destination"_s, QJsonValue::Null },
        { u"pattern"_s, QJsonValue::Null },
        { u"matcher"_s, QJsonValue::Null },
    };
    // A few seconds of validity rather than Celery's one: tolerates clock skew between hosts.
    const double expires = double(now.toMSecsSinceEpoch()) / 1000.0 + 5.0;
    const QJsonObject message {
        { u"body"_s, QString::fromLatin1(compact(body).toBase64()) },
        { u"content-encoding"_s, u"utf-8"_s },
        { u"content-type"_s, u"application/json"_s },
        { u"headers"_s, QJsonObject { { u"clock"_s, clock }, { u"expires"_s, expires } } },
        { u"properties"_s,
          QJsonObject { { u"delivery_mode"_s, 2 },
                        { u"delivery_info"_s,
                          QJsonObject { { u"exchange"_s, u"celery.pidbox"_s },
                                        { u"routing_key"_s, u""_s } } },
                        { u"priority"_s, 0 },
                        { u"body_encoding"_s, u"base64"_s },
                        { u"delivery_tag"_s, newUuid() } } },
    };
    return compact(message);
}

QByteArray CeleryProtocol::pidboxChannel(int db)
{
    return '/' + QByteArray::number(db) + ".celery.pidbox";
}

QByteArray CeleryProtocol::eventPattern(int db)
{
    return '/' + QByteArray::number(db) + ".celeryev/*";
}

QByteArray CeleryProtocol::resultKey(const QString &taskId)
{
    return "celery-task-meta-" + taskId.toUtf8();
}

QJsonValue CeleryProtocol::envelopeBody(const QByteArray &payload)
{
    const QJsonDocument doc = QJsonDocument::fromJson(payload);
    if (!doc.isObject())
        return QJsonValue::Null;
    const QJsonObject m = doc.object();
    const QJsonValue body = m.value(u"body"_s);
    QByteArray raw;
    if (m.value(u"properties"_s).toObject().value(u"body_encoding"_s).toString() == u"base64") {
        const auto decoded = QByteArray::fromBase64Encoding(
            body.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return QJsonValue::Null;
        raw = *decoded;
    } else if (body.isString()) {
        raw = body.toString().toUtf8();
    } else {
        // Already JSON; anything but an object or array (a number, no "body" at all) is
        // garbage (tests/fuzz found undefined and numbers returned).
        return body.isObject() || body.isArray() ? body : QJsonValue(QJsonValue::Null);
    }
    const QJsonDocument inner = QJsonDocument::fromJson(raw);
    if (inner.isObject())
        return inner.object();
    if (inner.isArray())
        return inner.array();
    return QJsonValue::Null;
}
