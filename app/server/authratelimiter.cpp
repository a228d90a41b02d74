#include "app/server/authratelimiter.h"

#include <QElapsedTimer>

#include <algorithm>

AuthRateLimiter::AuthRateLimiter() : AuthRateLimiter(Options()) { }

AuthRateLimiter::AuthRateLimiter(Options options, Clock clock)
    : m_options(options), m_clock(std::move(clock))
{
    m_options.maxFailures = std::max(1, m_options.maxFailures);
    m_options.maxAddresses = std::max(1, m_options.maxAddresses);
    if (!m_clock) {
        m_clock = [timer = [] {
            QElapsedTimer t;
            t.start();
            return t;
        }()] { return timer.elapsed(); };
    }
}

QHostAddress AuthRateLimiter::normalized(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : address;
}

void AuthRateLimiter::prune(Entry &entry, qint64 now) const
{
    const qint64 windowStart = now - qint64(m_options.window.count());
    while (!entry.failures.isEmpty() && entry.failures.constFirst() <= windowStart)
        entry.failures.removeFirst();
}

std::chrono::milliseconds AuthRateLimiter::retryAfter(const QHostAddress &address)
{
    const auto it = m_entries.find(normalized(address));
    if (it == m_entries.end())
        return std::chrono::milliseconds(0);
    const qint64 now = m_clock();
    prune(*it, now);
    if (it->failures.size() < m_options.maxFailures) {
        if (it->failures.isEmpty())
            m_entries.erase(it);
        return std::chrono::milliseconds(0);
    }
    return std::chrono::milliseconds(it->failures.constFirst() + m_options.window.count() - now);
}

int AuthRateLimiter::failureCount(const QHostAddress &address)
{
    const auto it = m_entries.find(normalized(address));
    if (it == m_entries.end())
        return 0;
    prune(*it, m_clock());
    return int(it->failures.size());
}

void AuthRateLimiter::recordFailure(const QHostAddress &address)
{
    const QHostAddress key = normalized(address);
    const qint64 now = m_clock();
    if (!m_entries.contains(key) && m_entries.size() >= m_options.maxAddresses)
        evictStalest();
    Entry &entry = m_entries[key];
    prune(entry, now);
    entry.failures.append(now);
    // Only the newest maxFailures matter for the verdict; keeps each entry small.
    while (entry.failures.size() > m_options.maxFailures)
        entry.failures.removeFirst();
    entry.lastSeen = now;
}

void AuthRateLimiter::evictStalest()
{
    const qint64 now = m_clock();
    // Forget addresses with nothing in the window first, then the least recently seen.
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        prune(*it, now);
        it = it->failures.isEmpty() ? m_entries.erase(it) : std::next(it);
    }
    if (m_entries.size() < m_options.maxAddresses)
        return;
    const auto stalest
        = std::min_element(m_entries.begin(), m_entries.end(),
                           [](const Entry &a, const Entry &b) { return a.lastSeen < b.lastSeen; });
    m_entries.erase(stalest);
}
