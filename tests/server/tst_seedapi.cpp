// Tests of SeedApi's answers to the tutorial's pages, state by state: /task-progress/<id> in
// the Flask app's shape and /task-status/<id> in Celery's (PENDING, PROGRESS, SUCCESS,
// FAILURE), and the demo task /start-task submits. The routes themselves are tst_headwayserver's.
#include "app/core/taskspec.h"
#include "app/server/seedapi.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {
TaskSnapshot task(TaskState state, std::optional<double> percent = 40.6)
{
    TaskSnapshot t;
    t.id = u"t1"_s;
    t.type = u"demo"_s;
    t.state = state;
    t.progress.percent = percent;
    return t;
}
} // namespace

class tst_SeedApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void progress_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<int>("progress");
        QTest::addColumn<QString>("status");
        QTest::newRow("queued") << int(TaskState::Queued) << 40 << u"in progress"_s;
        QTest::newRow("running") << int(TaskState::Running) << 40 << u"in progress"_s;
        QTest::newRow("paused") << int(TaskState::Paused) << 40 << u"in progress"_s;
        QTest::newRow("succeeded: 100") << int(TaskState::Succeeded) << 100 << u"completed"_s;
        // Every end stops the tutorial's poll loop.
        QTest::newRow("failed") << int(TaskState::Failed) << 40 << u"completed"_s;
        QTest::newRow("canceled") << int(TaskState::Canceled) << 40 << u"completed"_s;
    }

    void progress()
    {
        QFETCH(int, state);
        QFETCH(int, progress);
        QFETCH(QString, status);
        const QJsonObject json = SeedApi::progressJson(task(TaskState(state)));
        QCOMPARE(json.value(u"progress"_s).toInt(-1), progress);
        QCOMPARE(json.value(u"status"_s).toString(), status);
        QCOMPARE(json.size(), 2);
    }

    void progressOfUnknownIsEmpty()
    {
        QCOMPARE(SeedApi::progressJson(std::nullopt), QJsonObject());
        // Indeterminate progress reads 0, never NaN or null.
        QCOMPARE(SeedApi::progressJson(task(TaskState::Running, std::nullopt))
                     .value(u"progress"_s)
                     .toInt(-1),
                 0);
    }

    void status_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("celery");
        QTest::addColumn<int>("progress");
        QTest::newRow("queued") << int(TaskState::Queued) << u"PENDING"_s << 0;
        QTest::newRow("retrying") << int(TaskState::Retrying) << u"PENDING"_s << 0;
        QTest::newRow("running") << int(TaskState::Running) << u"PROGRESS"_s << 40;
        QTest::newRow("paused") << int(TaskState::Paused) << u"PROGRESS"_s << 40;
        QTest::newRow("succeeded") << int(TaskState::Succeeded) << u"SUCCESS"_s << 100;
        QTest::newRow("failed") << int(TaskState::Failed) << u"FAILURE"_s << 0;
        QTest::newRow("canceled") << int(TaskState::Canceled) << u"FAILURE"_s << 0;
        QTest::newRow("interrupted") << int(TaskState::Interrupted) << u"FAILURE"_s << 0;
    }

    void status()
    {
        QFETCH(int, state);
        QFETCH(QString, celery);
        QFETCH(int, progress);
        const QJsonObject json = SeedApi::statusJson(task(TaskState(state)));
        QCOMPARE(json.value(u"state"_s).toString(), celery);
        QCOMPARE(json.value(u"progress"_s).toInt(-1), progress);
        if (celery == u"SUCCESS") {
            const QJsonObject result = json.value(u"result"_s).toObject();
            QCOMPARE(result.value(u"status"_s).toString(), u"Task completed!"_s);
            QCOMPARE(result.value(u"result"_s).toString(), u"Task completed!"_s);
        }
        if (celery == u"FAILURE") // without an error of its own: the state's name
            QCOMPARE(json.value(u"error"_s).toString(), taskStateName(TaskState(state)));
    }

    void statusOfUnknownIsPending()
    {
        QCOMPARE(SeedApi::statusJson(std::nullopt),
                 (QJsonObject { { u"state"_s, u"PENDING"_s }, { u"progress"_s, 0 } }));
    }

    void failureCarriesTheMessage()
    {
        TaskSnapshot failed = task(TaskState::Failed);
        failed.error = TaskError { u"demo_failure"_s, u"Step 3 of 5 failed."_s, {} };
        QCOMPARE(SeedApi::statusJson(failed).value(u"error"_s).toString(),
                 u"Step 3 of 5 failed."_s);
    }

    void demoTask()
    {
        const TaskSpec tutorial = tutorialDemoTask(10, 1000);
        QCOMPARE(tutorial.type, u"demo"_s);
        QCOMPARE(tutorial.params, (QJsonObject { { u"steps"_s, 10 }, { u"delay_ms"_s, 1000 } }));
    }

    void percentIsWhole()
    {
        QCOMPARE(tutorialPercent(task(TaskState::Running, 99.9)), 99);
        QCOMPARE(tutorialPercent(task(TaskState::Running, 150.0)), 100);
        QCOMPARE(tutorialPercent(task(TaskState::Running, -3.0)), 0);
        QCOMPARE(tutorialPercent(task(TaskState::Succeeded, 12.0)), 100);
    }
};

QTEST_GUILESS_MAIN(tst_SeedApi)
#include "tst_seedapi.moc"
