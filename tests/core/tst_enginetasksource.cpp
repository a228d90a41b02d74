// Tests of EngineTaskSource, the window's read-only view of a live engine: the list, one task
// and a tracker's events are the engine's own, and a removed tracker hears nothing more.
#include "app/core/enginetasksource.h"
#include "app/core/taskengine.h"
#include "app/core/tasktracker.h"
#include "app/core/tasktyperegistry.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {
class Recorder final : public TaskTracker
{
public:
    TaskEvents events;
    void tasksChanged(const TaskEvents &batch) override { events += batch; }
};

// Takes the remote tasks and leaves them to the test, which drives them as a cluster would.
class IdleDriver final : public ExternalTaskDriver
{
public:
    void startTask(const TaskSnapshot &) override { }
    void cancelTask(const TaskSnapshot &) override { }
};
} // namespace

class tst_EngineTaskSource : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsTheEngine()
    {
        TaskTypeRegistry registry;
        TaskType remote;
        remote.name = u"remote"_s;
        remote.schema = QJsonObject { { u"type"_s, u"object"_s } };
        registry.add(std::move(remote));
        EngineOptions idle;
        idle.runTasks = false;
        TaskEngine engine(registry, idle);
        // A task of a type no worker runs, driven the way its driver would.
        IdleDriver driver;
        engine.setExternalDriver(u"remote"_s, &driver);
        const Result<TaskSnapshot> a = engine.submit(TaskSpec { u"remote"_s, {}, {}, 0, 0, 10, 0 });
        QVERIFY(a);
        const QString id = a->id;
        QVERIFY(!engine.updateExternal(id, { TaskState::Running, {}, {}, {}, {} }));
        EngineTaskSource source(engine);
        QCOMPARE(source.tasks().size(), 1);
        QCOMPARE(source.task(id)->state, TaskState::Running);
        QVERIFY(source.task(id)->actions.testFlag(TaskAction::Cancel)); // the engine's
        QVERIFY(!source.task(u"missing"_s));

        Recorder r;
        source.addTracker(&r, 30);
        QTRY_COMPARE(r.events.size(), 1); // what exists
        QCOMPARE(r.events.at(0).kind, TaskEvent::Kind::Added);
        QVERIFY(!engine.endExternal(id, TaskState::Failed, {}));
        QTRY_COMPARE(r.events.size(), 2); // and what changes
        QCOMPARE(r.events.at(1).kind, TaskEvent::Kind::StateChanged);
        QCOMPARE(source.task(id)->state, TaskState::Failed);

        source.removeTracker(&r);
        QVERIFY(engine.submit(TaskSpec { u"remote"_s, {}, {}, 0, 0, 10, 0 }));
        QTRY_COMPARE(source.tasks().size(), 2);
        Recorder other; // a tracker still added: the batch went out, not to the removed one
        source.addTracker(&other, 30);
        QTRY_COMPARE(other.events.size(), 2);
        QCoreApplication::processEvents();
        QCOMPARE(r.events.size(), 2);
        engine.setExternalDriver(u"remote"_s, nullptr); // the driver goes first
    }
};

QTEST_MAIN(tst_EngineTaskSource)
#include "tst_enginetasksource.moc"
