#include "app/core/taskstate.h"

#include <QTest>

using namespace Qt::StringLiterals;

// Every pair of states: exactly the transitions of the documented state machine are legal.
class tst_TaskState final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void names_data();
    void names();
    void transitions_data();
    void transitions();
    void finished();
};

void tst_TaskState::names_data()
{
    QTest::addColumn<int>("state");
    QTest::addColumn<QString>("name");
    QTest::newRow("queued") << int(TaskState::Queued) << u"queued"_s;
    QTest::newRow("running") << int(TaskState::Running) << u"running"_s;
    QTest::newRow("paused") << int(TaskState::Paused) << u"paused"_s;
    QTest::newRow("retrying") << int(TaskState::Retrying) << u"retrying"_s;
    QTest::newRow("succeeded") << int(TaskState::Succeeded) << u"succeeded"_s;
    QTest::newRow("failed") << int(TaskState::Failed) << u"failed"_s;
    QTest::newRow("canceled") << int(TaskState::Canceled) << u"canceled"_s;
    QTest::newRow("interrupted") << int(TaskState::Interrupted) << u"interrupted"_s;
}

void tst_TaskState::names()
{
    QFETCH(int, state);
    QFETCH(QString, name);
    QCOMPARE(taskStateName(TaskState(state)), name);
    QCOMPARE(taskStateFromName(name), std::optional<TaskState>(TaskState(state)));
    QVERIFY(!taskStateFromName(name.toUpper()));
}

void tst_TaskState::transitions_data()
{
    QTest::addColumn<int>("from");
    QTest::addColumn<int>("to");
    QTest::addColumn<bool>("allowed");
    using S = TaskState;
    const QList<std::pair<S, S>> legal = {
        { S::Queued, S::Running },     { S::Queued, S::Canceled },
        { S::Running, S::Succeeded },  { S::Running, S::Failed },
        { S::Running, S::Canceled },   { S::Running, S::Paused },
        { S::Running, S::Retrying },   { S::Running, S::Interrupted },
        { S::Paused, S::Running },     { S::Paused, S::Canceled },
        { S::Paused, S::Interrupted }, { S::Retrying, S::Queued },
        { S::Retrying, S::Canceled },  { S::Failed, S::Queued },
        { S::Canceled, S::Queued },    { S::Interrupted, S::Queued },
        { S::Interrupted, S::Failed }, { S::Interrupted, S::Canceled },
    };
    for (int f = 0; f <= int(S::Interrupted); ++f) {
        for (int t = 0; t <= int(S::Interrupted); ++t) {
            const bool allowed = legal.contains(std::make_pair(S(f), S(t)));
            const QByteArray row = (taskStateName(S(f)) + u"->"_s + taskStateName(S(t))).toUtf8();
            QTest::newRow(row.constData()) << f << t << allowed;
        }
    }
}

void tst_TaskState::transitions()
{
    QFETCH(int, from);
    QFETCH(int, to);
    QFETCH(bool, allowed);
    QCOMPARE(isTransitionAllowed(TaskState(from), TaskState(to)), allowed);
}

void tst_TaskState::finished()
{
    QVERIFY(!isFinished(TaskState::Queued));
    QVERIFY(!isFinished(TaskState::Running));
    QVERIFY(!isFinished(TaskState::Paused));
    QVERIFY(!isFinished(TaskState::Retrying));
    QVERIFY(isFinished(TaskState::Succeeded));
    QVERIFY(isFinished(TaskState::Failed));
    QVERIFY(isFinished(TaskState::Canceled));
    QVERIFY(isFinished(TaskState::Interrupted));
    QVERIFY(!isRetryable(TaskState::Succeeded));
    QVERIFY(isRetryable(TaskState::Interrupted));
}

QTEST_GUILESS_MAIN(tst_TaskState)
#include "tst_taskstate.moc"
