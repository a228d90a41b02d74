#include "app/server/authratelimiter.h"

#include <QTest>

using namespace std::chrono_literals;

class TestAuthRateLimiter final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void blocksAfterMaxFailuresUntilWindowPasses();
    void addressesAreIndependent();
    void ipv4MappedCountsAsIpv4();
    void slidingWindowForgetsOldFailures();
    void trackedAddressesAreBounded();

private:
    qint64 m_now = 1000;
    AuthRateLimiter::Clock clock()
    {
        return [this] { return m_now; };
    }
};

void TestAuthRateLimiter::blocksAfterMaxFailuresUntilWindowPasses()
{
    AuthRateLimiter limiter({}, clock());
    const QHostAddress peer(QHostAddress::LocalHost);
    for (int i = 0; i < 9; ++i) {
        limiter.recordFailure(peer);
        m_now += 100;
    }
    QVERIFY(!limiter.isBlocked(peer));
    limiter.recordFailure(peer);
    QVERIFY(limiter.isBlocked(peer));
    QCOMPARE(limiter.failureCount(peer), 10);
    // The first failure was at t=1000; it leaves the window at 61000.
    QCOMPARE(limiter.retryAfter(peer), std::chrono::milliseconds(61000 - m_now));
    m_now = 60999;
    QVERIFY(limiter.isBlocked(peer));
    m_now = 61000;
    QVERIFY(!limiter.isBlocked(peer));
    QCOMPARE(limiter.failureCount(peer), 9);
}

void TestAuthRateLimiter::addressesAreIndependent()
{
    AuthRateLimiter limiter({ 3, 1000ms, 100 }, clock());
    const QHostAddress a(QStringLiteral("10.0.0.1"));
    const QHostAddress b(QStringLiteral("::1"));
    for (int i = 0; i < 3; ++i)
        limiter.recordFailure(a);
    QVERIFY(limiter.isBlocked(a));
    QVERIFY(!limiter.isBlocked(b));
    QCOMPARE(limiter.failureCount(b), 0);
    limiter.clear();
    QVERIFY(!limiter.isBlocked(a));
}

void TestAuthRateLimiter::ipv4MappedCountsAsIpv4()
{
    AuthRateLimiter limiter({ 2, 1000ms, 100 }, clock());
    limiter.recordFailure(QHostAddress(QStringLiteral("::ffff:127.0.0.1")));
    limiter.recordFailure(QHostAddress(QHostAddress::LocalHost));
    QVERIFY(limiter.isBlocked(QHostAddress(QHostAddress::LocalHost)));
    QVERIFY(limiter.isBlocked(QHostAddress(QStringLiteral("::ffff:127.0.0.1"))));
}

void TestAuthRateLimiter::slidingWindowForgetsOldFailures()
{
    AuthRateLimiter limiter({ 3, 1000ms, 100 }, clock());
    const QHostAddress peer(QHostAddress::LocalHost);
    limiter.recordFailure(peer);
    m_now += 600;
    limiter.recordFailure(peer);
    m_now += 600; // the first one is out of the window now
    limiter.recordFailure(peer);
    QVERIFY(!limiter.isBlocked(peer));
    QCOMPARE(limiter.failureCount(peer), 2);
}

void TestAuthRateLimiter::trackedAddressesAreBounded()
{
    AuthRateLimiter limiter({ 2, 1000ms, 4 }, clock());
    for (int i = 0; i < 50; ++i) {
        limiter.recordFailure(QHostAddress(quint32(0x0a000000 + i)));
        m_now += 1;
    }
    // Only the newest four are remembered; older ones were forgotten, not blocked.
    QCOMPARE(limiter.failureCount(QHostAddress(quint32(0x0a000000))), 0);
    QCOMPARE(limiter.failureCount(QHostAddress(quint32(0x0a000000 + 49))), 1);
}

QTEST_GUILESS_MAIN(TestAuthRateLimiter)
#include "tst_authratelimiter.moc"
