// Tests of SyncHub: revisions, diffs since a rid, removals, full updates, cached messages.
#include "app/server/synchub.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
TaskEvent makeEvent(TaskEvent::Kind kind, const QString &id, TaskState state = TaskState::Queued)
{
    TaskEvent e;
    e.kind = kind;
    e.task.id = id;
    e.task.type = u"demo"_s;
    e.task.state = state;
    return e;
}

QStringList ids(const QJsonArray &tasks)
{
    QStringList list;
    for (const QJsonValue &t : tasks)
        list.append(t.toObject().value(u"id"_s).toString());
    return list;
}
} // namespace

class tst_SyncHub : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void taskJsonFollowsTheLiveTask()
    {
        SyncHub hub;
        const TaskEvent added = makeEvent(TaskEvent::Kind::Added, u"a"_s);
        hub.tasksChanged({ added });
        const QByteArray expected
            = QJsonDocument(added.task.toJson()).toJson(QJsonDocument::Compact);
        QCOMPARE(hub.taskJson(added.task), expected);
        QCOMPARE(hub.taskJson(added.task), expected); // cached
        // The engine moved on before the hub heard of it: never the stale copy.
        TaskSnapshot live = added.task;
        live.state = TaskState::Running;
        live.progress.percent = 12;
        QCOMPARE(hub.taskJson(live), QJsonDocument(live.toJson()).toJson(QJsonDocument::Compact));
        TaskSnapshot unknown = live;
        unknown.id = u"zz"_s;
        QCOMPARE(hub.taskJson(unknown),
                 QJsonDocument(unknown.toJson()).toJson(QJsonDocument::Compact));
    }
    // The feeds carry no command output (up to 64 KiB at 30 events a second): only its size
    // and the last stderr line; a progress event without output (the hub takes output once a
    // second) keeps what was last told.
    void feedsSummarizeTheOutput()
    {
        SyncHub hub;
        TaskEvent running = makeEvent(TaskEvent::Kind::StateChanged, u"a"_s, TaskState::Running);
        OutputTail::append(running.task.output, running.task.outputStderr, u"one\n", false, 1000);
        OutputTail::append(running.task.output, running.task.outputStderr, u"tar: EOF\n", true,
                           1000);
        OutputTail::append(running.task.output, running.task.outputStderr, u"two\n", false, 1000);
        hub.tasksChanged({ running });
        const auto summaryOf = [&hub](qint64 since) {
            const QJsonObject diff = hub.diffSince(since);
            const QJsonObject fromMessage = QJsonDocument::fromJson(hub.message(since))
                                                .object()
                                                .value(u"tasks"_s)
                                                .toArray()
                                                .first()
                                                .toObject();
            const QJsonObject task = diff.value(u"tasks"_s).toArray().first().toObject();
            return fromMessage == task ? task : QJsonObject();
        };
        QJsonObject task = summaryOf(0);
        QVERIFY(!task.isEmpty());
        QVERIFY(!task.contains(u"output"_s));
        QVERIFY(!task.contains(u"output_stderr"_s));
        QCOMPARE(task.value(u"output_size"_s).toInteger(), 17);
        QCOMPARE(task.value(u"stderr_last_line"_s).toString(), u"tar: EOF"_s);

        qint64 since = hub.rid();
        TaskEvent progress = makeEvent(TaskEvent::Kind::Progress, u"a"_s, TaskState::Running);
        progress.task.progress.percent = 40;
        progress.withOutput = false;
        hub.tasksChanged({ progress });
        task = summaryOf(since);
        QCOMPARE(task.value(u"progress"_s).toObject().value(u"percent"_s).toDouble(), 40.0);
        QCOMPARE(task.value(u"output_size"_s).toInteger(), 17);
        QCOMPARE(task.value(u"stderr_last_line"_s).toString(), u"tar: EOF"_s);

        since = hub.rid();
        progress.withOutput = true;
        progress.task.output = u"one\n"_s;
        hub.tasksChanged({ progress });
        task = summaryOf(since);
        QCOMPARE(task.value(u"output_size"_s).toInteger(), 4);
        QVERIFY(!task.contains(u"stderr_last_line"_s));

        // A task that printed nothing: the summary is the whole task.
        const TaskEvent quiet = makeEvent(TaskEvent::Kind::Added, u"b"_s);
        hub.tasksChanged({ quiet });
        QCOMPARE(hub.taskJson(quiet.task),
                 QJsonDocument(quiet.task.toJson()).toJson(QJsonDocument::Compact));
    }

    void fullUpdateFirst()
    {
        SyncHub hub;
        hub.tasksChanged({ makeEvent(TaskEvent::Kind::Added, u"a"_s),
                           makeEvent(TaskEvent::Kind::Added, u"b"_s) });
        const QJsonObject diff = hub.diffSince(0);
        QVERIFY(diff.value(u"full_update"_s).toBool());
        QCOMPARE(ids(diff.value(u"tasks"_s).toArray()), (QStringList { u"a"_s, u"b"_s }));
        QCOMPARE(qint64(diff.value(u"rid"_s).toDouble()), hub.rid());
    }

    void diffsAcrossChangesAndRemovals()
    {
        SyncHub hub;
        QSignalSpy changed(&hub, &SyncHub::changed);
        hub.tasksChanged({ makeEvent(TaskEvent::Kind::Added, u"a"_s),
                           makeEvent(TaskEvent::Kind::Added, u"b"_s),
                           makeEvent(TaskEvent::Kind::Added, u"c"_s) });
        const qint64 r1 = hub.rid();
        hub.tasksChanged({ makeEvent(TaskEvent::Kind::StateChanged, u"b"_s, TaskState::Running) });
        const qint64 r2 = hub.rid();
        QVERIFY(r2 > r1);
        QCOMPARE(changed.size(), 2);

        QJsonObject diff = hub.diffSince(r1);
        QVERIFY(!diff.value(u"full_update"_s).toBool());
        QCOMPARE(ids(diff.value(u"tasks"_s).toArray()), QStringList { u"b"_s });
        QCOMPARE(diff.value(u"tasks"_s).toArray().at(0).toObject().value(u"state"_s).toString(),
                 u"running"_s);

        // Several changes of one task since r1: one entry, the latest snapshot.
        hub.tasksChanged({ makeEvent(TaskEvent::Kind::Progress, u"b"_s, TaskState::Running) });
        hub.tasksChanged({ makeEvent(TaskEvent::Kind::StateChanged, u"b"_s, TaskState::Succeeded),
                           makeEvent(TaskEvent::Kind::Removed, u"c"_s) });
        diff = hub.diffSince(r1);
        QCOMPARE(ids(diff.value(u"tasks"_s).toArray()), QStringList { u"b"_s });
        QCOMPARE(diff.value(u"tasks"_s).toArray().at(0).toObject().value(u"state"_s).toString(),
                 u"succeeded"_s);
        QCOMPARE(diff.value(u"removed"_s).toArray(), QJsonArray { u"c"_s });
        // Nothing new since now.
        diff = hub.diffSince(hub.rid());
        QVERIFY(diff.value(u"tasks"_s).toArray().isEmpty());
        QVERIFY(diff.value(u"removed"_s).toArray().isEmpty());
        // A full update no longer lists the removed task.
        QCOMPARE(ids(hub.diffSince(0).value(u"tasks"_s).toArray()),
                 (QStringList { u"a"_s, u"b"_s }));
        Q_UNUSED(r2);
    }

    void unknownOrForgottenRidsGetFullUpdates()
    {
        SyncHub hub;
        hub.setMaxRemembered(2);
        hub.tasksChanged({ makeEvent(TaskEvent::Kind::Added, u"a"_s) });
        const qint64 r1 = hub.rid();
        QVERIFY(hub.diffSince(r1 + 100).value(u"full_update"_s).toBool()); // ahead: another run
        QVERIFY(hub.diffSince(1).value(u"full_update"_s).toBool()); // an earlier run
        for (const QString &id : { u"x"_s, u"y"_s, u"z"_s }) {
            hub.tasksChanged({ makeEvent(TaskEvent::Kind::Added, id) });
            hub.tasksChanged({ makeEvent(TaskEvent::Kind::Removed, id) });
        }
        // The removal of x is forgotten: a client from before it must start over.
        QVERIFY(hub.diffSince(r1).value(u"full_update"_s).toBool());
    }

    void readdedTaskIsNotRemoved()
    {
        SyncHub hub;
        hub.tasksChanged({ makeEvent(TaskEvent::Kind::Added, u"a"_s) });
        const qint64 r1 = hub.rid();
        hub.tasksChanged({ makeEvent(TaskEvent::Kind::Removed, u"a"_s) });
        hub.tasksChanged({ makeEvent(TaskEvent::Kind::Added, u"a"_s) });
        const QJsonObject diff = hub.diffSince(r1);
        QCOMPARE(ids(diff.value(u"tasks"_s).toArray()), QStringList { u"a"_s });
        QVERIFY(diff.value(u"removed"_s).toArray().isEmpty());
    }

    void messagesAreTypedAndCached()
    {
        SyncHub hub;
        hub.tasksChanged({ makeEvent(TaskEvent::Kind::Added, u"a"_s) });
        const qint64 r1 = hub.rid();
        QCOMPARE(QJsonDocument::fromJson(hub.message(0)).object().value(u"type"_s).toString(),
                 u"snapshot"_s);
        hub.tasksChanged({ makeEvent(TaskEvent::Kind::Progress, u"a"_s) });
        const QByteArray m = hub.message(r1);
        QCOMPARE(QJsonDocument::fromJson(m).object().value(u"type"_s).toString(), u"changes"_s);
        QCOMPARE(hub.message(r1).constData(), m.constData()); // shared, serialized once
        QVERIFY(hub.hasChangesSince(r1));
        QVERIFY(!hub.hasChangesSince(hub.rid()));
    }

    // The push message is written piece by piece (no QJsonObject tree for 10,000 tasks): it
    // says exactly what diffSince() says, plus its type, from any starting point.
    void messageMatchesDiff_data()
    {
        QTest::addColumn<int>("since"); // 0: full; n: the rid after the n-th batch
        QTest::addColumn<QString>("type");
        QTest::newRow("full") << 0 << u"snapshot"_s;
        QTest::newRow("after the first batch") << 1 << u"changes"_s;
        QTest::newRow("after the second batch") << 2 << u"changes"_s;
        QTest::newRow("up to date") << 4 << u"changes"_s;
    }

    void messageMatchesDiff()
    {
        QFETCH(int, since);
        QFETCH(QString, type);
        SyncHub hub;
        QList<qint64> rids;
        hub.tasksChanged({ makeEvent(TaskEvent::Kind::Added, u"a"_s),
                           makeEvent(TaskEvent::Kind::Added, u"b \"quoted\""_s),
                           makeEvent(TaskEvent::Kind::Added, u"c"_s) });
        rids.append(hub.rid());
        TaskEvent running = makeEvent(TaskEvent::Kind::StateChanged, u"a"_s, TaskState::Running);
        running.task.output = u"line\nwith \"quotes\" and é"_s;
        hub.tasksChanged({ running });
        hub.taskJson(running.task); // a task's cached JSON is used as it is
        rids.append(hub.rid());
        hub.tasksChanged({ makeEvent(TaskEvent::Kind::Removed, u"c"_s) });
        rids.append(hub.rid());
        hub.tasksChanged({ makeEvent(TaskEvent::Kind::Progress, u"b \"quoted\""_s) });
        rids.append(hub.rid());
        const qint64 from = since == 0 ? 0 : rids.at(since - 1);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(hub.message(from), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QJsonObject expected = hub.diffSince(from);
        expected.insert(u"type"_s, type);
        QCOMPARE(doc.object(), expected);
    }

    // A big history's JSON is made ahead, a few tasks per event-loop pass (the first client's
    // full update is then a concatenation); changed tasks are serialized again when asked.
    void newTasksArePreparedAhead_data()
    {
        QTest::addColumn<int>("count");
        QTest::newRow("one") << 1;
        QTest::newRow("a few passes") << 1000;
    }

    void newTasksArePreparedAhead()
    {
        QFETCH(int, count);
        SyncHub hub;
        TaskEvents events;
        for (int i = 0; i < count; ++i)
            events.append(makeEvent(TaskEvent::Kind::Added, u"t%1"_s.arg(i), TaskState::Succeeded));
        hub.tasksChanged(events);
        QCOMPARE(hub.preparedCount(), 0); // not in the same pass: start-up answers first
        QTRY_COMPARE(hub.preparedCount(), count);
        hub.tasksChanged({ makeEvent(TaskEvent::Kind::StateChanged, u"t0"_s, TaskState::Failed) });
        QCOMPARE(hub.preparedCount(), count - 1); // its old JSON is gone
        QJsonObject expected = hub.diffSince(0);
        expected.insert(u"type"_s, u"snapshot"_s);
        QCOMPARE(QJsonDocument::fromJson(hub.message(0)).object(), expected);
        QCOMPARE(QJsonDocument::fromJson(hub.message(0))
                     .object()
                     .value(u"tasks"_s)
                     .toArray()
                     .first()
                     .toObject()
                     .value(u"state"_s)
                     .toString(),
                 u"failed"_s);
    }
};

QTEST_GUILESS_MAIN(tst_SyncHub)
#include "tst_synchub.moc"
