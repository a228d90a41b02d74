#include "app/core/speedestimator.h"

#include <QTest>

#include <cmath>
#include <functional>

using namespace Qt::StringLiterals;

// SpeedEstimator against synthetic clocks: the engine samples every 33 ms; the work advances
// continuously, in whole steps, in bursts, stalls and resumes.
namespace {
constexpr qint64 kTickMs = 33;

// The amount done at a time in ms.
using Work = std::function<qint64(qint64)>;

// Steady work of `perStep` units every `stepMs`, the first step `phaseMs` after the start.
Work steps(qint64 perStep, qint64 stepMs, qint64 phaseMs)
{
    return [=](qint64 ms) { return ms < phaseMs ? 0 : perStep * ((ms - phaseMs) / stepMs + 1); };
}
} // namespace

class tst_SpeedEstimator final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void settlesOnSteadyRate_data()
    {
        QTest::addColumn<qint64>("perStep");
        QTest::addColumn<qint64>("stepMs");
        QTest::addColumn<qint64>("phaseMs");
        QTest::newRow("bytes, continuous") << qint64(4096) << qint64(10) << qint64(0);
        QTest::newRow("1 item/s") << qint64(1) << qint64(1000) << qint64(0);
        QTest::newRow("1 item/s, started mid-step") << qint64(1) << qint64(1000) << qint64(700);
        QTest::newRow("an item every 700 ms") << qint64(1) << qint64(700) << qint64(300);
        QTest::newRow("an item every 2.5 s") << qint64(1) << qint64(2500) << qint64(100);
    }

    void settlesOnSteadyRate()
    {
        QFETCH(qint64, perStep);
        QFETCH(qint64, stepMs);
        QFETCH(qint64, phaseMs);
        const Work work = steps(perStep, stepMs, phaseMs);
        const double rate = double(perStep) * 1000.0 / double(stepMs);
        const qint64 total = work(60'000);
        // Settled once two steps have been seen, and within 3 s for steps of up to a second.
        const qint64 settledMs = std::max<qint64>(3000, phaseMs + 2 * stepMs + kTickMs);
        SpeedEstimator estimator;
        double lastEta = -1;
        for (qint64 t = 0; t <= 40'000; t += kTickMs) {
            estimator.update(t, work(t));
            if (t < settledMs)
                continue;
            QVERIFY2(
                std::abs(estimator.speed() - rate) <= rate * 0.02,
                qPrintable(QString::number(estimator.speed()) + u" at "_s + QString::number(t)));
            const std::optional<double> eta = estimator.eta(total - work(t));
            QVERIFY(eta);
            // On a steady rate the time left goes down, never back up by more than the
            // jitter of the 33 ms clock.
            if (lastEta >= 0)
                QVERIFY2(*eta <= lastEta * 1.02,
                         qPrintable(QString::number(*eta) + u" after "_s + QString::number(lastEta)
                                    + u" at "_s + QString::number(t)));
            lastEta = *eta;
        }
    }

    void staysSteadyOnBursts()
    {
        // A network upload at 4 MiB/s whose 64 KiB blocks arrive in bunches, up to 400 ms apart.
        constexpr double rate = 4.0 * 1024 * 1024;
        constexpr qint64 block = 64 * 1024;
        quint32 seed = 12345;
        qint64 arrivedMs = 0;
        qint64 amount = 0;
        SpeedEstimator estimator;
        for (qint64 t = 0; t <= 30'000; t += kTickMs) {
            while (arrivedMs <= t) { // what arrived by this tick
                amount = qint64(rate * double(arrivedMs) / 1000.0) / block * block;
                seed = seed * 1664525u + 1013904223u; // a fixed pseudo-random sequence
                arrivedMs += 1 + (seed >> 8) % 400;
            }
            estimator.update(t, amount);
            if (t >= 3000)
                QVERIFY2(std::abs(estimator.speed() - rate) <= rate * 0.1,
                         qPrintable(QString::number(estimator.speed() / rate) + u" at "_s
                                    + QString::number(t)));
        }
    }

    void fallsWhenStalledAndSettlesWhenResumed()
    {
        // 1 item/s for 10 s, nothing for 20 s, then 2 items/s.
        const auto work = [](qint64 ms) -> qint64 {
            if (ms < 10'000)
                return ms / 1000;
            if (ms < 30'000)
                return 10;
            return 10 + (ms - 30'000) / 500;
        };
        SpeedEstimator estimator;
        double last = 0;
        for (qint64 t = 0; t <= 40'000; t += kTickMs) {
            estimator.update(t, work(t));
            const double s = estimator.speed();
            if (t >= 10'000 && t < 30'000) {
                QVERIFY2(s <= last + 1e-9, qPrintable(QString::number(t))); // never up
                if (t >= 12'000)
                    QVERIFY2(s < 1.0, qPrintable(QString::number(t))); // visibly down
                if (t >= 20'000) {
                    QCOMPARE(s, 0.0); // stalled: no made-up rate
                    QVERIFY(!estimator.eta(5));
                }
            }
            if (t >= 33'000)
                QVERIFY2(std::abs(s - 2.0) <= 2.0 * 0.02,
                         qPrintable(QString::number(s) + u" at "_s + QString::number(t)));
            last = s;
        }
    }

    void nothingBeforeWarmUpAndStartsOverWhenTheAmountGoesBack()
    {
        SpeedEstimator estimator;
        estimator.update(0, 0);
        estimator.update(500, 500);
        QCOMPARE(estimator.speed(), 0.0); // warming up
        estimator.update(1000, 1000);
        QCOMPARE(estimator.speed(), 1000.0);
        estimator.update(1100, 0); // a new step or attempt counts from zero again
        QCOMPARE(estimator.speed(), 0.0);
        for (qint64 t = 1100; t <= 3100; t += 100)
            estimator.update(t, (t - 1100) * 3);
        QCOMPARE(estimator.speed(), 3000.0);
    }
};

QTEST_APPLESS_MAIN(tst_SpeedEstimator)
#include "tst_speedestimator.moc"
