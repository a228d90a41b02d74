#pragma once

#include "taskevent.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>

class TaskTracker;
struct TaskSnapshot;

// The engine's fan-out to its observers (TaskTracker): state events are batched once per
// event-loop pass and reach every tracker in order; progress is remembered per tracker as
// "these tasks changed" and told at each tracker's own rate (widgets and server 30/s, the
// store 1/s), with the task's latest snapshot. Deliveries are queued calls in the tracker's
// thread. Knows nothing of how tasks run: the engine posts, marks and flushes.
class TrackerHub final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrackerHub)

public:
    // The latest snapshot of a task, or null once it is gone.
    using Lookup = std::function<const TaskSnapshot *(const QString &id)>;
    static constexpr int DefaultIntervalMs = 33;

    explicit TrackerHub(Lookup lookup, QObject *parent = nullptr);
    ~TrackerHub() override;

    // The pending batch goes out first (to the others), then `existing` (what is there now)
    // to the new tracker alone: it never sees an event twice. outputPerSecond 0: a task's
    // output (up to 64 KiB) rides in every progress event; above 0, progress events leave it
    // out (withOutput false) and a changed output is told at most that often, in a progress
    // event with withOutput true (the store: progress often, output once a second).
    void add(TaskTracker *tracker, int maxUpdatesPerSecond, const QList<TaskEvent> &existing,
             int outputPerSecond = 0);
    void remove(TaskTracker *tracker);
    int count() const { return int(m_entries.size()); }
    // The shortest interval any tracker asks for (DefaultIntervalMs without trackers).
    int fastestIntervalMs() const;
    // Queued to the tracker's thread, dropped if the tracker is gone by then (every source
    // delivers this way: a tracker added in a constructor is ready when its events come).
    static void deliver(TaskTracker *tracker, const QList<TaskEvent> &events);

    // A state event (added, state changed, removed): batched until this event-loop pass ends
    // or flushState() is called.
    void post(const TaskEvent &event);
    void flushState();
    // flushState(), then the trackers on this thread handle what they were posted before this
    // returns (each in its order): the task store has committed the transitions.
    void deliverStateNow();
    // A task's progress (or actions) changed: every tracker hears of it at its next flush.
    void markDirty(const QString &id);
    // A task's output changed (its progress too, as far as trackers are concerned): trackers
    // that take output separately hear of it at their output rate.
    void markOutputDirty(const QString &id);
    bool hasDirty() const;
    // Tells each tracker whose interval has passed at nowMs (all of them with force) the
    // tasks that changed since it was last told.
    void flushProgress(qint64 nowMs, bool force = false);

Q_SIGNALS:
    void intervalChanged(int ms);

private:
    struct Entry
    {
        QPointer<TaskTracker> tracker;
        int intervalMs = DefaultIntervalMs;
        qint64 lastFlushMs = 0;
        QSet<QString> dirty;
        int outputIntervalMs = 0; // 0: output in every progress event
        qint64 lastOutputMs = -1; // never yet: the first change is told at once
        QSet<QString> outputDirty; // only with outputIntervalMs > 0
    };

    void scheduleFlush();
    void flushEntry(Entry &entry, qint64 nowMs);
    // deliver(), in order behind this thread's trackers for a tracker on another thread.
    void send(TaskTracker *tracker, const QList<TaskEvent> &events);

    Lookup m_lookup;
    QList<Entry *> m_entries;
    QList<TaskEvent> m_pending;
    bool m_flushScheduled = false;
};
