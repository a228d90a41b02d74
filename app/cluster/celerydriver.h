#pragma once

#include "app/core/externaltaskdriver.h"
#include "celeryprotocol.h"
#include "celeryworker.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QQueue>
#include <QSet>
#include <QTimer>
#include <QUrl>

struct CeleryMeta;
class RedisConnection;
class TaskEngine;
struct TaskSnapshot;
struct RedisReply;

// Runs "celery" tasks on a Celery 5 cluster over Redis and follows them: writes protocol-v2
// messages itself (LPUSH), follows results by SUBSCRIBE to celery-task-meta-<id> then GET
// (again after any reconnect), maps states, progress, results and errors onto the engine
// through updateExternal(), revokes through the pidbox, keeps a list of workers from the event
// channels and, in monitor mode, adopts tasks other clients submitted. Everything is
// asynchronous on the Qt event loop; a lost broker shows "Waiting for broker…" on its tasks
// and is reconnected with backoff. Lives in the engine's thread.
class CeleryDriver final : public QObject, public ExternalTaskDriver
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CeleryDriver)

public:
    explicit CeleryDriver(TaskEngine &engine, QObject *parent = nullptr);
    ~CeleryDriver() override; // unregisters itself from the engine

    // redis://[:password@]host[:port][/db]. Registers this driver for "celery" tasks with the
    // engine and starts connecting in the background; false (with a reason) on a bad URL only.
    bool start(const QUrl &redisUrl, QString *error = nullptr);
    void stop();

    bool isConnected() const { return m_linkUp; }
    QList<CeleryWorker> workers() const; // sorted by hostname
    // The Celery id of a Headway task this driver follows (empty if none).
    QString celeryId(const QString &taskId) const;

    // Adopt tasks other clients submit (seen on task events). Default on.
    void setMonitorMode(bool on) { m_monitor = on; }
    bool monitorMode() const { return m_monitor; }
    // Cancel of a running task terminates it (revoke with terminate=true, SIGTERM). Default on;
    // off: the revoke only stops tasks that have not started.
    void setTerminateOnCancel(bool on) { m_terminate = on; }

    void startTask(const TaskSnapshot &task) override;
    void cancelTask(const TaskSnapshot &task) override;

Q_SIGNALS:
    void workersChanged();
    void connectionChanged(bool connected, const QString &reason);

private:
    enum class Push { None, NotSent, InFlight, Uncertain, Done };
    struct Followed
    {
        QString taskId; // Headway
        QString celeryId;
        QByteArray queue;
        QByteArray message; // empty for adopted tasks
        Push push = Push::None;
        bool subscribed = false;
        bool hadMeta = false;
        QString status;
        TaskProgress progress;
    };

    void connectLink();
    void onLinkPart(bool up, const QString &reason);
    void linkDown(const QString &reason);
    void resync(Followed &f);
    void onSubscribed(const QByteArray &channel);
    void onMessage(const QByteArray &channel, const QByteArray &payload, const QByteArray &pattern);
    void onGet(const QString &celeryId, const RedisReply &reply);
    void sendPush(Followed &f);
    void apply(Followed &f, const CeleryMeta &meta);
    void onEvent(const QJsonObject &event);
    void onWorkerEvent(const QString &type, const QJsonObject &event);
    void onTaskEvent(const QString &type, const QJsonObject &event);
    void adopt(const QString &celeryId, const QJsonObject &event);
    void moveTo(Followed &f, TaskState target, ExternalUpdate update);
    void finish(const QString &celeryId);
    void sendRevoke(const QString &celeryId);
    void setWaitingMessage(Followed &f, bool waiting);
    void checkWorkers();
    Followed *follow(const QString &taskId, const QString &celeryId);

    TaskEngine &m_engine;
    RedisConnection *m_cmd = nullptr;
    RedisConnection *m_sub = nullptr;
    CeleryProtocol::RedisAddress m_address;
    bool m_started = false;
    bool m_linkUp = false;
    bool m_monitor = true;
    bool m_terminate = true;
    int m_backoffMs = 0;
    QTimer m_reconnectTimer;
    QTimer m_workerTimer;
    qint64 m_clock = 0;
    QString m_origin;
    QHash<QString, Followed> m_followed; // by Celery id
    QHash<QString, QString> m_celeryByTask; // Headway id -> Celery id
    QSet<QString> m_pendingRevokes; // Celery ids to revoke once connected
    QSet<QString> m_done; // recently finished Celery ids (late events)
    QQueue<QString> m_doneOrder;
    QMap<QString, CeleryWorker> m_workers;
};
