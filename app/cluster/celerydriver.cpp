#include "celerydriver.h"

#include "app/core/taskengine.h"
#include "celerymeta.h"
#include "redisconnection.h"

#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {
constexpr int kMaxBackoffMs = 5000;
constexpr qsizetype kDoneMemory = 10000; // finished ids remembered so late events are not adopted
const QByteArray kMetaPrefix = "celery-task-meta-";
} // namespace

CeleryDriver::CeleryDriver(TaskEngine &engine, QObject *parent)
    : QObject(parent), m_engine(engine), m_cmd(new RedisConnection(this)),
      m_sub(new RedisConnection(this))
{
    m_origin = u"headway@"_s + QHostInfo::localHostName();
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &CeleryDriver::connectLink);
    m_workerTimer.setInterval(1000);
    connect(&m_workerTimer, &QTimer::timeout, this, &CeleryDriver::checkWorkers);

    for (RedisConnection *c : { m_cmd, m_sub }) {
        connect(c, &RedisConnection::connected, this, [this] { onLinkPart(true, {}); });
        connect(c, &RedisConnection::disconnected, this,
                [this](const QString &reason) { onLinkPart(false, reason); });
    }
    connect(m_sub, &RedisConnection::subscribed, this, &CeleryDriver::onSubscribed);
    connect(m_sub, &RedisConnection::message, this, &CeleryDriver::onMessage);
}

CeleryDriver::~CeleryDriver()
{
    stop();
}

bool CeleryDriver::start(const QUrl &redisUrl, QString *error)
{
    const auto address = CeleryProtocol::parseRedisUrl(redisUrl, error);
    if (!address)
        return false;
    stop();
    m_address = *address;
    m_started = true;
    m_backoffMs = 0;
    m_engine.setExternalDriver(u"celery"_s, this);
    m_workerTimer.start();
    connectLink();
    return true;
}

void CeleryDriver::stop()
{
    if (!m_started)
        return;
    m_started = false;
    m_engine.setExternalDriver(u"celery"_s, nullptr);
    m_reconnectTimer.stop();
    m_workerTimer.stop();
    m_cmd->close();
    m_sub->close();
    m_linkUp = false;
}

void CeleryDriver::connectLink()
{
    if (!m_started)
        return;
    m_cmd->open(m_address.host, m_address.port, m_address.db, m_address.password);
    m_sub->open(m_address.host, m_address.port, -1, m_address.password);
}

void CeleryDriver::onLinkPart(bool up, const QString &reason)
{
    if (!m_started)
        return;
    if (!up) {
        linkDown(reason);
        return;
    }
    if (m_linkUp || !m_cmd->isConnected() || !m_sub->isConnected())
        return;
    m_linkUp = true;
    m_backoffMs = 0;
    m_sub->subscribeCommand({ "PSUBSCRIBE", CeleryProtocol::eventPattern(m_address.db) });
    for (const QString &id : std::exchange(m_pendingRevokes, {}))
        sendRevoke(id);
    for (Followed &f : m_followed) {
        // Restore the message "Waiting for broker…" replaced; the GET after SUBSCRIBE brings news.
        ExternalUpdate u;
        u.progress = f.progress;
        m_engine.updateExternal(f.taskId, u);
        resync(f);
    }
    Q_EMIT connectionChanged(true, {});
}

void CeleryDriver::linkDown(const QString &reason)
{
    const bool wasUp = m_linkUp;
    m_linkUp = false;
    m_cmd->close();
    m_sub->close();
    if (wasUp) {
        for (Followed &f : m_followed) {
            f.subscribed = false;
            if (f.push == Push::InFlight)
                f.push = Push::Uncertain;
            setWaitingMessage(f, true);
        }
        Q_EMIT connectionChanged(false, reason);
    }
    if (!m_reconnectTimer.isActive()) {
        m_backoffMs = m_backoffMs == 0 ? 250 : std::min(m_backoffMs * 2, kMaxBackoffMs);
        m_reconnectTimer.start(m_backoffMs);
    }
}

void CeleryDriver::setWaitingMessage(Followed &f, bool waiting)
{
    TaskProgress p = f.progress;
    if (waiting)
        p.message = tr("Waiting for broker…");
    ExternalUpdate u;
    u.progress = p;
    m_engine.updateExternal(f.taskId, u);
}

CeleryDriver::Followed *CeleryDriver::follow(const QString &taskId, const QString &celeryId)
{
    Followed &f = m_followed[celeryId];
    f.taskId = taskId;
    f.celeryId = celeryId;
    m_celeryByTask.insert(taskId, celeryId);
    return &f;
}

QString CeleryDriver::celeryId(const QString &taskId) const
{
    return m_celeryByTask.value(taskId);
}

void CeleryDriver::startTask(const TaskSnapshot &task)
{
    const QString existing = m_celeryByTask.value(task.id);
    if (!existing.isEmpty() && m_followed.contains(existing))
        return; // the engine re-queued a task Celery retries itself: keep following it

    // Attempt 1 keeps Headway's id (easy to find in Flower); a retry needs a fresh id because
    // workers remember revoked ids. Deterministic, so a restarted Headway finds it again.
    const QString celeryId = task.attempt <= 1
        ? task.id
        : QUuid::createUuidV5(QUuid::fromString(task.id), u"attempt-%1"_s.arg(task.attempt))
              .toString(QUuid::WithoutBraces);
    CeleryProtocol::TaskMessage m;
    m.id = celeryId;
    m.task = task.params.value(u"task"_s).toString();
    m.args = task.params.value(u"args"_s).toArray();
    m.kwargs = task.params.value(u"kwargs"_s).toObject();
    m.queue = task.params.value(u"queue"_s).toString(u"celery"_s);
    m.origin = m_origin;
    const QJsonValue countdown = task.params.value(u"countdown"_s);
    if (countdown.isDouble() && countdown.toDouble() > 0)
        m.eta = QDateTime::currentDateTimeUtc().addMSecs(qint64(countdown.toDouble() * 1000.0));

    Followed *f = follow(task.id, celeryId);
    f->queue = m.queue.toUtf8();
    f->message = CeleryProtocol::taskMessage(m);
    f->progress = task.progress;
    QString why;
    if (m.task.isEmpty() || !CeleryProtocol::validateTaskMessage(f->message, &why)) {
        // Never write a malformed message: a worker exits on one and the message is lost.
        ExternalUpdate u;
        u.error = TaskError { u"invalid_message"_s,
                              tr("Headway refused to send this task: %1").arg(why),
                              {} };
        moveTo(*f, TaskState::Failed, u);
        return;
    }
    f->push = Push::NotSent;
    if (m_linkUp)
        resync(*f);
    else
        setWaitingMessage(*f, true);
}

void CeleryDriver::cancelTask(const TaskSnapshot &task)
{
    const QString celeryId = m_celeryByTask.value(task.id);
    auto it = m_followed.find(celeryId);
    if (celeryId.isEmpty() || it == m_followed.end())
        return;
    if (task.state == TaskState::Queued || task.state == TaskState::Retrying) {
        // The engine marks it canceled right after this call; a message never sent needs no revoke.
        if (it->push != Push::NotSent)
            sendRevoke(celeryId);
        finish(celeryId);
        return;
    }
    // Running: the worker reports REVOKED; the engine gives up after its grace period anyway.
    sendRevoke(celeryId);
    TaskProgress p = it->progress;
    p.message = tr("Canceling…");
    ExternalUpdate u;
    u.progress = p;
    m_engine.updateExternal(task.id, u);
}

void CeleryDriver::sendRevoke(const QString &celeryId)
{
    if (!m_linkUp) {
        m_pendingRevokes.insert(celeryId);
        return;
    }
    const QByteArray message = CeleryProtocol::revokeMessage(celeryId, m_terminate, ++m_clock,
                                                             QDateTime::currentDateTimeUtc());
    if (!m_cmd->command({ "PUBLISH", CeleryProtocol::pidboxChannel(m_address.db), message }))
        m_pendingRevokes.insert(celeryId);
}

void CeleryDriver::resync(Followed &f)
{
    // SUBSCRIBE first; the GET follows its confirmation (onSubscribed), so nothing published in
    // between is lost and a task is only pushed once we listen for its results.
    f.subscribed = false;
    m_sub->subscribeCommand({ "SUBSCRIBE", CeleryProtocol::resultKey(f.celeryId) });
}

void CeleryDriver::onSubscribed(const QByteArray &channel)
{
    if (!channel.startsWith(kMetaPrefix))
        return;
    const QString celeryId = QString::fromUtf8(channel.mid(kMetaPrefix.size()));
    auto it = m_followed.find(celeryId);
    if (it == m_followed.end())
        return;
    it->subscribed = true;
    m_cmd->command({ "GET", channel },
                   [this, celeryId](const RedisReply &r) { onGet(celeryId, r); });
}

void CeleryDriver::onGet(const QString &celeryId, const RedisReply &reply)
{
    auto it = m_followed.find(celeryId);
    if (it == m_followed.end())
        return;
    Followed &f = *it;
    if (reply.type == RedisReply::Type::String) {
        if (const auto meta = CeleryMeta::fromJson(reply.string)) {
            if (f.push != Push::None)
                f.push = Push::Done; // Celery knows it: never push again
            apply(f, *meta);
        }
        return;
    }
    if (!reply.isNil())
        return;
    switch (f.push) {
    case Push::NotSent:
        sendPush(f);
        return;
    case Push::Uncertain: {
        // The LPUSH was on the wire when the broker went away: push again only if it is
        // neither in the queue nor known to the backend.
        m_cmd->command({ "LPOS", f.queue, f.message }, [this, celeryId](const RedisReply &r) {
            auto it = m_followed.find(celeryId);
            if (it == m_followed.end())
                return;
            if (r.isNil())
                sendPush(*it);
            else if (r.type == RedisReply::Type::Integer)
                it->push = Push::Done;
        });
        return;
    }
    default:
        break;
    }
    if (f.hadMeta) {
        // We saw it run and the backend has nothing now: Redis lost it (restart without
        // persistence) or the result expired. A running task writes again at its next update;
        // a finished one is reported by its task-succeeded/failed event (then as missing).
        f.progress.message
            = tr("The result backend has no record of this task any more "
                 "(Redis restarted, or the result expired); waiting for the worker.");
        ExternalUpdate u;
        u.progress = f.progress;
        m_engine.updateExternal(f.taskId, u);
    }
}

void CeleryDriver::sendPush(Followed &f)
{
    f.push = Push::InFlight;
    const QString celeryId = f.celeryId;
    const bool sent
        = m_cmd->command({ "LPUSH", f.queue, f.message }, [this, celeryId](const RedisReply &r) {
              auto it = m_followed.find(celeryId);
              if (it == m_followed.end())
                  return;
              if (r.isError()) {
                  ExternalUpdate u;
                  u.error = TaskError {
                      u"broker_error"_s,
                      tr("The broker refused the task: %1").arg(QString::fromUtf8(r.string)),
                      {}
                  };
                  moveTo(*it, TaskState::Failed, u);
                  return;
              }
              if (it->push == Push::InFlight)
                  it->push = Push::Done;
          });
    if (!sent)
        f.push = Push::NotSent; // the reconnect will resync it
}

void CeleryDriver::onMessage(const QByteArray &channel, const QByteArray &payload,
                             const QByteArray &pattern)
{
    if (!pattern.isEmpty()) {
        const QJsonValue body = CeleryProtocol::envelopeBody(payload);
        if (body.isArray()) {
            for (const QJsonValue &e : body.toArray())
                onEvent(e.toObject());
        } else if (body.isObject()) {
            onEvent(body.toObject());
        }
        return;
    }
    if (!channel.startsWith(kMetaPrefix))
        return;
    auto it = m_followed.find(QString::fromUtf8(channel.mid(kMetaPrefix.size())));
    if (it == m_followed.end())
        return;
    if (const auto meta = CeleryMeta::fromJson(payload))
        apply(*it, *meta);
}

void CeleryDriver::apply(Followed &f, const CeleryMeta &meta)
{
    f.hadMeta = true;
    f.status = meta.status;
    f.progress = meta.progress(f.progress);
    ExternalUpdate u;
    u.progress = f.progress;
    const TaskState state = meta.state();
    switch (state) {
    case TaskState::Succeeded:
        u.result = meta.result;
        break;
    case TaskState::Failed:
    case TaskState::Canceled:
    case TaskState::Retrying:
        u.error = meta.error();
        break;
    default:
        break;
    }
    moveTo(f, state, u);
}

void CeleryDriver::moveTo(Followed &f, TaskState target, ExternalUpdate update)
{
    const QString celeryId = f.celeryId;
    const std::optional<TaskSnapshot> task = m_engine.task(f.taskId);
    if (!task || isFinished(task->state)) {
        finish(celeryId); // removed, or canceled/ended on our side already
        return;
    }
    const TaskState current = task->state;
    auto step = [this, &f](TaskState s) {
        ExternalUpdate u;
        u.state = s;
        m_engine.updateExternal(f.taskId, u);
    };
    if (target == current || (target == TaskState::Queued && current != TaskState::Retrying)) {
        // Celery never goes back to queued for a task we saw start.
        m_engine.updateExternal(f.taskId, update);
        return;
    }
    // Paths the engine does not take by itself.
    if (current == TaskState::Retrying
        && (target == TaskState::Succeeded || target == TaskState::Failed))
        step(TaskState::Running);
    else if (current == TaskState::Queued && target == TaskState::Retrying)
        step(TaskState::Running);
    update.state = target;
    m_engine.updateExternal(f.taskId, update);
    if (isFinished(target))
        finish(celeryId);
}

void CeleryDriver::finish(const QString &celeryId)
{
    const auto it = m_followed.find(celeryId);
    if (it == m_followed.end())
        return;
    if (m_celeryByTask.value(it->taskId) == celeryId)
        m_celeryByTask.remove(it->taskId);
    m_followed.erase(it);
    if (m_linkUp)
        m_sub->subscribeCommand({ "UNSUBSCRIBE", CeleryProtocol::resultKey(celeryId) });
    if (!m_done.contains(celeryId)) {
        m_done.insert(celeryId);
        m_doneOrder.enqueue(celeryId);
        while (m_doneOrder.size() > kDoneMemory)
            m_done.remove(m_doneOrder.dequeue());
    }
}

void CeleryDriver::onEvent(const QJsonObject &event)
{
    const QString type = event.value(u"type"_s).toString();
    if (type.startsWith(u"worker-"))
        onWorkerEvent(type, event);
    else if (type.startsWith(u"task-"))
        onTaskEvent(type, event);
}

void CeleryDriver::onWorkerEvent(const QString &type, const QJsonObject &e)
{
    const QString host = e.value(u"hostname"_s).toString();
    if (host.isEmpty())
        return;
    CeleryWorker &w = m_workers[host];
    const CeleryWorker before = w;
    w.hostname = host;
    if (type == u"worker-offline") {
        w.online = false;
    } else {
        w.online = true;
        w.lastHeartbeat = QDateTime::currentDateTimeUtc();
        if (e.value(u"freq"_s).isDouble() && e.value(u"freq"_s).toDouble() > 0)
            w.freq = e.value(u"freq"_s).toDouble();
    }
    if (e.contains(u"active"_s))
        w.active = e.value(u"active"_s).toInt();
    if (e.contains(u"processed"_s))
        w.processed = qint64(e.value(u"processed"_s).toDouble());
    if (e.contains(u"pid"_s))
        w.pid = qint64(e.value(u"pid"_s).toDouble());
    if (e.value(u"loadavg"_s).isArray())
        w.loadavg = e.value(u"loadavg"_s).toArray();
    if (e.contains(u"sw_ident"_s))
        w.software
            = QString(e.value(u"sw_ident"_s).toString() + u' ' + e.value(u"sw_ver"_s).toString())
                  .trimmed();
    CeleryWorker comparable = w;
    comparable.lastHeartbeat = before.lastHeartbeat; // a heartbeat alone is no change
    if (!(comparable == before))
        Q_EMIT workersChanged();
}

void CeleryDriver::checkWorkers()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    bool changed = false;
    for (CeleryWorker &w : m_workers) {
        if (w.online && w.isExpired(now)) {
            w.online = false;
            changed = true;
        }
    }
    if (changed)
        Q_EMIT workersChanged();
}

QList<CeleryWorker> CeleryDriver::workers() const
{
    return m_workers.values();
}

void CeleryDriver::onTaskEvent(const QString &type, const QJsonObject &e)
{
    const QString celeryId = e.value(u"uuid"_s).toString();
    if (celeryId.isEmpty() || m_done.contains(celeryId))
        return;
    auto it = m_followed.find(celeryId);
    if (it == m_followed.end()) {
        if (!m_monitor || m_engine.task(celeryId))
            return;
        adopt(celeryId, e);
        it = m_followed.find(celeryId);
        if (it == m_followed.end())
            return;
    }
    Followed &f = *it;
    const QString host = e.value(u"hostname"_s).toString();
    if (type == u"task-received") {
        if (f.status.isEmpty()) {
            f.progress.message = tr("Received by %1").arg(host);
            ExternalUpdate u;
            u.progress = f.progress;
            m_engine.updateExternal(f.taskId, u);
        }
    } else if (type == u"task-started") {
        if (f.status.isEmpty()) { // without task_track_started this is all we learn
            f.progress.message = tr("Started on %1").arg(host);
            ExternalUpdate u;
            u.progress = f.progress;
            moveTo(f, TaskState::Running, u);
        }
    } else if (type == u"task-succeeded" || type == u"task-failed" || type == u"task-revoked"
               || type == u"task-rejected") {
        // The result backend has the authoritative record (stored before this event was sent).
        const QJsonObject event = e;
        m_cmd->command(
            { "GET", CeleryProtocol::resultKey(celeryId) },
            [this, celeryId, type, event](const RedisReply &r) {
                auto it = m_followed.find(celeryId);
                if (it == m_followed.end())
                    return;
                if (r.type == RedisReply::Type::String) {
                    if (const auto meta = CeleryMeta::fromJson(r.string)) {
                        apply(*it, *meta);
                        return;
                    }
                }
                ExternalUpdate u;
                if (type == u"task-succeeded") {
                    u.progress = it->progress;
                    u.progress->message
                        = tr("Succeeded, but the result backend has no result for this "
                             "task (ignore_result, or expired).");
                    moveTo(*it, TaskState::Succeeded, u);
                } else if (type == u"task-revoked") {
                    moveTo(*it, TaskState::Canceled, u);
                } else {
                    u.error = TaskError {
                        u"celery_exception"_s,
                        event.value(u"exception"_s).toString(tr("The Celery task failed.")),
                        QJsonObject { { u"traceback"_s, event.value(u"traceback"_s) },
                                      { u"celery_id"_s, celeryId } }
                    };
                    moveTo(*it, TaskState::Failed, u);
                }
            });
    }
}

void CeleryDriver::adopt(const QString &celeryId, const QJsonObject &e)
{
    const QString name = e.value(u"name"_s).toString();
    TaskSnapshot s;
    s.id = celeryId;
    s.type = u"celery"_s;
    QString title = name.isEmpty() ? tr("Celery task %1").arg(celeryId.left(8)) : name;
    const QString argsRepr = e.value(u"args"_s).toString();
    if (!name.isEmpty() && !argsRepr.isEmpty() && argsRepr.size() <= 60)
        title += argsRepr;
    s.title = title;
    s.params = QJsonObject { { u"task"_s, name.isEmpty() ? u"unknown"_s : name },
                             { u"args"_s, QJsonArray {} },
                             { u"kwargs"_s, QJsonObject {} },
                             { u"queue"_s, e.value(u"routing_key"_s).toString(u"celery"_s) },
                             { u"countdown"_s, QJsonValue::Null } };
    s.state = TaskState::Queued;
    const TaskSnapshot adopted = m_engine.adoptExternal(s);
    Followed *f = follow(adopted.id, celeryId);
    f->push = Push::None;
    f->progress = adopted.progress;
    if (m_linkUp)
        resync(*f);
}
