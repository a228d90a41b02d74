#include "seedapi.h"

#include "app/core/taskengine.h"

#include <QJsonObject>

#include <cmath>

using namespace Qt::StringLiterals;

int tutorialPercent(const TaskSnapshot &task)
{
    if (task.state == TaskState::Succeeded)
        return 100;
    const double percent = task.progress.percent.value_or(0);
    return qBound(0, int(std::floor(percent)), 100);
}

SeedApi::SeedApi(TaskEngine &engine) : m_engine(engine) { }

void SeedApi::setDemo(int steps, int delayMs)
{
    m_steps = steps;
    m_delayMs = delayMs;
}

void SeedApi::addRoutes(Router &router)
{
    using Method = QHttpServerRequest::Method;
    router.add(Method::Get, u"/start-task"_s, [this](RequestContext &) { return startTask(); });
    router.add(Method::Post, u"/start-task"_s, [this](RequestContext &) { return startTask(); });
    // Polled many times a second by the tutorial's pages: served from the answer cache.
    router.add(
        Method::Get, u"/task-progress/{id}"_s,
        [this](RequestContext &c) { return taskProgress(c.arg(u"id"_s)); },
        RouteRules::taskAnswer());
    router.add(
        Method::Get, u"/task-status/{id}"_s,
        [this](RequestContext &c) { return taskStatus(c.arg(u"id"_s)); }, RouteRules::taskAnswer());
}

TaskSpec tutorialDemoTask(int steps, int delayMs)
{
    TaskSpec spec;
    spec.type = u"demo"_s;
    spec.title = QCoreApplication::translate("SeedApi", "Demo task");
    spec.params = QJsonObject { { u"steps"_s, steps }, { u"delay_ms"_s, delayMs } };
    return spec;
}

TaskSpec SeedApi::demoTask() const
{
    return tutorialDemoTask(m_steps, m_delayMs);
}

HttpReply SeedApi::startTask()
{
    const Result<TaskSnapshot> result = m_engine.submit(demoTask());
    if (!result)
        return HttpReply::fromEngineError(result.error());
    return HttpReply::json(QJsonObject { { u"task_id"_s, result->id } });
}

HttpReply SeedApi::taskProgress(const QString &id)
{
    return HttpReply::json(progressJson(m_engine.task(id)));
}

HttpReply SeedApi::taskStatus(const QString &id)
{
    return HttpReply::json(statusJson(m_engine.task(id)));
}

QJsonObject SeedApi::progressJson(const std::optional<TaskSnapshot> &task)
{
    if (!task)
        return {}; // what the tutorial's dict.get(id, {}) answers
    // Any end (also failure or cancel) is "completed" so the tutorial's poll loop stops.
    return QJsonObject {
        { u"progress"_s, tutorialPercent(*task) },
        { u"status"_s, isFinished(task->state) ? u"completed"_s : u"in progress"_s },
    };
}

QJsonObject SeedApi::statusJson(const std::optional<TaskSnapshot> &task)
{
    // Celery answers PENDING for ids it does not know; so do we.
    if (!task || task->state == TaskState::Queued || task->state == TaskState::Retrying)
        return QJsonObject { { u"state"_s, u"PENDING"_s }, { u"progress"_s, 0 } };
    switch (task->state) {
    case TaskState::Running:
    case TaskState::Paused:
        return QJsonObject { { u"state"_s, u"PROGRESS"_s },
                             { u"progress"_s, tutorialPercent(*task) } };
    case TaskState::Succeeded:
        // Both shapes seen in the wild: the tutorial's task return value and {"status"}.
        return QJsonObject {
            { u"state"_s, u"SUCCESS"_s },
            { u"progress"_s, 100 },
            { u"result"_s,
              QJsonObject { { u"progress"_s, 100 },
                            { u"result"_s, u"Task completed!"_s },
                            { u"status"_s, u"Task completed!"_s } } },
        };
    default: {
        QString message = task->error ? task->error->message : QString();
        if (message.isEmpty())
            message = taskStateName(task->state);
        return QJsonObject { { u"state"_s, u"FAILURE"_s },
                             { u"progress"_s, 0 },
                             { u"error"_s, message } };
    }
    }
}
