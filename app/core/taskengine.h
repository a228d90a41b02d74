#pragma once

#include "deadlinescheduler.h"
#include "externaltaskdriver.h"
#include "progresssampler.h"
#include "result.h"
#include "taskevent.h"
#include "tasksnapshot.h"
#include "taskspec.h"
#include "trackerhub.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

class TaskTracker;
class TaskTypeRegistry;
class WorkerPool;
struct EngineTask;
struct TaskAttempt;

struct EngineOptions
{
    int concurrency = 0; // worker threads; 0 = the number of cores
    int cancelGraceMs = 3000; // how long a canceled task may take before it is abandoned
    QString dataDir; // handed to tasks (TaskContext::dataDir)
    std::function<QDateTime()>
        clock; // UTC now; empty = the system clock (tests and screenshots fix it)
    bool runTasks = true; // false: no worker ever starts a task (tests: states stay put)
    double etaWarmupSeconds = 1.0; // no ETA before this much running time
};

// The task engine: a priority queue (FIFO within a priority), a pool of worker threads,
// cooperative cancel/pause/resume, retry with backoff and jitter, timeouts, and the one place
// that turns task activity into coalesced, ordered events for every TaskTracker.
// Lives in the thread that creates it (the main thread); all its methods are called there.
class TaskEngine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TaskEngine)

public:
    explicit TaskEngine(const TaskTypeRegistry &registry, EngineOptions options = {},
                        QObject *parent = nullptr);
    ~TaskEngine() override;

    const TaskTypeRegistry &registry() const { return m_registry; }

    // Validates (unknown type or bad params -> error naming every wrong field; nothing is
    // queued) and queues a task.
    Result<TaskSnapshot> submit(const TaskSpec &spec);
    EngineError cancel(const QString &id);
    EngineError pause(const QString &id);
    EngineError resume(const QString &id);
    EngineError retry(const QString &id); // a new attempt of a failed/canceled/interrupted task
    EngineError remove(const QString &id); // finished tasks only
    int removeFinished(); // all finished but the interrupted ones

    std::optional<TaskSnapshot> task(const QString &id) const;
    QList<TaskSnapshot> tasks() const; // in creation order
    int taskCount() const;
    int activeCount() const; // queued, running, paused or retrying

    // Puts tasks from the store back: running/paused become interrupted, queued ones are
    // queued again, retrying ones are queued. Observers get Added events. Returns a
    // StateChanged event for each task this changed, so that a store added afterwards with
    // replayExisting = false writes those and not the whole history again.
    TaskEvents restore(const QList<TaskSnapshot> &tasks);

    // The tracker is told of changes in its own thread, progress at most
    // maxUpdatesPerSecond per task. It gets Added events for the tasks that exist already,
    // unless replayExisting is false (the store they were restored from has them).
    // outputPerSecond 0: output in every progress event; above 0: progress events without
    // output, and a changed output at most that often (TrackerHub::add).
    void addTracker(TaskTracker *tracker, int maxUpdatesPerSecond = 30, bool replayExisting = true,
                    int outputPerSecond = 0);
    void removeTracker(TaskTracker *tracker);

    // External tasks: tasks of `type` are started by the driver instead of a worker; the
    // driver reports their progress and end through updateExternal(). A driver may also adopt
    // tasks it did not start (monitor mode): they appear in every view like any other.
    void setExternalDriver(const QString &type, ExternalTaskDriver *driver);
    ExternalTaskDriver *externalDriver(const QString &type) const { return m_drivers.value(type); }
    EngineError updateExternal(const QString &id, const ExternalUpdate &update);
    // Hands this pass's transitions to every observer now instead of at the end of the pass:
    // the task store has committed them when this returns. For a driver about to tell its
    // client that a task is done (an upload's last 204): what the client was told survives a
    // kill -9 that comes right after.
    void publishTransitions();
    // Ends an external task now, as its driver decides: from any active state, or from
    // interrupted to failed or canceled (it will not resume: an upload whose partial file is
    // gone). No retry, no new attempt, no call back into the driver.
    EngineError endExternal(const QString &id, TaskState to, std::optional<TaskError> error);
    TaskSnapshot adoptExternal(TaskSnapshot task);

    void setConcurrency(int workers);
    int concurrency() const;

    // Stops accepting work, cancels what runs (they end as interrupted), waits up to the grace
    // period for the workers. Called by the destructor; idempotent.
    void shutdown();

    QDateTime now() const;

Q_SIGNALS:
    // Emitted when the last active task finished (tests and benchmarks wait on it).
    void idle();

private:
    friend class WorkerPool;

    EngineTask *find(const QString &id) const;
    void addTask(std::shared_ptr<EngineTask> task);
    void transition(EngineTask &task, TaskState to);
    void enqueue(EngineTask &task);
    void drainReports();
    void onStarted(const std::shared_ptr<TaskAttempt> &attempt);
    void onFinished(const std::shared_ptr<TaskAttempt> &attempt);
    // A failure is retried when the task has retries left, unless the caller says it must not
    // be (a cluster runs its own retries).
    enum class Retry { IfAllowed, Never };
    void finishAttempt(EngineTask &task, TaskState to, std::optional<TaskError> error,
                       Retry retry = Retry::IfAllowed);
    void sampleTask(EngineTask &task, qint64 nowMs);
    bool sampleProgress(); // false: nothing runs and nothing is left to tell
    void emitEvent(const TaskEvent &event);
    void updateDeadline(EngineTask &task);
    void onDeadlines(const QStringList &ids);
    void startAttempt(EngineTask &task);
    // Works out TaskSnapshot::actions from the state and the runner's capabilities: called on
    // every change that can alter them, so the task carries them to every view.
    void refreshActions(EngineTask &task);
    void markDirty(EngineTask &task); // progress (or actions) changed: tell the trackers

    const TaskTypeRegistry &m_registry;
    EngineOptions m_options;
    std::unique_ptr<WorkerPool> m_pool;
    QHash<QString, std::shared_ptr<EngineTask>> m_tasks;
    QList<QString> m_order; // creation order
    // Observers at their own rates, and the progress clock that runs only while needed.
    TrackerHub m_trackers;
    ProgressSampler m_sampler;
    QHash<QString, ExternalTaskDriver *> m_drivers;
    QElapsedTimer m_monotonic;
    quint64 m_sequence = 0;
    QSet<EngineTask *> m_running; // running or paused: sampled on every tick
    // Timeouts, cancel grace periods and retry backoffs, one per task, keyed by task id.
    DeadlineScheduler m_deadlines { [this] { return m_monotonic.elapsed(); } };
    int m_activeCount = 0;
    bool m_shutDown = false;
};
