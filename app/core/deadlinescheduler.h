#pragma once

#include <QHash>
#include <QMap>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <utility>

// Keyed deadlines on a monotonic clock, served by one single-shot timer armed to the earliest.
// The engine's timeouts, cancel grace periods and retry backoffs wait here, so a task that
// waits out a ten-minute backoff wakes the process once, not on every progress tick.
class DeadlineScheduler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeadlineScheduler)

public:
    using Clock = std::function<qint64()>; // monotonic milliseconds

    explicit DeadlineScheduler(Clock clock, QObject *parent = nullptr);

    // Sets the key's deadline, replacing any earlier one of the same key.
    void schedule(const QString &key, qint64 atMs);
    void cancel(const QString &key);
    void clear();

    bool isScheduled(const QString &key) const { return m_byKey.contains(key); }
    int count() const { return int(m_byKey.size()); }
    // The earliest deadline, -1 when none (the timer is then stopped).
    qint64 nextDeadline() const;

Q_SIGNALS:
    // The keys whose deadline has passed, earliest first; they are no longer scheduled.
    void due(const QStringList &keys);

private:
    void rearm();
    void fire();

    Clock m_clock;
    // (deadline, order of scheduling): equal deadlines come due in the order they were set.
    using Slot = std::pair<qint64, quint64>;
    QHash<QString, Slot> m_byKey;
    QMap<Slot, QString> m_byTime;
    quint64 m_sequence = 0;
    QTimer m_timer;
};
