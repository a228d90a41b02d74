// Tests of ProgressSampler: asleep until woken, ticking while its function says there is more,
// asleep again as soon as it says there is not (no timer left running), woken again later;
// the interval never below the minimum.
#include "app/core/progresssampler.h"

#include <QTest>

class tst_ProgressSampler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sleepsUntilWoken()
    {
        int ticks = 0;
        int wanted = 3; // ticks with something to sample
        ProgressSampler sampler([&] { return ++ticks < wanted; });
        QVERIFY(!sampler.isActive());
        sampler.setInterval(1);
        QCOMPARE(sampler.interval(), ProgressSampler::MinIntervalMs);
        sampler.wake();
        QVERIFY(sampler.isActive());
        QTRY_VERIFY(!sampler.isActive());
        QCOMPARE(ticks, 3); // stopped by the tick that found nothing more
        sampler.wake(); // a change: one more tick, then asleep again
        wanted = 0;
        QTRY_VERIFY(!sampler.isActive());
        QCOMPARE(ticks, 4);
    }

    void wakeIsIdempotentAndStopStops()
    {
        int ticks = 0;
        ProgressSampler sampler([&] {
            ++ticks;
            return true;
        });
        sampler.setInterval(15);
        sampler.wake();
        sampler.wake();
        QTRY_VERIFY(ticks >= 2);
        sampler.stop();
        QVERIFY(!sampler.isActive());
        QCOMPARE(sampler.interval(), 15);
    }
};

QTEST_GUILESS_MAIN(tst_ProgressSampler)
#include "tst_progresssampler.moc"
