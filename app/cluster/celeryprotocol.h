#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QUrl>

#include <optional>

// Celery message protocol v2 with the JSON serializer, as a worker on the Redis transport
// expects it (see shared/CELERY.md): task messages, pidbox broadcasts and the kombu envelope
// of events. Pure functions, so every byte Headway writes can be tested without a broker.
class CeleryProtocol final
{
public:
    struct TaskMessage
    {
        QString id; // Celery task id
        QString task; // registered task name, "tasks.add"
        QJsonArray args;
        QJsonObject kwargs;
        QString queue = QStringLiteral("celery");
        std::optional<QDateTime> eta; // from "countdown"
        QString origin; // "headway@host"
    };

    struct RedisAddress
    {
        QString host;
        quint16 port = 6379;
        int db = 0;
        QString password;
    };

    // redis://[:password@]host[:port][/db]; an error names what is wrong.
    static std::optional<RedisAddress> parseRedisUrl(const QUrl &url, QString *error);

    // The JSON written with LPUSH to the queue's list. Always passes validateTaskMessage().
    static QByteArray taskMessage(const TaskMessage &message);
    // Checks everything a worker needs to not exit on the message ("Unrecoverable error").
    static bool validateTaskMessage(const QByteArray &json, QString *error);

    // A pidbox broadcast (PUBLISH /<db>.celery.pidbox) asking workers to revoke a task.
    static QByteArray revokeMessage(const QString &taskId, bool terminate, qint64 clock,
                                    const QDateTime &now);
    static QByteArray pidboxChannel(int db);
    static QByteArray eventPattern(int db); // "/<db>.celeryev/*"
    static QByteArray resultKey(const QString &taskId); // celery-task-meta-<id>

    // The decoded body of a kombu envelope (events): an object or an array; null on garbage.
    static QJsonValue envelopeBody(const QByteArray &payload);

    // A Python-ish one-line repr of JSON values for argsrepr/kwargsrepr and titles.
    static QString repr(const QJsonValue &value);
    static QString isoTime(const QDateTime &utc);
};
