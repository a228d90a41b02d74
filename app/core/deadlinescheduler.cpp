#include "deadlinescheduler.h"

#include <algorithm>
#include <limits>

DeadlineScheduler::DeadlineScheduler(Clock clock, QObject *parent)
    : QObject(parent), m_clock(std::move(clock))
{
    m_timer.setSingleShot(true);
    // A precise timer never fires early, so a deadline is never seen as "not yet".
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &DeadlineScheduler::fire);
}

void DeadlineScheduler::schedule(const QString &key, qint64 atMs)
{
    if (const auto it = m_byKey.constFind(key); it != m_byKey.cend()) {
        if (it->first == atMs)
            return;
        m_byTime.remove(*it);
    }
    const Slot slot { atMs, ++m_sequence };
    m_byKey.insert(key, slot);
    m_byTime.insert(slot, key);
    rearm();
}

void DeadlineScheduler::cancel(const QString &key)
{
    const auto it = m_byKey.constFind(key);
    if (it == m_byKey.cend())
        return;
    m_byTime.remove(*it);
    m_byKey.erase(it);
    rearm();
}

void DeadlineScheduler::clear()
{
    m_byKey.clear();
    m_byTime.clear();
    m_timer.stop();
}

qint64 DeadlineScheduler::nextDeadline() const
{
    return m_byTime.isEmpty() ? -1 : m_byTime.firstKey().first;
}

void DeadlineScheduler::rearm()
{
    if (m_byTime.isEmpty()) {
        m_timer.stop();
        return;
    }
    const qint64 wait = std::max<qint64>(0, m_byTime.firstKey().first - m_clock());
    m_timer.start(int(std::min<qint64>(wait, std::numeric_limits<int>::max())));
}

void DeadlineScheduler::fire()
{
    const qint64 now = m_clock();
    QStringList keys;
    while (!m_byTime.isEmpty() && m_byTime.firstKey().first <= now) {
        const QString key = m_byTime.first();
        m_byTime.erase(m_byTime.begin());
        m_byKey.remove(key);
        keys.append(key);
    }
    rearm();
    if (!keys.isEmpty())
        Q_EMIT due(keys);
}
