#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

// One Celery worker as seen on the event channels (worker-online/-heartbeat/-offline).
// The heartbeat age is measured against when Headway received the last event, so clock skew
// between hosts does not make a live worker look dead.
struct CeleryWorker
{
    QString hostname;
    bool online = false;
    QDateTime lastHeartbeat; // UTC, local receipt time
    double freq = 2.0; // seconds between heartbeats
    int active = 0;
    qint64 processed = 0;
    qint64 pid = 0;
    QJsonArray loadavg;
    QString software; // "py-celery 5.2.6"

    // Online until lastHeartbeat + 2 x freq.
    bool isExpired(const QDateTime &now) const;
    // {"hostname", "online", "heartbeat_age" (seconds, null if never), "active", "processed",
    //  "pid", "freq", "loadavg", "software"}
    QJsonObject toJson(const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
    bool operator==(const CeleryWorker &other) const = default;
};
