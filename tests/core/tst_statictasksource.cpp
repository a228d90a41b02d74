// Tests of StaticTaskSource, the read-only task source of screenshots: a tracker gets every
// task as one queued batch of Added events (never synchronously, never twice, never after it
// is gone), task(id) finds them, and what each task allows is what the engine would decide for
// the same task (its state and its type's runner).
#include "app/core/statictasksource.h"
#include "app/core/taskengine.h"
#include "app/core/tasks/demotask.h"
#include "app/core/tasktracker.h"
#include "app/core/tasktyperegistry.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {
class Recorder final : public TaskTracker
{
public:
    QList<TaskEvents> batches;
    void tasksChanged(const TaskEvents &events) override { batches.append(events); }
};

class EngineRecorder final : public TaskTracker
{
public:
    QHash<QString, TaskSnapshot> latest;
    void tasksChanged(const TaskEvents &events) override
    {
        for (const TaskEvent &e : events)
            latest.insert(e.task.id, e.task);
    }
};

TaskSnapshot task(const QString &id, const QString &type, TaskState state)
{
    TaskSnapshot s;
    s.id = id;
    s.type = type;
    s.title = id;
    s.state = state;
    return s;
}

void registerTypes(TaskTypeRegistry &registry)
{
    TaskType demo; // runs in Headway's workers
    demo.name = u"demo"_s;
    demo.schema = QJsonObject { { u"type"_s, u"object"_s } };
    demo.create = [](const QJsonObject &) { return std::make_unique<DemoTask>(1, 0, 0); };
    registry.add(std::move(demo));
    TaskType remote; // no factory: run by a driver elsewhere, never pausable
    remote.name = u"remote"_s;
    remote.schema = QJsonObject { { u"type"_s, u"object"_s } };
    registry.add(std::move(remote));
}
} // namespace

class tst_StaticTaskSource : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deliversOneQueuedBatch()
    {
        TaskTypeRegistry registry;
        registerTypes(registry);
        StaticTaskSource source({ task(u"a"_s, u"demo"_s, TaskState::Running),
                                  task(u"b"_s, u"demo"_s, TaskState::Succeeded) },
                                registry);
        Recorder r;
        source.addTracker(&r, 30);
        QVERIFY(r.batches.isEmpty()); // queued, as the engine delivers
        QTRY_COMPARE(r.batches.size(), 1);
        const TaskEvents &batch = r.batches.first();
        QCOMPARE(batch.size(), 2);
        QCOMPARE(batch.at(0).kind, TaskEvent::Kind::Added);
        QCOMPARE(batch.at(0).task.id, u"a"_s); // in the given order
        QCOMPARE(batch.at(1).task.id, u"b"_s);
        QCOMPARE(batch.at(1).previousState, TaskState::Succeeded);
        QCoreApplication::processEvents();
        QCOMPARE(r.batches.size(), 1); // nothing more, ever
        QCOMPARE(source.tasks().size(), 2);
        QCOMPARE(source.task(u"b"_s)->state, TaskState::Succeeded);
        QVERIFY(!source.task(u"missing"_s));
    }

    void goneTrackerHearsNothing()
    {
        TaskTypeRegistry registry;
        registerTypes(registry);
        StaticTaskSource source({ task(u"a"_s, u"demo"_s, TaskState::Queued) }, registry);
        auto *r = new Recorder;
        source.addTracker(r, 30);
        delete r; // before the queued batch arrives: no call into a dead tracker
        QCoreApplication::processEvents();
        Recorder other;
        source.addTracker(&other, 1);
        QTRY_COMPARE(other.batches.size(), 1);
    }

    void actionsAsTheEngineDecides_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<TaskState>("state");
        for (const char *type : { "demo", "remote" }) {
            for (TaskState state : { TaskState::Queued, TaskState::Running, TaskState::Paused,
                                     TaskState::Retrying, TaskState::Succeeded, TaskState::Failed,
                                     TaskState::Canceled, TaskState::Interrupted }) {
                QTest::addRow("%s-%s", type, qPrintable(taskStateName(state)))
                    << QString::fromLatin1(type) << state;
            }
        }
    }
    void actionsAsTheEngineDecides()
    {
        QFETCH(QString, type);
        QFETCH(TaskState, state);
        TaskTypeRegistry registry;
        registerTypes(registry);
        const TaskSnapshot t = task(u"t"_s, type, state);
        StaticTaskSource source({ t }, registry);

        EngineOptions idle;
        idle.runTasks = false;
        TaskEngine engine(registry, idle);
        engine.inject(t);
        EngineRecorder r;
        engine.addTracker(&r, 30);
        QTRY_VERIFY(r.latest.contains(u"t"_s));
        QCOMPARE(source.task(u"t"_s)->actions, r.latest.value(u"t"_s).actions);
        if (type == u"remote"_s)
            QVERIFY(!source.task(u"t"_s)->actions.testFlag(TaskAction::Pause));
    }
};

QTEST_MAIN(tst_StaticTaskSource)
#include "tst_statictasksource.moc"
