#include "app/core/deadlinescheduler.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

// The scheduler's own clock is synthetic here: deadlines become due when the test moves it.
class tst_DeadlineScheduler final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void earliestFirstReplaceAndCancel();
    void dueKeysInDeadlineOrder();
    void clearStopsEverything();

private:
    qint64 m_now = 0;
};

void tst_DeadlineScheduler::earliestFirstReplaceAndCancel()
{
    m_now = 0;
    DeadlineScheduler scheduler([this] { return m_now; });
    QCOMPARE(scheduler.nextDeadline(), -1);
    scheduler.schedule(u"a"_s, 50'000);
    scheduler.schedule(u"b"_s, 10'000);
    scheduler.schedule(u"c"_s, 30'000);
    QCOMPARE(scheduler.count(), 3);
    QCOMPARE(scheduler.nextDeadline(), 10'000);
    scheduler.schedule(u"b"_s, 100'000); // a key has one deadline: the new one replaces it
    QCOMPARE(scheduler.count(), 3);
    QCOMPARE(scheduler.nextDeadline(), 30'000);
    scheduler.cancel(u"c"_s);
    QVERIFY(!scheduler.isScheduled(u"c"_s));
    QCOMPARE(scheduler.nextDeadline(), 50'000);
    scheduler.cancel(u"unknown"_s);
    QCOMPARE(scheduler.count(), 2);
}

void tst_DeadlineScheduler::dueKeysInDeadlineOrder()
{
    m_now = 0;
    DeadlineScheduler scheduler([this] { return m_now; });
    QSignalSpy due(&scheduler, &DeadlineScheduler::due);
    scheduler.schedule(u"late"_s, 1'000'000);
    scheduler.schedule(u"second"_s, 60);
    scheduler.schedule(u"first"_s, 50);
    m_now = 60;
    scheduler.schedule(u"third"_s, 60); // due now: the timer is re-armed to fire at once
    QTRY_COMPARE(due.size(), 1);
    QCOMPARE(due.at(0).at(0).toStringList(), (QStringList { u"first"_s, u"second"_s, u"third"_s }));
    QCOMPARE(scheduler.count(), 1);
    QCOMPARE(scheduler.nextDeadline(), 1'000'000);
}

void tst_DeadlineScheduler::clearStopsEverything()
{
    m_now = 0;
    DeadlineScheduler scheduler([this] { return m_now; });
    QSignalSpy due(&scheduler, &DeadlineScheduler::due);
    scheduler.schedule(u"x"_s, 0);
    scheduler.clear();
    QCOMPARE(scheduler.nextDeadline(), -1);
    scheduler.schedule(u"y"_s, 0);
    QTRY_COMPARE(due.size(), 1);
    QCOMPARE(due.at(0).at(0).toStringList(), QStringList { u"y"_s });
}

QTEST_GUILESS_MAIN(tst_DeadlineScheduler)
#include "tst_deadlinescheduler.moc"
