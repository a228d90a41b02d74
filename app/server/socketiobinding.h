#pragma once

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>

class EngineCall;
class SeedApi;
class SocketIoConnection;
class SyncHub;
class TaskApi;
class TaskEngine;

// Headway over one Socket.IO connection, as the tutorial's Flask-SocketIO server behaves:
// start_task -> task_started {"task_id"}, then progress_update {"task_id", "progress",
// "status"} on each change until the task ends (failure and cancel end with "status" and
// "error"). Richer: subscribe ({"ids"} or {"all": true}) adds `task` events (the task JSON)
// and task_removed; cancel, pause, resume, retry are answered through acknowledgements.
// A client only hears of tasks it started or subscribed to. Updates are taken from the sync
// hub whenever the transport has drained, so a slow client gets merged updates. Lives on the
// server's thread; what it asks of the engine goes through the EngineCall.
class SocketIoBinding final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SocketIoBinding)

public:
    static constexpr qint64 HighWater = 64 * 1024;

    SocketIoBinding(SocketIoConnection *connection, TaskEngine &engine, EngineCall &call,
                    SyncHub &hub, TaskApi &api, const SeedApi &seed);

Q_SIGNALS:
    void changedTasks(); // a command or start_task ran (the answer cache drops its answers)

private:
    struct Followed
    {
        bool rich = false; // subscribed: `task` events too
        int progress = -1; // last progress_update sent
        QString status;
    };

    void onEvent(const QString &name, const QJsonArray &args, qint64 ackId);
    void startTask(const QJsonValue &spec, qint64 ackId);
    void subscribe(const QJsonValue &what, bool follow, qint64 ackId);
    void runCommand(const QString &name, const QJsonValue &target, qint64 ackId);
    void fail(qint64 ackId, const QString &code, const QString &message);
    void failShuttingDown(qint64 ackId);
    void pump();

    SocketIoConnection *m_connection;
    TaskEngine &m_engine;
    EngineCall &m_call;
    SyncHub &m_hub;
    TaskApi &m_api;
    const SeedApi &m_seed;
    QHash<QString, Followed> m_followed;
    bool m_all = false;
    qint64 m_sentRid = 0;
};
