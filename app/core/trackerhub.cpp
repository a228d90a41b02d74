#include "trackerhub.h"

#include "tasksnapshot.h"
#include "tasktracker.h"

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
                     const QList<TaskEvent> &existing)
{
    auto *entry = new Entry;
    entry->tracker = tracker;
    entry->intervalMs = std::max(1, 1000 / std::max(1, maxUpdatesPerSecond));
    flushState(); // built before this tracker came: not for it
    m_entries.append(entry);
    connect(tracker, &QObject::destroyed, this, [this, tracker] { remove(tracker); });
    Q_EMIT intervalChanged(fastestIntervalMs());
    if (!existing.isEmpty())
        deliver(tracker, existing);
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
            deliver(e->tracker, batch);
    }
}

void TrackerHub::markDirty(const QString &id)
{
    for (Entry *e : std::as_const(m_entries))
        e->dirty.insert(id);
}

bool TrackerHub::hasDirty() const
{
    return std::any_of(m_entries.cbegin(), m_entries.cend(),
                       [](const Entry *e) { return !e->dirty.isEmpty(); });
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
    if (entry.dirty.isEmpty() || !entry.tracker)
        return;
    QList<TaskEvent> events;
    events.reserve(entry.dirty.size());
    for (const QString &id : std::as_const(entry.dirty)) {
        if (const TaskSnapshot *task = m_lookup(id))
            events.append({ TaskEvent::Kind::Progress, *task, task->state });
    }
    entry.dirty.clear();
    if (!events.isEmpty())
        deliver(entry.tracker, events);
}

void TrackerHub::deliver(TaskTracker *tracker, const QList<TaskEvent> &events)
{
    QPointer<TaskTracker> guard(tracker);
    QMetaObject::invokeMethod(
        tracker,
        [guard, events] {
            if (guard)
                guard->tasksChanged(events);
        },
        Qt::QueuedConnection);
}
