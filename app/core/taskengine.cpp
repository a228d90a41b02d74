#include "taskengine.h"

#include "enginetask.h"
#include "taskcapabilities.h"
#include "tasktracker.h"
#include "tasktyperegistry.h"
#include "workerpool.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QThread>
#include <QUuid>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("TaskEngine", text);
}

EngineError illegal(const TaskSnapshot &task, const QString &action)
{
    return { u"invalid_transition"_s,
             tr("Cannot %1 a task that is %2.").arg(action, taskStateName(task.state)),
             {} };
}

} // namespace

TaskEngine::TaskEngine(const TaskTypeRegistry &registry, EngineOptions options, QObject *parent)
    : QObject(parent), m_registry(registry), m_options(std::move(options)),
      m_trackers([this](const QString &id) -> const TaskSnapshot * {
          const EngineTask *task = find(id);
          return task ? &task->snapshot : nullptr;
      }),
      m_sampler([this] { return sampleProgress(); })
{
    qRegisterMetaType<TaskEvents>("TaskEvents");
    if (m_options.concurrency <= 0)
        m_options.concurrency = std::max(1, QThread::idealThreadCount());
    m_monotonic.start();
    if (m_options.runTasks)
        m_pool = std::make_unique<WorkerPool>(this, m_options.concurrency);
    connect(&m_trackers, &TrackerHub::intervalChanged, &m_sampler, &ProgressSampler::setInterval);
    connect(&m_deadlines, &DeadlineScheduler::due, this, &TaskEngine::onDeadlines);
}

TaskEngine::~TaskEngine()
{
    shutdown();
    // A queued task's attempt points back at its task (TaskAttempt::task): break that cycle
    // so both are freed (LeakSanitizer). A worker still holding an attempt keeps its own.
    for (const auto &task : std::as_const(m_tasks))
        task->attempt.reset();
}

QDateTime TaskEngine::now() const
{
    return m_options.clock ? m_options.clock() : QDateTime::currentDateTimeUtc();
}

EngineTask *TaskEngine::find(const QString &id) const
{
    const auto it = m_tasks.constFind(id);
    return it == m_tasks.cend() ? nullptr : it->get();
}

std::optional<TaskSnapshot> TaskEngine::task(const QString &id) const
{
    if (const EngineTask *t = find(id))
        return t->snapshot;
    return std::nullopt;
}

QList<TaskSnapshot> TaskEngine::tasks() const
{
    QList<TaskSnapshot> list;
    list.reserve(m_order.size());
    for (const QString &id : m_order)
        list.append(m_tasks.value(id)->snapshot);
    return list;
}

int TaskEngine::taskCount() const
{
    return int(m_tasks.size());
}

int TaskEngine::activeCount() const
{
    return m_activeCount;
}

Result<TaskSnapshot> TaskEngine::submit(const TaskSpec &spec)
{
    if (m_shutDown)
        return EngineError { u"shutting_down"_s, tr("Headway is shutting down."), {} };
    QList<FieldError> fields;
    if (spec.maxRetries < 0)
        fields.append({ u"max_retries"_s, tr("Must be at least 0.") });
    if (spec.backoffMs < 0)
        fields.append({ u"backoff_ms"_s, tr("Must be at least 0.") });
    if (spec.timeoutMs < 0)
        fields.append({ u"timeout_ms"_s, tr("Must be at least 0.") });
    const Result<QJsonObject> params = m_registry.validate(spec.type, spec.params);
    if (!params) {
        EngineError error = params.error();
        error.fields.append(fields);
        return error;
    }
    if (!fields.isEmpty())
        return EngineError { u"invalid_params"_s, tr("Invalid task options."), fields };

    const TaskType *type = m_registry.find(spec.type);
    auto task = std::make_shared<EngineTask>();
    TaskSnapshot &s = task->snapshot;
    s.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    s.type = spec.type;
    s.params = *params;
    s.title = spec.title.trimmed();
    if (s.title.isEmpty())
        s.title = type->defaultTitle ? type->defaultTitle(s.params) : type->title;
    s.priority = spec.priority;
    s.maxRetries = spec.maxRetries;
    s.backoffMs = spec.backoffMs;
    s.timeoutMs = spec.timeoutMs;
    s.created = now();
    s.state = TaskState::Queued;
    task->external = !type->create;
    task->capabilities = taskCapabilities(type, task->external);
    task->estimateSpeed = !task->external || type->engineEstimatesSpeed;
    addTask(task);
    enqueue(*task);
    return task->snapshot;
}

void TaskEngine::addTask(std::shared_ptr<EngineTask> task)
{
    const QString id = task->snapshot.id;
    if (!isFinished(task->snapshot.state))
        ++m_activeCount;
    m_order.append(id);
    EngineTask *raw = task.get();
    m_tasks.insert(id, std::move(task));
    refreshActions(*raw);
    emitEvent({ TaskEvent::Kind::Added, raw->snapshot, raw->snapshot.state });
}

void TaskEngine::enqueue(EngineTask &task)
{
    if (m_shutDown)
        return;
    if (task.external) {
        if (ExternalTaskDriver *driver = m_drivers.value(task.snapshot.type))
            driver->startTask(task.snapshot);
        else
            finishAttempt(
                task, TaskState::Canceled,
                TaskError { u"no_driver"_s,
                            tr("No backend is connected for \"%1\" tasks.").arg(task.snapshot.type),
                            {} });
        return;
    }
    if (!m_pool)
        return; // runTasks == false: stays queued forever
    auto attempt = std::make_shared<TaskAttempt>();
    attempt->task = m_tasks.value(task.snapshot.id);
    attempt->context = std::make_shared<TaskContext>(task.snapshot.params);
    attempt->context->setCancelGraceMs(m_options.cancelGraceMs);
    attempt->context->setDataDir(m_options.dataDir);
    attempt->runner = m_registry.create(task.snapshot.type, task.snapshot.params);
    attempt->sequence = ++m_sequence;
    attempt->priority = task.snapshot.priority;
    task.attempt = attempt;
    task.dispatched = false;
    task.timedOut = false;
    task.cancelDeadlineMs = -1;
    task.sample = {};
    task.speed.reset();
    if (!attempt->runner) {
        finishAttempt(task, TaskState::Canceled,
                      TaskError { u"internal_error"_s, tr("This task type cannot run here."), {} });
        return;
    }
    m_pool->enqueue(std::move(attempt));
}

void TaskEngine::transition(EngineTask &task, TaskState to)
{
    TaskSnapshot &s = task.snapshot;
    const TaskState from = s.state;
    Q_ASSERT(isTransitionAllowed(from, to));
    const bool wasActive = !isFinished(from);
    s.state = to;
    const QDateTime t = now();
    if (to == TaskState::Running && from != TaskState::Paused)
        s.started = t;
    if (isFinished(to))
        s.finished = t;
    refreshActions(task);
    if (to == TaskState::Running || to == TaskState::Paused)
        m_running.insert(&task);
    else
        m_running.remove(&task);
    updateDeadline(task);
    if (!m_running.isEmpty())
        m_sampler.wake();

    emitEvent({ TaskEvent::Kind::StateChanged, s, from });

    const bool isActive = !isFinished(to);
    if (wasActive && !isActive && --m_activeCount == 0)
        Q_EMIT idle();
    else if (!wasActive && isActive)
        ++m_activeCount;
}

void TaskEngine::drainReports()
{
    if (!m_pool)
        return;
    for (const WorkerPool::Report &r : m_pool->takeReports()) {
        if (r.finished)
            onFinished(r.attempt);
        else
            onStarted(r.attempt);
    }
}

void TaskEngine::onStarted(const std::shared_ptr<TaskAttempt> &attempt)
{
    EngineTask &task = *attempt->task;
    if (task.attempt != attempt)
        return; // stale: an older attempt that was abandoned
    task.dispatched = true;
    if (task.snapshot.state != TaskState::Queued)
        return; // canceled while a worker was picking it up; the worker sees the flag
    task.startedMs = m_monotonic.elapsed();
    transition(task, TaskState::Running);
}

void TaskEngine::onFinished(const std::shared_ptr<TaskAttempt> &attempt)
{
    EngineTask &task = *attempt->task;
    if (task.attempt != attempt)
        return;
    if (isFinished(task.snapshot.state) || task.snapshot.state == TaskState::Queued) {
        task.attempt.reset(); // already ended (canceled before it started, or abandoned)
        return;
    }
    sampleTask(task, m_monotonic.elapsed()); // the final progress is never dropped
    const TaskOutcome &outcome = attempt->outcome;
    if (task.interrupting) {
        finishAttempt(
            task, TaskState::Interrupted,
            TaskError { u"interrupted"_s, tr("Headway stopped while this task was running."), {} });
    } else if (task.timedOut) {
        finishAttempt(
            task, TaskState::Failed,
            TaskError {
                u"timeout"_s,
                tr("The task did not finish within %1 s.").arg(task.snapshot.timeoutMs / 1000.0),
                {} });
    } else if (attempt->context->isCancelRequested()) {
        finishAttempt(task, TaskState::Canceled, std::nullopt);
    } else if (outcome.ok) {
        task.snapshot.result = outcome.result.isUndefined() ? QJsonValue() : outcome.result;
        if (task.snapshot.progress.total > 0)
            task.snapshot.progress.processed = task.snapshot.progress.total;
        task.snapshot.progress.percent = 100.0;
        task.snapshot.progress.eta = 0.0;
        finishAttempt(task, TaskState::Succeeded, std::nullopt);
    } else {
        finishAttempt(task, TaskState::Failed, outcome.error);
    }
}

void TaskEngine::finishAttempt(EngineTask &task, TaskState to, std::optional<TaskError> error,
                               Retry retry)
{
    TaskSnapshot &s = task.snapshot;
    task.attempt.reset();
    task.cancelDeadlineMs = -1;
    s.error = std::move(error);
    if (s.state == TaskState::Queued && to != TaskState::Canceled) {
        // An external task that ended before we saw it start.
        transition(task, TaskState::Running);
    }
    if (to == TaskState::Failed && retry == Retry::IfAllowed && s.attempt <= s.maxRetries
        && !m_shutDown) {
        // Exponential backoff with +-20% jitter so retries of many tasks do not stampede.
        const double base = double(s.backoffMs) * std::pow(2.0, s.attempt - 1);
        const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
        const qint64 delay = qint64(std::min(base * jitter, 3600.0 * 1000.0));
        task.retryAtMs = m_monotonic.elapsed() + delay;
        s.retryAt = now().addMSecs(delay);
        transition(task, TaskState::Retrying);
        return;
    }
    transition(task, to);
}

EngineError TaskEngine::cancel(const QString &id)
{
    EngineTask *task = find(id);
    if (!task)
        return EngineError::notFound(id);
    TaskSnapshot &s = task->snapshot;
    switch (s.state) {
    case TaskState::Queued:
        if (task->external) {
            if (ExternalTaskDriver *driver = m_drivers.value(s.type))
                driver->cancelTask(s);
            finishAttempt(*task, TaskState::Canceled, std::nullopt);
            return {};
        }
        if (task->attempt) {
            if (m_pool && !m_pool->takeBack(task->attempt))
                task->attempt->context->requestCancel(); // a worker has it: let it see the flag
        }
        finishAttempt(*task, TaskState::Canceled, std::nullopt);
        return {};
    case TaskState::Retrying:
        finishAttempt(*task, TaskState::Canceled, std::nullopt);
        return {};
    case TaskState::Running:
    case TaskState::Paused:
        if (task->cancelDeadlineMs >= 0)
            return EngineError { u"invalid_transition"_s,
                                 tr("The task is already being canceled."),
                                 {} };
        task->cancelDeadlineMs = m_monotonic.elapsed() + m_options.cancelGraceMs;
        updateDeadline(*task);
        refreshActions(*task);
        markDirty(*task);
        if (task->external) {
            // A copy: the driver's answer may come at once, through updateExternal().
            if (ExternalTaskDriver *driver = m_drivers.value(s.type))
                driver->cancelTask(TaskSnapshot(s));
            return {};
        }
        // Cooperative: the task stops at its next checkpoint; after the grace period it is
        // abandoned and reported canceled anyway.
        if (task->attempt)
            task->attempt->context->requestCancel();
        s.progress.message = tr("Canceling…");
        return {};
    default:
        return illegal(s, tr("cancel"));
    }
}

EngineError TaskEngine::pause(const QString &id)
{
    EngineTask *task = find(id);
    if (!task)
        return EngineError::notFound(id);
    if (!task->snapshot.actions.testFlag(TaskAction::Pause))
        return !task->capabilities.pausable && task->snapshot.state == TaskState::Running
            ? EngineError { u"invalid_transition"_s,
                            tr("This task runs outside Headway's workers (on a cluster, an "
                               "upload a client sends, or another process that reports it) and "
                               "cannot be paused here."),
                            {} }
            : illegal(task->snapshot, tr("pause"));
    if (task->attempt)
        task->attempt->context->requestPause();
    transition(*task, TaskState::Paused);
    return {};
}

EngineError TaskEngine::resume(const QString &id)
{
    EngineTask *task = find(id);
    if (!task)
        return EngineError::notFound(id);
    if (task->snapshot.state != TaskState::Paused)
        return illegal(task->snapshot, tr("resume"));
    if (task->attempt)
        task->attempt->context->requestResume();
    transition(*task, TaskState::Running);
    return {};
}

EngineError TaskEngine::retry(const QString &id)
{
    EngineTask *task = find(id);
    if (!task)
        return EngineError::notFound(id);
    TaskSnapshot &s = task->snapshot;
    if (isRetryable(s.state) && !task->capabilities.retryable)
        return EngineError { u"invalid_transition"_s,
                             tr("This task was driven from outside Headway: only what started "
                                "it can run it again."),
                             {} };
    if (!s.actions.testFlag(TaskAction::Retry))
        return illegal(s, tr("retry"));
    s.attempt += 1;
    s.error.reset();
    s.result = QJsonValue();
    s.output.clear();
    s.outputStderr.clear();
    s.started = {};
    s.finished = {};
    s.retryAt = {};
    const QStringList steps = s.progress.steps;
    s.progress = {};
    s.progress.steps = steps;
    transition(*task, TaskState::Queued);
    enqueue(*task);
    return {};
}

EngineError TaskEngine::remove(const QString &id)
{
    EngineTask *task = find(id);
    if (!task)
        return EngineError::notFound(id);
    if (!isFinished(task->snapshot.state)) {
        return { u"not_finished"_s,
                 tr("Only finished tasks can be removed; this one is %1.")
                     .arg(taskStateName(task->snapshot.state)),
                 {} };
    }
    TaskSnapshot gone;
    gone.id = id;
    gone.state = task->snapshot.state;
    m_order.removeOne(id);
    m_tasks.remove(id);
    emitEvent({ TaskEvent::Kind::Removed, gone, gone.state });
    return {};
}

int TaskEngine::removeFinished()
{
    QList<QString> kept;
    kept.reserve(m_order.size());
    int removed = 0;
    for (const QString &id : std::as_const(m_order)) {
        const EngineTask *task = find(id);
        // Interrupted tasks stay: work the user may still want (retried or removed one by one).
        if (isFinished(task->snapshot.state) && task->snapshot.state != TaskState::Interrupted) {
            TaskSnapshot gone;
            gone.id = id;
            gone.state = task->snapshot.state;
            m_tasks.remove(id);
            emitEvent({ TaskEvent::Kind::Removed, gone, gone.state });
            ++removed;
        } else {
            kept.append(id);
        }
    }
    m_order = std::move(kept);
    return removed;
}

TaskEvents TaskEngine::restore(const QList<TaskSnapshot> &tasks)
{
    TaskEvents changed;
    for (const TaskSnapshot &snapshot : tasks) {
        if (m_tasks.contains(snapshot.id))
            continue;
        auto task = std::make_shared<EngineTask>();
        task->snapshot = snapshot;
        const TaskType *type = m_registry.find(snapshot.type);
        task->external = type && !type->create;
        task->capabilities = taskCapabilities(type, task->external);
        TaskSnapshot &s = task->snapshot;
        bool requeue = false;
        bool modified = false;
        switch (s.state) {
        case TaskState::Running:
        case TaskState::Paused:
            modified = true;
            s.state = TaskState::Interrupted;
            if (!s.finished.isValid())
                s.finished = now();
            if (!s.error)
                s.error = TaskError { u"interrupted"_s,
                                      tr("Headway stopped while this task was running."),
                                      {} };
            break;
        case TaskState::Retrying:
        case TaskState::Queued:
            modified = s.state != TaskState::Queued || s.retryAt.isValid();
            s.state = TaskState::Queued;
            s.retryAt = {};
            requeue = true;
            break;
        default:
            break;
        }
        if (!type && !isFinished(s.state)) {
            s.state = TaskState::Failed;
            s.error
                = TaskError { u"unknown_type"_s, tr("Unknown task type \"%1\".").arg(s.type), {} };
            requeue = false;
            modified = true;
        }
        EngineTask *raw = task.get();
        addTask(std::move(task));
        if (modified)
            changed.append({ TaskEvent::Kind::StateChanged, raw->snapshot, snapshot.state });
        if (requeue)
            enqueue(*raw);
    }
    return changed;
}

void TaskEngine::setExternalDriver(const QString &type, ExternalTaskDriver *driver)
{
    if (driver)
        m_drivers.insert(type, driver);
    else
        m_drivers.remove(type);
}

void TaskEngine::publishTransitions()
{
    m_trackers.deliverStateNow();
}

EngineError TaskEngine::updateExternal(const QString &id, const ExternalUpdate &update)
{
    EngineTask *task = find(id);
    if (!task)
        return EngineError::notFound(id);
    TaskSnapshot &s = task->snapshot;
    if (isFinished(s.state) && update.state && *update.state != TaskState::Queued)
        return illegal(s, tr("update"));
    if (update.result)
        s.result = *update.result;
    if (update.error)
        s.error = *update.error;
    bool progressChanged = false;
    if (update.progress && !(s.progress == *update.progress)) {
        s.progress = *update.progress;
        progressChanged = true;
    }
    bool outputChanged = false;
    if (!update.output.isEmpty()) {
        TaskContext::appendToTail(s.output, s.outputStderr, update.output);
        outputChanged = true;
    }
    if (update.state && *update.state != s.state) {
        const TaskState to = *update.state;
        if (isFinished(to)) {
            if (to == TaskState::Succeeded) {
                s.progress.percent = 100.0;
                s.progress.eta = 0.0;
            }
            const std::optional<TaskError> error = s.error;
            // Failed with retries left is the cluster's business (it reports RETRY itself).
            finishAttempt(*task, to, to == TaskState::Succeeded ? std::nullopt : error,
                          Retry::Never);
            return {};
        }
        if (to == TaskState::Running && s.state == TaskState::Retrying)
            transition(*task, TaskState::Queued);
        if (!isTransitionAllowed(s.state, to))
            return illegal(s, taskStateName(to));
        if (to == TaskState::Running)
            task->startedMs = m_monotonic.elapsed();
        transition(*task, to);
        return {};
    }
    if (outputChanged)
        m_trackers.markOutputDirty(task->snapshot.id); // progress too, for every tracker
    if (progressChanged || outputChanged)
        markDirty(*task);
    return {};
}

EngineError TaskEngine::endExternal(const QString &id, TaskState to, std::optional<TaskError> error)
{
    EngineTask *task = find(id);
    if (!task)
        return EngineError::notFound(id);
    TaskSnapshot &s = task->snapshot;
    // A queued task that ends other than canceled ran without being seen (finishAttempt).
    const bool viaRunning = s.state == TaskState::Queued && to != TaskState::Canceled;
    if (!task->external || !isFinished(to) || !(isTransitionAllowed(s.state, to) || viaRunning))
        return illegal(s, taskStateName(to));
    if (to == TaskState::Succeeded) {
        s.progress.percent = 100.0;
        s.progress.eta = 0.0;
    }
    finishAttempt(*task, to, to == TaskState::Succeeded ? std::nullopt : std::move(error),
                  Retry::Never);
    return {};
}

void TaskEngine::markDirty(EngineTask &task)
{
    m_trackers.markDirty(task.snapshot.id);
    m_sampler.wake();
}

void TaskEngine::refreshActions(EngineTask &task)
{
    task.snapshot.actions
        = allowedTaskActions(task.snapshot.state, task.capabilities, task.cancelDeadlineMs >= 0);
}

TaskSnapshot TaskEngine::adoptExternal(TaskSnapshot snapshot)
{
    if (snapshot.id.isEmpty())
        snapshot.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (EngineTask *existing = find(snapshot.id))
        return existing->snapshot;
    if (!snapshot.created.isValid())
        snapshot.created = now();
    auto task = std::make_shared<EngineTask>();
    task->snapshot = snapshot;
    task->external = true;
    task->capabilities = taskCapabilities(m_registry.find(snapshot.type), true);
    addTask(task);
    snapshot.actions = task->snapshot.actions;
    if (snapshot.state == TaskState::Running || snapshot.state == TaskState::Paused)
        m_running.insert(task.get());
    return snapshot;
}

void TaskEngine::addTracker(TaskTracker *tracker, int maxUpdatesPerSecond, bool replayExisting,
                            int outputPerSecond)
{
    QList<TaskEvent> existing;
    if (replayExisting) {
        existing.reserve(m_order.size());
        for (const QString &id : std::as_const(m_order)) {
            const TaskSnapshot &s = m_tasks.value(id)->snapshot;
            existing.append({ TaskEvent::Kind::Added, s, s.state });
        }
    }
    m_trackers.add(tracker, maxUpdatesPerSecond, existing, outputPerSecond);
}

void TaskEngine::removeTracker(TaskTracker *tracker)
{
    m_trackers.remove(tracker);
}

void TaskEngine::setConcurrency(int workers)
{
    m_options.concurrency = workers > 0 ? workers : std::max(1, QThread::idealThreadCount());
    if (m_pool)
        m_pool->setConcurrency(m_options.concurrency);
}

int TaskEngine::concurrency() const
{
    return m_options.concurrency;
}

void TaskEngine::emitEvent(const TaskEvent &event)
{
    m_trackers.post(event);
}

void TaskEngine::sampleTask(EngineTask &task, qint64 nowMs)
{
    if (!task.attempt)
        return;
    TaskContext::Sample &smp = task.sample;
    if (!task.attempt->context->sample(smp))
        return;
    TaskProgress &p = task.snapshot.progress;
    p.processed = smp.processed;
    p.total = smp.total;
    p.percent = smp.percent >= 0 ? std::optional<double>(smp.percent) : std::nullopt;
    p.unit = smp.unit;
    p.step = smp.step;
    p.steps = smp.steps;
    if (task.cancelDeadlineMs < 0)
        p.message = smp.message;
    const bool outputChanged
        = task.snapshot.output != smp.output || task.snapshot.outputStderr != smp.outputStderr;
    task.snapshot.output = smp.output;
    task.snapshot.outputStderr = smp.outputStderr;
    if (outputChanged)
        m_trackers.markOutputDirty(task.snapshot.id);
    else
        m_trackers.markDirty(task.snapshot.id);
    Q_UNUSED(nowMs)
}

bool TaskEngine::sampleProgress()
{
    m_trackers.flushState(); // transitions first, so observers never see them out of order
    const qint64 nowMs = m_monotonic.elapsed();
    for (EngineTask *task : std::as_const(m_running)) {
        if (!task->estimateSpeed)
            continue;
        if (!task->external)
            sampleTask(*task, nowMs);
        // Speed and ETA follow time even when the amounts stand still.
        if (task->speed.update(nowMs, task->snapshot.progress))
            m_trackers.markDirty(task->snapshot.id);
    }
    m_trackers.flushProgress(nowMs);
    // Nothing runs and everything was told: the sampler sleeps until the next change.
    return !m_running.isEmpty() || m_trackers.hasDirty();
}

void TaskEngine::updateDeadline(EngineTask &task)
{
    const TaskSnapshot &s = task.snapshot;
    qint64 at = -1;
    if (s.state == TaskState::Running || s.state == TaskState::Paused) {
        if (task.cancelDeadlineMs >= 0)
            at = task.cancelDeadlineMs;
        else if (s.timeoutMs > 0 && task.startedMs >= 0)
            at = task.startedMs + s.timeoutMs;
    } else if (s.state == TaskState::Retrying && !task.external) { // a cluster retries itself
        at = task.retryAtMs;
    }
    if (at >= 0)
        m_deadlines.schedule(s.id, at);
    else
        m_deadlines.cancel(s.id);
}

void TaskEngine::onDeadlines(const QStringList &ids)
{
    m_trackers.flushState(); // what happened before the deadline reaches observers first
    const qint64 nowMs = m_monotonic.elapsed();
    for (const QString &id : ids) {
        EngineTask *task = find(id);
        if (!task)
            continue;
        const TaskState state = task->snapshot.state;
        if (state == TaskState::Retrying) {
            task->snapshot.attempt += 1;
            task->snapshot.retryAt = {};
            task->snapshot.error.reset();
            transition(*task, TaskState::Queued);
            enqueue(*task);
        } else if (task->cancelDeadlineMs >= 0 && nowMs >= task->cancelDeadlineMs) {
            // The attempt ignored the cancel for the whole grace period: abandon it.
            const bool timedOut = task->timedOut;
            finishAttempt(
                *task, timedOut ? TaskState::Failed : TaskState::Canceled,
                timedOut ? std::optional<TaskError>(TaskError {
                    u"timeout"_s, tr("The task did not finish within its time limit."), {} })
                         : std::nullopt);
        } else if (task->cancelDeadlineMs < 0) {
            task->timedOut = true;
            task->cancelDeadlineMs = nowMs + m_options.cancelGraceMs;
            updateDeadline(*task);
            refreshActions(*task); // on its way out: nothing to offer meanwhile
            markDirty(*task);
            if (task->attempt)
                task->attempt->context->requestCancel();
        }
    }
}

void TaskEngine::shutdown()
{
    if (m_shutDown)
        return;
    m_shutDown = true;
    m_sampler.stop();
    m_deadlines.clear();
    drainReports();
    QList<EngineTask *> active(m_running.cbegin(), m_running.cend());
    for (EngineTask *task : std::as_const(active)) {
        task->interrupting = true;
        if (task->attempt)
            task->attempt->context->requestCancel();
        if (task->external)
            continue; // it goes on running on the cluster
    }
    if (m_pool) {
        if (!m_pool->stop(m_options.cancelGraceMs))
            (void)m_pool.release(); // abandoned workers still use it
        m_pool.reset();
    }
    for (EngineTask *task : std::as_const(active)) {
        if (task->external)
            continue;
        if (task->snapshot.state == TaskState::Running
            || task->snapshot.state == TaskState::Paused) {
            sampleTask(*task, m_monotonic.elapsed());
            task->attempt.reset();
            finishAttempt(*task, TaskState::Interrupted,
                          TaskError { u"interrupted"_s,
                                      tr("Headway stopped while this task was running."),
                                      {} });
        }
    }
    m_trackers.flushState();
    m_trackers.flushProgress(m_monotonic.elapsed(), true);
    // Deliver now to trackers of this thread (the store among them): the event loop may not
    // run again after shutdown.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::MetaCall);
}
