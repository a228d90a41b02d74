// DemoTask: steps and progress, failing at a chosen step, cancel and pause reacting within a
// slice, and its result. No sleeps and no time limits: waits are for conditions (a one-hour
// step that still ends on cancel, a task parked at its checkpoint by a pause).
#include "app/core/taskcontext.h"
#include "app/core/tasks/demotask.h"

#include <QElapsedTimer>
#include <QTest>

#include <thread>

using namespace Qt::StringLiterals;

class tst_DemoTask : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void succeeds_data();
    void succeeds();
    void followsASchedule_data();
    void followsASchedule();
    void failsAtStep_data();
    void failsAtStep();
    void cancelIsPrompt();
    void pauseStopsProgress();
};

void tst_DemoTask::succeeds_data()
{
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("delayMs");
    QTest::newRow("no steps") << 0 << 10;
    QTest::newRow("one instant step") << 1 << 0;
    QTest::newRow("five short steps") << 5 << 15;
}

void tst_DemoTask::succeeds()
{
    QFETCH(int, steps);
    QFETCH(int, delayMs);
    TaskContext context;
    QElapsedTimer timer;
    timer.start();
    const TaskOutcome outcome = DemoTask(steps, delayMs, 0).run(context);
    QVERIFY(outcome.ok);
    QVERIFY(timer.elapsed() >= steps * delayMs);
    QCOMPARE(outcome.result.toObject(),
             (QJsonObject { { u"status"_s, u"Task completed!"_s }, { u"steps"_s, steps } }));

    TaskContext::Sample sample;
    context.sample(sample);
    QCOMPARE(sample.total, steps);
    QCOMPARE(sample.processed, steps);
    QCOMPARE(sample.unit, u"items"_s);
    QCOMPARE(sample.percent, 100.0);
    if (steps > 0)
        QCOMPARE(sample.message, u"Step %1 of %1"_s.arg(steps));
}

void tst_DemoTask::followsASchedule_data()
{
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("delayMs");
    QTest::addColumn<int>("overshootMs");
    QTest::newRow("exact sleeps") << 10 << 10 << 0;
    QTest::newRow("each sleep 3 ms late") << 10 << 10 << 3;
    QTest::newRow("each sleep later than a step") << 10 << 10 << 25;
    QTest::newRow("slices of a long step, each late") << 3 << 95 << 4;
}

// A clock where every sleep wakes late: the steps still end at step x delay (the schedule
// absorbs the overshoot), so the task lasts steps x delay plus one overshoot at most, never
// the sum of every sleep's.
void tst_DemoTask::followsASchedule()
{
    QFETCH(int, steps);
    QFETCH(int, delayMs);
    QFETCH(int, overshootMs);
    qint64 nowNs = 0;
    int sleeps = 0;
    const DemoTask::Clock late { [&] { return nowNs; },
                                 [&](qint64 ns) {
                                     QVERIFY(ns > 0);
                                     ++sleeps;
                                     nowNs += ns + qint64(overshootMs) * 1'000'000;
                                 } };
    TaskContext context;
    const TaskOutcome outcome = DemoTask(steps, delayMs, 0, late).run(context);
    QVERIFY(outcome.ok);
    QCOMPARE(context.processed(), steps);
    const qint64 nominalNs = qint64(steps) * delayMs * 1'000'000;
    QVERIFY2(nowNs >= nominalNs, qPrintable(QString::number(nowNs)));
    QVERIFY2(nowNs <= nominalNs + qint64(overshootMs) * 1'000'000,
             qPrintable(u"%1 ns after %2 sleeps"_s.arg(nowNs).arg(sleeps)));
}

void tst_DemoTask::failsAtStep_data()
{
    QTest::addColumn<int>("failAt");
    QTest::newRow("first") << 1;
    QTest::newRow("middle") << 3;
    QTest::newRow("last") << 5;
}

void tst_DemoTask::failsAtStep()
{
    QFETCH(int, failAt);
    TaskContext context;
    const TaskOutcome outcome = DemoTask(5, 1, failAt).run(context);
    QVERIFY(!outcome.ok);
    QCOMPARE(outcome.error.code, u"demo_failure"_s);
    QVERIFY(outcome.error.message.contains(u"Step %1 of 5"_s.arg(failAt)));
    QCOMPARE(outcome.error.details.value(u"step"_s).toInt(), failAt);
    // Steps before the failing one are done, the failing one is not.
    QCOMPARE(context.processed(), failAt - 1);
}

void tst_DemoTask::cancelIsPrompt()
{
    TaskContext context;
    TaskOutcome outcome;
    std::atomic<bool> done { false };
    // One step of an hour: only the sliced sleep can make cancel prompt.
    std::thread worker([&] {
        outcome = DemoTask(3, 3600 * 1000, 0).run(context);
        done = true;
    });
    // Started and inside the first step's delay.
    QTRY_VERIFY([&] {
        TaskContext::Sample sample;
        context.sample(sample);
        return sample.message == u"Step 1 of 3"_s;
    }());
    // Without the slices the step would last the hour: ending at all is the proof.
    context.requestCancel();
    QTRY_VERIFY(done.load());
    worker.join();
    QCOMPARE(outcome.error.code, u"canceled"_s);
    QCOMPARE(context.processed(), 0); // the first step never completed
}

void tst_DemoTask::pauseStopsProgress()
{
    TaskContext context;
    TaskOutcome outcome;
    std::atomic<bool> done { false };
    std::thread worker([&] {
        outcome = DemoTask(20, 10, 0).run(context);
        done = true;
    });
    QTRY_VERIFY(context.processed() >= 2);
    context.requestPause();
    // Held at a checkpoint (within a slice): from now on it cannot count on.
    QTRY_VERIFY(context.isParked());
    const qint64 pausedAt = context.processed();
    QVERIFY(pausedAt < 20);
    QVERIFY(!done);
    QVERIFY(context.isParked());
    QCOMPARE(context.processed(), pausedAt);
    context.requestResume();
    QTRY_VERIFY_WITH_TIMEOUT(done.load(), 5000);
    worker.join();
    QVERIFY(outcome.ok);
    QCOMPARE(context.processed(), 20);
}

QTEST_GUILESS_MAIN(tst_DemoTask)
#include "tst_demotask.moc"
