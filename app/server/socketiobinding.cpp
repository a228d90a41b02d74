#include "socketiobinding.h"

#include "app/core/enginecall.h"
#include "app/core/taskengine.h"
#include "seedapi.h"
#include "socketioconnection.h"
#include "synchub.h"
#include "taskapi.h"

using namespace Qt::StringLiterals;

SocketIoBinding::SocketIoBinding(SocketIoConnection *connection, TaskEngine &engine,
                                 EngineCall &call, SyncHub &hub, TaskApi &api, const SeedApi &seed)
    : QObject(connection), m_connection(connection), m_engine(engine), m_call(call), m_hub(hub),
      m_api(api), m_seed(seed), m_sentRid(hub.rid())
{
    connect(connection, &SocketIoConnection::eventReceived, this, &SocketIoBinding::onEvent);
    connect(connection, &SocketIoConnection::drained, this, &SocketIoBinding::pump);
    connect(&hub, &SyncHub::changed, this, &SocketIoBinding::pump);
}

void SocketIoBinding::fail(qint64 ackId, const QString &code, const QString &message)
{
    m_connection->acknowledge(
        ackId,
        { QJsonObject {
            { u"ok"_s, false },
            { u"error"_s, QJsonObject { { u"code"_s, code }, { u"message"_s, message } } } } });
}

void SocketIoBinding::failShuttingDown(qint64 ackId)
{
    fail(ackId, u"shutting_down"_s, tr("Headway is shutting down."));
}

void SocketIoBinding::onEvent(const QString &name, const QJsonArray &args, qint64 ackId)
{
    const QJsonValue first = args.isEmpty() ? QJsonValue() : args.first();
    if (name == u"start_task")
        startTask(first, ackId);
    else if (name == u"subscribe" || name == u"unsubscribe")
        subscribe(first, name == u"subscribe", ackId);
    else if (name == u"cancel" || name == u"pause" || name == u"resume" || name == u"retry")
        runCommand(name, first, ackId);
    else
        fail(ackId, u"bad_command"_s,
             tr("Unknown event \"%1\": use start_task, subscribe, unsubscribe, cancel, pause, "
                "resume or retry.")
                 .arg(name));
}

void SocketIoBinding::startTask(const QJsonValue &spec, qint64 ackId)
{
    QJsonObject task;
    if (spec.isUndefined() || spec.isNull()) {
        // The tutorial's page emits start_task with nothing: its demo task.
        const std::optional<Result<TaskSnapshot>> submitted
            = m_call.call([this] { return m_engine.submit(m_seed.demoTask()); });
        if (!submitted) {
            failShuttingDown(ackId);
            return;
        }
        Q_EMIT changedTasks();
        const Result<TaskSnapshot> &result = *submitted;
        if (!result) {
            fail(ackId, result.error().code, result.error().message);
            return;
        }
        task = result->toJson();
    } else if (spec.isObject()) {
        QJsonObject command = spec.toObject();
        command.insert(u"command"_s, u"start"_s);
        command.remove(u"id"_s);
        const std::optional<QJsonObject> answer
            = m_call.call([this, &command] { return m_api.command(command); });
        if (!answer) {
            failShuttingDown(ackId);
            return;
        }
        Q_EMIT changedTasks();
        const QJsonObject &reply = *answer;
        if (!reply.value(u"ok"_s).toBool()) {
            m_connection->acknowledge(
                ackId,
                { QJsonObject { { u"ok"_s, false }, { u"error"_s, reply.value(u"error"_s) } } });
            return;
        }
        task = reply.value(u"task"_s).toObject();
    } else {
        fail(ackId, u"invalid_request"_s,
             tr("start_task takes nothing (the demo task) or {\"type\", \"params\", \"title\"}."));
        return;
    }
    const QString id = task.value(u"id"_s).toString();
    m_followed.insert(id, Followed {});
    m_connection->emitEvent(u"task_started"_s, QJsonObject { { u"task_id"_s, id } });
    m_connection->acknowledge(
        ackId, { QJsonObject { { u"ok"_s, true }, { u"task_id"_s, id }, { u"task"_s, task } } });
}

void SocketIoBinding::subscribe(const QJsonValue &what, bool follow, qint64 ackId)
{
    const QJsonObject request = what.toObject();
    const QJsonValue ids = request.value(u"ids"_s);
    const bool all = request.value(u"all"_s).toBool();
    if (!all && !ids.isArray()) {
        fail(ackId, u"invalid_request"_s,
             tr("Name the tasks: {\"ids\": [\"…\"]} or {\"all\": true}."));
        return;
    }
    // Where the tasks stand now, read in one call on the engine's thread.
    const std::optional<QJsonArray> current = m_call.call([&] {
        QJsonArray tasks;
        if (all && follow) {
            for (const TaskSnapshot &task : m_engine.tasks())
                tasks.append(task.toJson(TaskSnapshot::Output::Summary));
        }
        if (follow) {
            for (const QJsonValue &value : ids.toArray()) {
                if (const auto task = m_engine.task(value.toString()))
                    tasks.append(task->toJson(TaskSnapshot::Output::Summary));
            }
        }
        return tasks;
    });
    if (!current) {
        failShuttingDown(ackId);
        return;
    }
    const QJsonArray &tasks = *current;
    if (all) {
        m_all = follow;
        if (!follow)
            m_followed.clear();
    }
    for (const QJsonValue &value : ids.toArray()) {
        const QString id = value.toString();
        if (!follow) {
            m_followed.remove(id);
            continue;
        }
        m_followed[id].rich = true;
    }
    QJsonObject reply { { u"ok"_s, true } };
    if (follow)
        reply.insert(u"tasks"_s, tasks); // where they stand now (as the "task" events: summaries)
    m_connection->acknowledge(ackId, { reply });
}

void SocketIoBinding::runCommand(const QString &name, const QJsonValue &target, qint64 ackId)
{
    // {"task_id": "…"} or the id itself.
    const QString id
        = target.isString() ? target.toString() : target.toObject().value(u"task_id"_s).toString();
    std::optional<QJsonObject> answer = m_call.call([&] {
        return m_api.command(QJsonObject { { u"command"_s, name }, { u"task_id"_s, id } });
    });
    if (!answer) {
        failShuttingDown(ackId);
        return;
    }
    Q_EMIT changedTasks();
    QJsonObject reply = std::move(*answer);
    reply.remove(u"reply_to"_s);
    m_connection->acknowledge(ackId, { reply });
}

void SocketIoBinding::pump()
{
    if (!m_connection->isConnected() || !m_hub.hasChangesSince(m_sentRid))
        return;
    if (!m_all && m_followed.isEmpty()) {
        m_sentRid = m_hub.rid();
        return;
    }
    // A client that has not taken what it was sent gets everything since, merged, later.
    if (m_connection->pendingBytes() >= HighWater)
        return;
    const QJsonObject diff = m_hub.diffSince(m_sentRid);
    m_sentRid = m_hub.rid();
    for (const QJsonValue &value : diff.value(u"tasks"_s).toArray()) {
        const QJsonObject json = value.toObject();
        const QString id = json.value(u"id"_s).toString();
        auto it = m_followed.find(id);
        if (it == m_followed.end()) {
            if (!m_all)
                continue;
            it = m_followed.insert(id, Followed { true, -1, {} });
        }
        if (it->rich || m_all)
            m_connection->emitEvent(u"task"_s, json);
        const std::optional<TaskSnapshot> task = TaskSnapshot::fromJson(json);
        if (!task)
            continue;
        const int progress = tutorialPercent(*task);
        QString status = u"in_progress"_s;
        if (task->state == TaskState::Succeeded)
            status = u"completed"_s;
        else if (isFinished(task->state))
            status = taskStateName(task->state);
        if (progress == it->progress && status == it->status)
            continue;
        it->progress = progress;
        it->status = status;
        QJsonObject update { { u"task_id"_s, id },
                             { u"progress"_s, progress },
                             { u"status"_s, status },
                             { u"state"_s, taskStateName(task->state) } };
        if (isFinished(task->state) && task->state != TaskState::Succeeded) {
            update.insert(u"error"_s,
                          task->error && !task->error->message.isEmpty()
                              ? task->error->message
                              : taskStateName(task->state));
        }
        m_connection->emitEvent(u"progress_update"_s, update);
    }
    for (const QJsonValue &value : diff.value(u"removed"_s).toArray()) {
        const auto it = m_followed.constFind(value.toString());
        if (it == m_followed.cend())
            continue;
        if (it->rich || m_all)
            m_connection->emitEvent(u"task_removed"_s,
                                    QJsonObject { { u"task_id"_s, value.toString() } });
        m_followed.erase(it);
    }
}
