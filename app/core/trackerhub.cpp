#include "trackerhub.h"

#include "tasksnapshot.h"
#include "tasktracker.h"
#include "tsanpostgate.h"

#include <QCoreApplication>
#include <QThread>

#include <algorithm>

TrackerHub::TrackerHub(Lookup lookup, QObject *parent)
    : QObject(parent), m_lookup(std::move(lookup))
{
}

TrackerHub::~TrackerHub()
{
    qDeleteAll(m_entries);
}

void TrackerHub::add(TaskTracker *tracker, int maxUpdatesPerSecond,
                     const QList<TaskEvent> &existing, int outputPerSecond)
{
    auto *entry = new Entry;
    entry->tracker = tracker;
    entry->intervalMs = std::max(1, 1000 / std::max(1, maxUpdatesPerSecond));
    if (outputPerSecond > 0)
        entry->outputIntervalMs = std::max(1, 1000 / outputPerSecond);
    flushState(); // built before this tracker came: not for it
    m_entries.append(entry);
    connect(tracker, &QObject::destroyed, this, [this, tracker] { remove(tracker); });
    Q_EMIT intervalChanged(fastestIntervalMs());
    if (!existing.isEmpty())
        send(tracker, existing);
}

void TrackerHub::remove(TaskTracker *tracker)
{
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i)->tracker == tracker || m_entries.at(i)->tracker.isNull()) {
            delete m_entries.takeAt(i);
            --i;
        }
    }
    Q_EMIT intervalChanged(fastestIntervalMs());
}

int TrackerHub::fastestIntervalMs() const
{
    int interval = DefaultIntervalMs;
    for (const Entry *e : std::as_const(m_entries))
        interval = std::min(interval, e->intervalMs);
    return interval;
}

void TrackerHub::post(const TaskEvent &event)
{
    m_pending.append(event);
    scheduleFlush();
}

void TrackerHub::scheduleFlush()
{
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    // One batch per event-loop pass: all transitions of this pass reach observers together.
    QMetaObject::invokeMethod(this, &TrackerHub::flushState, Qt::QueuedConnection);
}

void TrackerHub::flushState()
{
    m_flushScheduled = false;
    if (m_pending.isEmpty())
        return;
    const QList<TaskEvent> batch = std::exchange(m_pending, {});
    for (const Entry *e : std::as_const(m_entries)) {
        if (e->tracker)
            send(e->tracker, batch);
    }
}

void TrackerHub::deliverStateNow()
{
    flushState();
    for (const Entry *e : std::as_const(m_entries)) {
        if (e->tracker && e->tracker->thread() == QThread::currentThread())
            QCoreApplication::sendPostedEvents(e->tracker, QEvent::MetaCall);
    }
    // ...then relays the batch to the trackers on other threads (send()), which handle it
    // on their own thread, later.
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
}

void TrackerHub::markDirty(const QString &id)
{
    for (Entry *e : std::as_const(m_entries))
        e->dirty.insert(id);
}

void TrackerHub::markOutputDirty(const QString &id)
{
    for (Entry *e : std::as_const(m_entries)) {
        e->dirty.insert(id);
        if (e->outputIntervalMs > 0)
            e->outputDirty.insert(id);
    }
}

bool TrackerHub::hasDirty() const
{
    return std::any_of(m_entries.cbegin(), m_entries.cend(), [](const Entry *e) {
        return !e->dirty.isEmpty() || !e->outputDirty.isEmpty();
    });
}

void TrackerHub::flushProgress(qint64 nowMs, bool force)
{
    for (Entry *e : std::as_const(m_entries)) {
        if (force || nowMs - e->lastFlushMs >= e->intervalMs)
            flushEntry(*e, nowMs);
    }
}

void TrackerHub::flushEntry(Entry &entry, qint64 nowMs)
{
    entry.lastFlushMs = nowMs;
    if (!entry.tracker)
        return;
    const bool separateOutput = entry.outputIntervalMs > 0;
    const bool outputDue = separateOutput && !entry.outputDirty.isEmpty()
        && (entry.lastOutputMs < 0 || nowMs - entry.lastOutputMs >= entry.outputIntervalMs);
    // A task whose output waits for its turn is not told again until then.
    QSet<QString> ids = std::exchange(entry.dirty, {});
    if (outputDue)
        ids.unite(entry.outputDirty);
    if (ids.isEmpty())
        return;
    QList<TaskEvent> events;
    events.reserve(ids.size());
    for (const QString &id : std::as_const(ids)) {
        const TaskSnapshot *task = m_lookup(id);
        if (!task) {
            entry.outputDirty.remove(id);
            continue;
        }
        TaskEvent event { TaskEvent::Kind::Progress, *task, task->state };
        if (separateOutput && !(outputDue && entry.outputDirty.remove(id))) {
            event.withOutput = false;
            event.task.output.clear();
            event.task.outputStderr.clear();
        }
        events.append(std::move(event));
    }
    if (outputDue)
        entry.lastOutputMs = nowMs;
    if (!events.isEmpty())
        send(entry.tracker, events);
}

void TrackerHub::send(TaskTracker *tracker, const QList<TaskEvent> &events)
{
    if (tracker->thread() != thread()) {
        // A tracker on another thread (the server's hub on its own thread) gets a batch after
        // the trackers of this thread given it before have handled it: the store commits a
        // transition before any client is told of it (tests/faults). This thread's posted
        // calls run in order, so the batch is relayed through its queue first.
        QMetaObject::invokeMethod(
            this,
            [this, tracker, events] {
                const bool registered
                    = std::any_of(m_entries.cbegin(), m_entries.cend(),
                                  [tracker](const Entry *e) { return e->tracker == tracker; });
                if (registered)
                    deliver(tracker, events);
            },
            Qt::QueuedConnection);
        return;
    }
    deliver(tracker, events);
}

void TrackerHub::deliver(TaskTracker *tracker, const QList<TaskEvent> &events)
{
    // The tracker's own thread runs the call: its events arrive there.
    static TsanPostGate gate;
    QPointer<TaskTracker> guard(tracker);
    const auto posting = gate.post();
    QMetaObject::invokeMethod(
        tracker,
        [guard, events] {
            gate.pass();
            if (guard)
                guard->tasksChanged(events);
        },
        Qt::QueuedConnection);
}
