#include "app/core/taskengine.h"
#include "ui/tasklistmodel.h"
#include "uitesthelpers.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

class tst_TaskListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void addUpdateRemove()
    {
        TaskListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        TaskSnapshot a = makeSnapshot(u"A"_s);
        TaskSnapshot b = makeSnapshot(u"B"_s);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.applyEvents(
            { taskEvent(TaskEvent::Kind::Added, a), taskEvent(TaskEvent::Kind::Added, b) });
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(inserted.size(), 1); // one insertion for the batch
        QCOMPARE(model.rowOf(b.id), 1);
        QCOMPARE(model.activeCount(), 2);

        a.state = TaskState::Running;
        a.progress.percent = 40;
        a.progress.message = u"working"_s;
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.applyEvents({ taskEvent(TaskEvent::Kind::StateChanged, a, TaskState::Queued) });
        QCOMPARE(changed.size(), 1);
        const QModelIndex ia = model.index(0);
        QCOMPARE(ia.data(TaskListModel::StateRole).toInt(), int(TaskState::Running));
        QCOMPARE(ia.data(TaskListModel::PercentRole).toDouble(), 40.0);
        QCOMPARE(ia.data(TaskListModel::MessageRole).toString(), u"working"_s);
        QCOMPARE(ia.data(TaskListModel::StateNameRole).toString(), u"running"_s);
        QVERIFY(ia.data(Qt::AccessibleTextRole).toString().contains(u"40%"_s));
        QCOMPARE(model.runningCount(), 1);

        QSignalSpy finished(&model, &TaskListModel::taskFinished);
        a.state = TaskState::Succeeded;
        model.applyEvents({ taskEvent(TaskEvent::Kind::StateChanged, a, TaskState::Running) });
        QCOMPARE(finished.size(), 1);
        QCOMPARE(model.finishedCount(), 1);
        QCOMPARE(model.runningCount(), 0);

        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        model.applyEvents({ taskEvent(TaskEvent::Kind::Removed, a) });
        QCOMPARE(removed.size(), 1);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.rowOf(b.id), 0); // the index follows
        QCOMPARE(model.rowOf(a.id), -1);
        QCOMPARE(model.finishedCount(), 0);
    }

    void restoredFinishedTasksAreNoNews()
    {
        TaskListModel model;
        QSignalSpy finished(&model, &TaskListModel::taskFinished);
        model.applyEvents(
            { taskEvent(TaskEvent::Kind::Added, makeSnapshot(u"old"_s, TaskState::Succeeded)) });
        QCOMPARE(finished.size(), 0);
        QCOMPARE(model.finishedCount(), 1);
    }

    // Interrupted tasks are counted apart too (the status bar shows them on their own), and the
    // count follows them back to running and out of the model.
    void countsInterruptedTasks()
    {
        TaskListModel model;
        TaskSnapshot a = makeSnapshot(u"a"_s, TaskState::Interrupted);
        const TaskSnapshot b = makeSnapshot(u"b"_s, TaskState::Interrupted);
        model.applyEvents(
            { taskEvent(TaskEvent::Kind::Added, a), taskEvent(TaskEvent::Kind::Added, b),
              taskEvent(TaskEvent::Kind::Added, makeSnapshot(u"c"_s, TaskState::Succeeded)) });
        QCOMPARE(model.interruptedCount(), 2);
        QCOMPARE(model.finishedCount(), 3);
        a.state = TaskState::Running;
        model.applyEvents({ taskEvent(TaskEvent::Kind::StateChanged, a, TaskState::Interrupted) });
        QCOMPARE(model.interruptedCount(), 1);
        QCOMPARE(model.runningCount(), 1);
        model.applyEvents({ taskEvent(TaskEvent::Kind::Removed, b) });
        QCOMPARE(model.interruptedCount(), 0);
    }

    void removeRuns()
    {
        TaskListModel model;
        TaskEvents add;
        QList<TaskSnapshot> tasks;
        for (int i = 0; i < 10; ++i) {
            tasks.append(makeSnapshot(QString::number(i), TaskState::Succeeded));
            add.append(taskEvent(TaskEvent::Kind::Added, tasks.last()));
        }
        model.applyEvents(add);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        // Rows 1,2,3 and 7,8: two runs, two removals.
        model.applyEvents({ taskEvent(TaskEvent::Kind::Removed, tasks[2]),
                            taskEvent(TaskEvent::Kind::Removed, tasks[8]),
                            taskEvent(TaskEvent::Kind::Removed, tasks[1]),
                            taskEvent(TaskEvent::Kind::Removed, tasks[3]),
                            taskEvent(TaskEvent::Kind::Removed, tasks[7]) });
        QCOMPARE(removed.size(), 2);
        QCOMPARE(model.rowCount(), 5);
        const QStringList expected { u"0"_s, u"4"_s, u"5"_s, u"6"_s, u"9"_s };
        for (int r = 0; r < 5; ++r) {
            QCOMPARE(model.index(r).data(TaskListModel::TitleRole).toString(), expected.at(r));
            QCOMPARE(model.rowOf(model.index(r).data(TaskListModel::IdRole).toString()), r);
        }
    }

    void addedAndRemovedInOneBatch()
    {
        TaskListModel model;
        const TaskSnapshot t = makeSnapshot(u"short-lived"_s);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.applyEvents(
            { taskEvent(TaskEvent::Kind::Added, t), taskEvent(TaskEvent::Kind::Removed, t) });
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(inserted.size(), 0);
    }

    // Coalescing: a batch of many updates yields one dataChanged per run of rows, and the
    // whole thing stays fast at 10,000 tasks.
    void coalescing()
    {
        TaskListModel model;
        constexpr int n = 10000;
        TaskEvents add;
        QList<TaskSnapshot> tasks;
        tasks.reserve(n);
        for (int i = 0; i < n; ++i) {
            tasks.append(makeSnapshot(u"task %1"_s.arg(i), TaskState::Running, 0));
            add.append(taskEvent(TaskEvent::Kind::Added, tasks.last()));
        }
        model.applyEvents(add);
        QCOMPARE(model.rowCount(), n);

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        TaskEvents updates;
        for (int round = 0; round < 5; ++round) {
            for (int i = 0; i < n; ++i) {
                tasks[i].progress.percent = round * 10 + 1;
                updates.append(taskEvent(TaskEvent::Kind::Progress, tasks[i]));
            }
        }
        QElapsedTimer timer;
        timer.start();
        model.applyEvents(updates); // 50,000 events
        const qint64 ms = timer.elapsed();
        QCOMPARE(changed.size(), 1); // one contiguous run
        QCOMPARE(model.index(n - 1).data(TaskListModel::PercentRole).toDouble(), 41.0);
        QVERIFY2(ms < 1000, qPrintable(u"50,000 updates took %1 ms"_s.arg(ms)));

        // Every other row: bounded by the number of runs, never by the number of events.
        changed.clear();
        updates.clear();
        for (int i = 0; i < 100; i += 2) {
            for (int k = 0; k < 10; ++k)
                updates.append(taskEvent(TaskEvent::Kind::Progress, tasks[i]));
        }
        model.applyEvents(updates);
        QCOMPARE(changed.size(), 50);
    }

    void drivenByEngine()
    {
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        TaskEngine engine(registry);
        TaskListModel model;
        model.attach(engine, 30);
        TaskSpec spec;
        spec.type = u"demo"_s;
        spec.params = QJsonObject { { u"steps"_s, 3 }, { u"delay_ms"_s, 20 } };
        const Result<TaskSnapshot> r = engine.submit(spec);
        QVERIFY(r.ok());
        QSignalSpy finished(&model, &TaskListModel::taskFinished);
        QTRY_COMPARE(model.rowCount(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QCOMPARE(model.snapshot(r->id)->state, TaskState::Succeeded);

        // A model attached later gets the existing tasks.
        TaskListModel late;
        late.attach(engine);
        QTRY_COMPARE(late.rowCount(), 1);
        QCOMPARE(late.finishedCount(), 1);
    }
};

QTEST_MAIN(tst_TaskListModel)
#include "tst_tasklistmodel.moc"
