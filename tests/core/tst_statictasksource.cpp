// Tests of StaticTaskSource, the read-only task source of screenshots: a tracker gets every
// task as one queued batch of Added events (never synchronously, never twice, never after it
// is gone), task(id) finds them, and what each task allows is what the engine would decide for
// the same task (its state and its type's runner).
#include "app/core/statictasksource.h"
#include "app/core/taskengine.h"
#include "app/core/tasks/demotask.h"
#include "app/core/tasktracker.h"
#include "app/core/tasktyperegistry.h"

#include <QScopeGuard>
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

// Takes the remote tasks and leaves them to the test, which drives them as a cluster would.
class IdleDriver final : public ExternalTaskDriver
{
public:
    void startTask(const TaskSnapshot &) override { }
    void cancelTask(const TaskSnapshot &) override { }
};

void registerTypes(TaskTypeRegistry &registry)
{
    TaskType demo; // runs in Headway's workers
    demo.name = u"demo"_s;
    const QJsonObject integer { { u"type"_s, u"integer"_s } };
    demo.schema = QJsonObject {
        { u"type"_s, u"object"_s },
        { u"properties"_s,
          QJsonObject { { u"steps"_s, integer }, { u"delay"_s, integer }, { u"fail"_s, integer } } }
    };
    demo.create = [](const QJsonObject &p) {
        return std::make_unique<DemoTask>(p.value(u"steps"_s).toInt(1),
                                          p.value(u"delay"_s).toInt(0),
                                          p.value(u"fail"_s).toInt(0));
    };
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

        // The same task brought to that state in a real engine, as it would get there.
        IdleDriver driver;
        EngineOptions options;
        options.runTasks = type == u"remote"_s || state != TaskState::Queued;
        TaskEngine engine(registry, options);
        engine.setExternalDriver(u"remote"_s, &driver);
        const auto unset = qScopeGuard([&] { engine.setExternalDriver(u"remote"_s, nullptr); });
        QString id = t.id;
        if (isFinished(state)) {
            engine.restore({ t }); // the store's way in; interrupted stays so
        } else if (type == u"remote"_s) {
            const Result<TaskSnapshot> r = engine.submit(TaskSpec { type, {}, {}, 0, 0, 10, 0 });
            QVERIFY(r);
            id = r->id;
            if (state != TaskState::Queued)
                QVERIFY(!engine.updateExternal(id, { TaskState::Running, {}, {}, {}, {} }));
            if (state == TaskState::Paused || state == TaskState::Retrying)
                QVERIFY(!engine.updateExternal(id, { state, {}, {}, {}, {} }));
        } else {
            // Queued: nothing runs; running and paused: a long one; retrying: one failing at
            // once with a retry an hour away.
            const bool retrying = state == TaskState::Retrying;
            const QJsonObject params = retrying
                ? QJsonObject { { u"steps"_s, 1 }, { u"fail"_s, 1 } }
                : QJsonObject { { u"steps"_s, 1000 }, { u"delay"_s, 1000 } };
            const Result<TaskSnapshot> r
                = engine.submit(TaskSpec { type, {}, params, 0, retrying ? 1 : 0, 3600000, 0 });
            QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
            id = r->id;
            if (state != TaskState::Queued)
                QTRY_COMPARE(engine.task(id)->state,
                             retrying ? TaskState::Retrying : TaskState::Running);
            if (state == TaskState::Paused)
                QVERIFY(!engine.pause(id));
        }
        QCOMPARE(engine.task(id)->state, state);
        EngineRecorder r;
        engine.addTracker(&r, 30);
        QTRY_VERIFY(r.latest.contains(id) && r.latest.value(id).state == state);
        QCOMPARE(source.task(u"t"_s)->actions, r.latest.value(id).actions);
        QCOMPARE(source.task(u"t"_s)->actions, engine.task(id)->actions);
        if (type == u"remote"_s)
            QVERIFY(!source.task(u"t"_s)->actions.testFlag(TaskAction::Pause));
    }
};

QTEST_MAIN(tst_StaticTaskSource)
#include "tst_statictasksource.moc"
