#include "app/core/progressestimator.h"

#include <QTest>

using namespace Qt::StringLiterals;

// ProgressEstimator against a synthetic clock sampled every 33 ms like the engine's.
class tst_ProgressEstimator final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pipelineTimeLeftCoversTheStepsToCome_data()
    {
        QTest::addColumn<qint64>("atMs");
        QTest::addColumn<double>("speed"); // the current step's, in its unit
        QTest::addColumn<double>("eta");
        QTest::newRow("in the first step") << qint64(1518) << 500.0 << 4.5;
        QTest::newRow("in the second step") << qint64(3531) << 5.0 << 2.5;
        QTest::newRow("in the last step") << qint64(5511) << 0.0 << 0.5;
    }

    void pipelineTimeLeftCoversTheStepsToCome()
    {
        QFETCH(qint64, atMs);
        QFETCH(double, speed);
        QFETCH(double, eta);
        // Three steps of 2 s each: 1000 bytes, then 10 items, then one without a total.
        ProgressEstimator estimator;
        TaskProgress p;
        p.steps = { u"Copy"_s, u"Count"_s, u"Wait"_s };
        for (qint64 t = 0; t <= atMs; t += 33) {
            p.step = int(t / 2000);
            const double local = double(t % 2000) / 2000.0;
            switch (p.step) {
            case 0:
                p.total = 1000;
                p.processed = qint64(local * 1000);
                p.unit = u"bytes"_s;
                break;
            case 1:
                p.total = 10;
                p.processed = qint64(local * 10);
                p.unit = u"items"_s;
                break;
            default:
                p.total = -1;
                p.processed = 0;
                p.unit.clear();
                break;
            }
            p.percent = 100.0 * (double(p.step) + local) / 3.0;
            estimator.update(t, p);
        }
        QVERIFY2(std::abs(p.speed - speed) <= speed * 0.05, qPrintable(QString::number(p.speed)));
        QVERIFY(p.eta);
        QVERIFY2(std::abs(*p.eta - eta) <= 0.25, qPrintable(QString::number(*p.eta)));
    }

    void singleTaskTimeLeftIsTheRemainingAmount()
    {
        ProgressEstimator estimator;
        TaskProgress p;
        p.total = 60;
        p.unit = u"items"_s;
        bool changed = false;
        for (qint64 t = 0; t <= 3000; t += 25) { // samples on the seconds: exact figures
            p.processed = t / 1000; // 1 item/s
            p.percent = 100.0 * double(p.processed) / 60.0;
            changed = estimator.update(t, p) || changed;
        }
        QVERIFY(changed);
        QCOMPARE(p.speed, 1.0);
        QVERIFY(p.eta);
        QCOMPARE(*p.eta, 57.0);
        QVERIFY(!estimator.update(3000, p)); // nothing new
    }
};

QTEST_APPLESS_MAIN(tst_ProgressEstimator)
#include "tst_progressestimator.moc"
