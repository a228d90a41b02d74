#pragma once

#include <QHash>
#include <QHostAddress>
#include <QList>

#include <chrono>
#include <functional>

// Slows down token guessing: after maxFailures failed token attempts from one client address
// within window, that address is refused (HTTP 429, Retry-After) until its oldest counted
// failure leaves the window. A success does not wipe the count (all local clients share
// 127.0.0.1; a guesser must not get fresh tries because the page logged in). Memory is bounded:
// at most maxAddresses addresses are tracked, the stalest forgotten first. IPv4-mapped IPv6
// addresses count as their IPv4 address. Not thread-safe: use it from the server's thread.
class AuthRateLimiter final
{
public:
    using Clock = std::function<qint64()>; // monotonic milliseconds

    struct Options
    {
        int maxFailures = 10;
        std::chrono::milliseconds window { 60'000 };
        int maxAddresses = 4096;
    };

    AuthRateLimiter();
    explicit AuthRateLimiter(Options options, Clock clock = {});

    // Zero when the address may try; otherwise how long until it may (for Retry-After).
    std::chrono::milliseconds retryAfter(const QHostAddress &address);
    bool isBlocked(const QHostAddress &address) { return retryAfter(address).count() > 0; }
    void recordFailure(const QHostAddress &address);
    int failureCount(const QHostAddress &address); // within the current window
    void clear() { m_entries.clear(); }
    const Options &options() const { return m_options; }

private:
    struct Entry
    {
        QList<qint64> failures; // times, oldest first, at most maxFailures
        qint64 lastSeen = 0;
    };

    static QHostAddress normalized(const QHostAddress &address);
    void prune(Entry &entry, qint64 now) const;
    void evictStalest();

    Options m_options;
    Clock m_clock;
    QHash<QHostAddress, Entry> m_entries;
};
