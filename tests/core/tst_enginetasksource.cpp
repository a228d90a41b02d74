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

TaskSnapshot task(const QString &id, TaskState state)
{
    TaskSnapshot s;
    s.id = id;
    s.type = u"remote"_s;
    s.title = id;
    s.state = state;
    return s;
}
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
        engine.inject(task(u"a"_s, TaskState::Running));
        EngineTaskSource source(engine);
        QCOMPARE(source.tasks().size(), 1);
        QCOMPARE(source.task(u"a"_s)->state, TaskState::Running);
        QVERIFY(source.task(u"a"_s)->actions.testFlag(TaskAction::Cancel)); // the engine's
        QVERIFY(!source.task(u"missing"_s));

        Recorder r;
        source.addTracker(&r, 30);
        QTRY_COMPARE(r.events.size(), 1); // what exists
        QCOMPARE(r.events.at(0).kind, TaskEvent::Kind::Added);
        engine.inject(task(u"a"_s, TaskState::Failed));
        QTRY_COMPARE(r.events.size(), 2); // and what changes
        QCOMPARE(r.events.at(1).kind, TaskEvent::Kind::StateChanged);
        QCOMPARE(source.task(u"a"_s)->state, TaskState::Failed);

        source.removeTracker(&r);
        engine.inject(task(u"b"_s, TaskState::Queued));
        QTRY_COMPARE(source.tasks().size(), 2);
        Recorder other; // a tracker still added: the batch went out, not to the removed one
        source.addTracker(&other, 30);
        QTRY_COMPARE(other.events.size(), 2);
        QCoreApplication::processEvents();
        QCOMPARE(r.events.size(), 2);
    }
};

QTEST_MAIN(tst_EngineTaskSource)
#include "tst_enginetasksource.moc"
