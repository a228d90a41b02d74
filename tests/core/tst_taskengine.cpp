#include "app/core/taskcontext.h"
#include "app/core/taskengine.h"
#include "app/core/tasktracker.h"
#include "app/core/tasktyperegistry.h"

#include <QJsonArray>
#include <QMutex>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>

#include <atomic>

using namespace Qt::StringLiterals;

namespace {
// Records every event it is told about, in order.
class RecordingTracker final : public TaskTracker
{
public:
    void tasksChanged(const TaskEvents &events) override { m_events.append(events); }

    QList<TaskEvent> events(const QString &id) const
    {
        QList<TaskEvent> list;
        for (const TaskEvent &e : m_events) {
            if (e.task.id == id)
                list.append(e);
        }
        return list;
    }
    QList<TaskState> states(const QString &id) const
    {
        QList<TaskState> list;
        for (const TaskEvent &e : events(id)) {
            if (e.kind == TaskEvent::Kind::StateChanged)
                list.append(e.task.state);
        }
        return list;
    }
    int progressCount(const QString &id) const
    {
        int n = 0;
        for (const TaskEvent &e : events(id))
            n += e.kind == TaskEvent::Kind::Progress;
        return n;
    }
    QList<TaskEvent> m_events;
};

// Shared switches the test flips to steer the runners of the "probe" type.
struct Probe
{
    std::atomic<int> failuresLeft { 0 };
    std::atomic<qint64> reports { 0 };
    std::atomic<bool> ignoreCancel { false };
    std::atomic<bool> loopForever { false };
    std::atomic<int> returned { 0 };
    QSemaphore gate { 0 };
    std::atomic<bool> useGate { false };
    QMutex orderMutex;
    QStringList startOrder;
};

class ProbeRunner final : public TaskRunner
{
public:
    explicit ProbeRunner(Probe *probe) : m_probe(probe) { }
    TaskOutcome run(TaskContext &ctx) override
    {
        {
            QMutexLocker lock(&m_probe->orderMutex);
            m_probe->startOrder.append(ctx.params().value(u"name"_s).toString());
        }
        if (m_probe->useGate)
            m_probe->gate.acquire();
        const qint64 n = m_probe->reports;
        ctx.setTotal(n, u"items"_s);
        ctx.setMessage(u"working"_s);
        for (qint64 i = 1; i <= n; ++i) {
            ctx.setProcessed(i);
            if ((i & 1023) == 0 && !ctx.checkpoint())
                return {};
        }
        while (m_probe->loopForever) {
            if (!ctx.checkpoint() && !m_probe->ignoreCancel) {
                ++m_probe->returned;
                return {};
            }
            QThread::msleep(1); // simulated work between checkpoints
        }
        struct Count
        {
            Probe *p;
            ~Count() { ++p->returned; }
        } count { m_probe };
        if (m_probe->failuresLeft.fetch_sub(1) > 0)
            return TaskOutcome::failure(u"probe_failure"_s, u"planned failure"_s);
        return TaskOutcome::success(QJsonObject { { u"done"_s, n } });
    }

private:
    Probe *m_probe;
};
} // namespace

// The engine against a controllable task type: lifecycle, ordering, coalescing, control.
class tst_TaskEngine final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void submitValidates_data();
    void submitValidates();
    void lifecycleEventsInOrder();
    void coalescesProgress();
    void cancelQueued();
    void cancelRunning();
    void cancelIgnoredIsAbandoned();
    void pauseResume();
    void retryWithBackoff();
    void backoffWaitsWithoutTicking();
    void manualRetry();
    void timeout();
    void priorityThenFifo();
    void illegalTransitions();
    void removeAndClear();
    void restoreFromStore();
    void restoreTellsWhatChanged_data();
    void restoreTellsWhatChanged();
    void addTrackerAfterRestore_data();
    void addTrackerAfterRestore();
    void removeFinishedKeepsInterrupted();
    void shutdownInterrupts();
    void externalTasks();
    void endExternal_data();
    void endExternal();
    void actionsFollowStateAndRunner();
    void outputTravelsApartFromProgress();

private:
    TaskSnapshot submit(const QJsonObject &params = {}, int priority = 0, int maxRetries = 0,
                        int timeoutMs = 0);
    std::unique_ptr<Probe> m_probe;
    std::unique_ptr<TaskTypeRegistry> m_registry;
    std::unique_ptr<TaskEngine> m_engine;
    std::unique_ptr<RecordingTracker> m_tracker;
};

void tst_TaskEngine::init()
{
    m_probe = std::make_unique<Probe>();
    m_registry = std::make_unique<TaskTypeRegistry>();
    Probe *probe = m_probe.get();
    TaskType probeType;
    probeType.name = u"probe"_s;
    probeType.title = u"Probe"_s;
    probeType.description = u"test"_s;
    probeType.schema = QJsonObject {
        { u"type"_s, u"object"_s },
        { u"properties"_s,
          QJsonObject {
              { u"name"_s, QJsonObject { { u"type"_s, u"string"_s }, { u"default"_s, u""_s } } },
              { u"count"_s, QJsonObject { { u"type"_s, u"integer"_s }, { u"minimum"_s, 0 } } } } }
    };
    probeType.create
        = [probe](const QJsonObject &) { return std::make_unique<ProbeRunner>(probe); };
    m_registry->add(std::move(probeType));
    EngineOptions options;
    options.concurrency = 2;
    options.cancelGraceMs = 300;
    options.etaWarmupSeconds = 0;
    m_engine = std::make_unique<TaskEngine>(*m_registry, options);
    m_tracker = std::make_unique<RecordingTracker>();
    m_engine->addTracker(m_tracker.get(), 30);
}

void tst_TaskEngine::cleanup()
{
    m_probe->loopForever = false;
    m_probe->gate.release(100);
    m_engine.reset();
    m_tracker.reset();
    m_registry.reset();
    m_probe.reset();
}

TaskSnapshot tst_TaskEngine::submit(const QJsonObject &params, int priority, int maxRetries,
                                    int timeoutMs)
{
    TaskSpec spec;
    spec.type = u"probe"_s;
    spec.params = params;
    spec.priority = priority;
    spec.maxRetries = maxRetries;
    spec.backoffMs = 20;
    spec.timeoutMs = timeoutMs;
    const Result<TaskSnapshot> r = m_engine->submit(spec);
    if (!r)
        qWarning() << r.error().message;
    return r ? *r : TaskSnapshot {};
}

void tst_TaskEngine::submitValidates_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QJsonObject>("params");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QStringList>("fields");
    QTest::newRow("unknown type") << u"nope"_s << QJsonObject {} << u"unknown_type"_s
                                  << QStringList { u"type"_s };
    QTest::newRow("wrong type") << u"probe"_s << QJsonObject { { u"count"_s, u"x"_s } }
                                << u"invalid_params"_s << QStringList { u"params.count"_s };
    QTest::newRow("below minimum and unknown")
        << u"probe"_s << QJsonObject { { u"count"_s, -1 }, { u"bogus"_s, 1 } }
        << u"invalid_params"_s << QStringList { u"params.bogus"_s, u"params.count"_s };
}

void tst_TaskEngine::submitValidates()
{
    QFETCH(QString, type);
    QFETCH(QJsonObject, params);
    QFETCH(QString, code);
    QFETCH(QStringList, fields);
    const Result<TaskSnapshot> r = m_engine->submit(TaskSpec { type, {}, params, 0, 0, 1000, 0 });
    QVERIFY(!r);
    QCOMPARE(r.error().code, code);
    QStringList got;
    for (const FieldError &f : r.error().fields)
        got.append(f.field);
    got.sort();
    QCOMPARE(got, fields);
    QCOMPARE(m_engine->taskCount(), 0);
}

void tst_TaskEngine::lifecycleEventsInOrder()
{
    m_probe->reports = 100;
    QSignalSpy idle(m_engine.get(), &TaskEngine::idle);
    const TaskSnapshot t = submit({ { u"name"_s, u"a"_s } });
    QCOMPARE(t.state, TaskState::Queued);
    QCOMPARE(t.params.value(u"name"_s).toString(), u"a"_s);
    QVERIFY(t.created.isValid());
    QTRY_COMPARE(m_tracker->states(t.id),
                 (QList<TaskState> { TaskState::Running, TaskState::Succeeded }));
    QCOMPARE(m_tracker->events(t.id).first().kind, TaskEvent::Kind::Added);
    QCOMPARE(idle.count(), 1);
    const TaskSnapshot done = *m_engine->task(t.id);
    QCOMPARE(done.state, TaskState::Succeeded);
    QCOMPARE(done.result.toObject().value(u"done"_s).toInt(), 100);
    QCOMPARE(done.progress.processed, 100);
    QCOMPARE(done.progress.percent, std::optional<double>(100.0));
    QVERIFY(done.started.isValid() && done.finished >= done.started);
}

void tst_TaskEngine::coalescesProgress()
{
    m_probe->reports = 1'000'000;
    const TaskSnapshot t = submit();
    QTRY_COMPARE(m_engine->task(t.id)->state, TaskState::Succeeded);
    QTRY_VERIFY(!m_tracker->states(t.id).isEmpty()
                && m_tracker->states(t.id).last() == TaskState::Succeeded);
    // Bounded, whatever the task reported; and the final state carries the exact final amount.
    QVERIFY2(m_tracker->progressCount(t.id) < 100,
             qPrintable(QString::number(m_tracker->progressCount(t.id))));
    const TaskEvent last = m_tracker->events(t.id).last();
    QCOMPARE(last.task.progress.processed, 1'000'000);
    QCOMPARE(last.task.progress.total, 1'000'000);
}

void tst_TaskEngine::cancelQueued()
{
    m_engine->setConcurrency(1);
    m_probe->useGate = true;
    const TaskSnapshot blocker = submit({ { u"name"_s, u"blocker"_s } });
    QTRY_COMPARE(m_engine->task(blocker.id)->state, TaskState::Running);
    const TaskSnapshot waiting = submit({ { u"name"_s, u"waiting"_s } });
    QVERIFY(!m_engine->cancel(waiting.id));
    QCOMPARE(m_engine->task(waiting.id)->state, TaskState::Canceled);
    const EngineError again = m_engine->cancel(waiting.id);
    QCOMPARE(again.code, u"invalid_transition"_s);
    m_probe->gate.release();
    QTRY_COMPARE(m_engine->task(blocker.id)->state, TaskState::Succeeded);
    QCOMPARE(m_probe->startOrder, QStringList { u"blocker"_s }); // the canceled one never ran
}

void tst_TaskEngine::cancelRunning()
{
    m_probe->loopForever = true;
    const TaskSnapshot t = submit();
    QTRY_COMPARE(m_engine->task(t.id)->state, TaskState::Running);
    QVERIFY(!m_engine->cancel(t.id));
    QCOMPARE(m_engine->cancel(t.id).code, u"invalid_transition"_s); // already being canceled
    QTRY_COMPARE(m_engine->task(t.id)->state, TaskState::Canceled);
    QCOMPARE(m_tracker->states(t.id).last(), TaskState::Canceled);
}

void tst_TaskEngine::cancelIgnoredIsAbandoned()
{
    m_probe->loopForever = true;
    m_probe->ignoreCancel = true;
    const TaskSnapshot t = submit();
    QTRY_COMPARE(m_engine->task(t.id)->state, TaskState::Running);
    QVERIFY(!m_engine->cancel(t.id));
    QTRY_COMPARE(m_engine->task(t.id)->state, TaskState::Canceled); // after the 300 ms grace
    m_probe->loopForever = false; // let the abandoned attempt return; its end is ignored
    QTRY_COMPARE(m_probe->returned.load(), 1);
    QCoreApplication::sendPostedEvents(); // the late report has been handled
    QCOMPARE(m_engine->task(t.id)->state, TaskState::Canceled);
}

void tst_TaskEngine::pauseResume()
{
    m_probe->loopForever = true;
    const TaskSnapshot t = submit();
    QTRY_COMPARE(m_engine->task(t.id)->state, TaskState::Running);
    QVERIFY(!m_engine->pause(t.id));
    QCOMPARE(m_engine->task(t.id)->state, TaskState::Paused);
    QCOMPARE(m_engine->pause(t.id).code, u"invalid_transition"_s);
    QVERIFY(!m_engine->resume(t.id));
    QCOMPARE(m_engine->task(t.id)->state, TaskState::Running);
    QCOMPARE(m_engine->resume(t.id).code, u"invalid_transition"_s);
    m_probe->loopForever = false;
    QTRY_COMPARE(m_engine->task(t.id)->state, TaskState::Succeeded);
    QCOMPARE(m_tracker->states(t.id),
             (QList<TaskState> { TaskState::Running, TaskState::Paused, TaskState::Running,
                                 TaskState::Succeeded }));
}

void tst_TaskEngine::retryWithBackoff()
{
    m_probe->failuresLeft = 2;
    const TaskSnapshot t = submit({}, 0, 2);
    QTRY_COMPARE(m_engine->task(t.id)->state, TaskState::Succeeded);
    QCOMPARE(m_engine->task(t.id)->attempt, 3);
    QCOMPARE(m_tracker->states(t.id),
             (QList<TaskState> { TaskState::Running, TaskState::Retrying, TaskState::Queued,
                                 TaskState::Running, TaskState::Retrying, TaskState::Queued,
                                 TaskState::Running, TaskState::Succeeded }));
    // Out of retries: the failure stands.
    m_probe->failuresLeft = 5;
    const TaskSnapshot u = submit({}, 0, 1);
    QTRY_COMPARE(m_engine->task(u.id)->state, TaskState::Failed);
    QCOMPARE(m_engine->task(u.id)->attempt, 2);
    QCOMPARE(m_engine->task(u.id)->error->code, u"probe_failure"_s);
}

namespace {
// Counts the timer events of the main thread: what wakes the process while nothing runs.
class TimerEventCounter final : public QObject
{
public:
    bool eventFilter(QObject *, QEvent *event) override
    {
        m_count += event->type() == QEvent::Timer;
        return false;
    }
    int m_count = 0;
};
} // namespace

void tst_TaskEngine::backoffWaitsWithoutTicking()
{
    // A task waiting out a retry backoff must not keep the 30 Hz progress tick alive: the wait
    // is one timer to the retry. (Before: ~30 wake-ups a second for the whole backoff.)
    m_probe->failuresLeft = 1;
    TaskSpec spec;
    spec.type = u"probe"_s;
    spec.maxRetries = 1;
    spec.backoffMs = 1000; // 800 to 1200 ms with jitter
    const Result<TaskSnapshot> t = m_engine->submit(spec);
    QVERIFY(t);
    QTRY_COMPARE(m_engine->task(t->id)->state, TaskState::Retrying);
    TimerEventCounter counter;
    QCoreApplication::instance()->installEventFilter(&counter);
    QTRY_COMPARE(m_engine->task(t->id)->state, TaskState::Succeeded);
    QCoreApplication::instance()->removeEventFilter(&counter);
    QCOMPARE(m_engine->task(t->id)->attempt, 2);
    // The retry deadline, and the few progress ticks that flush the failed attempt's last events
    // and the new attempt's: nowhere near the ~24 a 33 ms tick would take over 800 ms.
    QVERIFY2(counter.m_count <= 8, qPrintable(QString::number(counter.m_count)));
}

void tst_TaskEngine::manualRetry()
{
    m_probe->failuresLeft = 1;
    const TaskSnapshot t = submit();
    QTRY_COMPARE(m_engine->task(t.id)->state, TaskState::Failed);
    QVERIFY(!m_engine->retry(t.id));
    QTRY_COMPARE(m_engine->task(t.id)->state, TaskState::Succeeded);
    QCOMPARE(m_engine->task(t.id)->attempt, 2);
    QVERIFY(!m_engine->task(t.id)->error);
    QCOMPARE(m_engine->retry(t.id).code, u"invalid_transition"_s);
}

void tst_TaskEngine::timeout()
{
    m_probe->loopForever = true;
    const TaskSnapshot t = submit({}, 0, 0, 100);
    QTRY_COMPARE(m_engine->task(t.id)->state, TaskState::Failed);
    QCOMPARE(m_engine->task(t.id)->error->code, u"timeout"_s);
}

void tst_TaskEngine::priorityThenFifo()
{
    m_engine->setConcurrency(1);
    m_probe->useGate = true;
    const TaskSnapshot blocker = submit({ { u"name"_s, u"blocker"_s } });
    QTRY_COMPARE(m_engine->task(blocker.id)->state, TaskState::Running);
    submit({ { u"name"_s, u"low1"_s } }, 0);
    submit({ { u"name"_s, u"high"_s } }, 5);
    submit({ { u"name"_s, u"low2"_s } }, 0);
    submit({ { u"name"_s, u"mid"_s } }, 1);
    m_probe->gate.release(5);
    QTRY_COMPARE(m_engine->activeCount(), 0);
    QCOMPARE(m_probe->startOrder,
             (QStringList { u"blocker"_s, u"high"_s, u"mid"_s, u"low1"_s, u"low2"_s }));
}

void tst_TaskEngine::illegalTransitions()
{
    const TaskSnapshot t = submit();
    QTRY_COMPARE(m_engine->task(t.id)->state, TaskState::Succeeded);
    QCOMPARE(m_engine->resume(t.id).code, u"invalid_transition"_s);
    QCOMPARE(m_engine->pause(t.id).code, u"invalid_transition"_s);
    QCOMPARE(m_engine->cancel(t.id).code, u"invalid_transition"_s);
    QCOMPARE(m_engine->retry(t.id).code, u"invalid_transition"_s);
    QVERIFY(!m_engine->cancel(t.id).message.isEmpty());
    QCOMPARE(m_engine->cancel(u"missing"_s).code, u"not_found"_s);
    QCOMPARE(m_engine->task(t.id)->state, TaskState::Succeeded); // nothing changed
}

void tst_TaskEngine::removeAndClear()
{
    m_probe->loopForever = true;
    const TaskSnapshot running = submit();
    QTRY_COMPARE(m_engine->task(running.id)->state, TaskState::Running);
    QCOMPARE(m_engine->remove(running.id).code, u"not_finished"_s);
    QVERIFY(!m_engine->cancel(running.id));
    QTRY_COMPARE(m_engine->task(running.id)->state, TaskState::Canceled);
    m_probe->loopForever = false;
    const TaskSnapshot a = submit();
    const TaskSnapshot b = submit();
    QTRY_COMPARE(m_engine->activeCount(), 0);
    QVERIFY(!m_engine->remove(a.id));
    QVERIFY(!m_engine->task(a.id));
    QTRY_VERIFY(!m_tracker->events(a.id).isEmpty()
                && m_tracker->events(a.id).last().kind == TaskEvent::Kind::Removed);
    QCOMPARE(m_engine->removeFinished(), 2);
    QCOMPARE(m_engine->taskCount(), 0);
    QCOMPARE(m_engine->remove(b.id).code, u"not_found"_s);
}

void tst_TaskEngine::restoreFromStore()
{
    TaskSnapshot running;
    running.id = u"r1"_s;
    running.type = u"probe"_s;
    running.state = TaskState::Running;
    running.progress.processed = 42;
    TaskSnapshot queued = running;
    queued.id = u"q1"_s;
    queued.state = TaskState::Queued;
    TaskSnapshot done = running;
    done.id = u"d1"_s;
    done.state = TaskState::Succeeded;
    m_engine->restore({ running, queued, done });
    const TaskSnapshot r = *m_engine->task(u"r1"_s);
    QCOMPARE(r.state, TaskState::Interrupted);
    QCOMPARE(r.progress.processed, 42);
    QCOMPARE(r.error->code, u"interrupted"_s);
    QTRY_COMPARE(m_engine->task(u"q1"_s)->state, TaskState::Succeeded);
    QCOMPARE(m_engine->task(u"d1"_s)->state, TaskState::Succeeded);
    QVERIFY(!m_engine->retry(u"r1"_s));
    QTRY_COMPARE(m_engine->task(u"r1"_s)->state, TaskState::Succeeded);
    QCOMPARE(m_engine->tasks().size(), 3);
    QCOMPARE(m_engine->tasks().first().id, u"r1"_s);
}

// A big history is not written back at each start (issue 18): restore() names the tasks it
// changed, and only those, so a store added without a replay writes just them.
void tst_TaskEngine::restoreTellsWhatChanged_data()
{
    QTest::addColumn<TaskState>("stored");
    QTest::addColumn<QString>("type");
    QTest::addColumn<bool>("changed");
    QTest::addColumn<TaskState>("now");
    QTest::newRow("succeeded") << TaskState::Succeeded << u"probe"_s << false
                               << TaskState::Succeeded;
    QTest::newRow("failed") << TaskState::Failed << u"probe"_s << false << TaskState::Failed;
    QTest::newRow("interrupted") << TaskState::Interrupted << u"probe"_s << false
                                 << TaskState::Interrupted;
    QTest::newRow("running") << TaskState::Running << u"probe"_s << true << TaskState::Interrupted;
    QTest::newRow("paused") << TaskState::Paused << u"probe"_s << true << TaskState::Interrupted;
    QTest::newRow("retrying") << TaskState::Retrying << u"probe"_s << true << TaskState::Queued;
    QTest::newRow("queued, unknown type")
        << TaskState::Queued << u"gone"_s << true << TaskState::Failed;
    QTest::newRow("finished, unknown type")
        << TaskState::Succeeded << u"gone"_s << false << TaskState::Succeeded;
}

void tst_TaskEngine::restoreTellsWhatChanged()
{
    QFETCH(TaskState, stored);
    QFETCH(QString, type);
    QFETCH(bool, changed);
    QFETCH(TaskState, now);
    m_probe->loopForever = true; // a queued one stays running, not finished, while we look
    TaskSnapshot t;
    t.id = u"t1"_s;
    t.type = type;
    t.state = stored;
    TaskSnapshot other = t;
    other.id = u"t2"_s;
    other.type = u"probe"_s;
    other.state = TaskState::Succeeded;
    const TaskEvents events = m_engine->restore({ other, t });
    QCOMPARE(events.size(), changed ? 1 : 0);
    if (changed) {
        QCOMPARE(events.first().kind, TaskEvent::Kind::StateChanged);
        QCOMPARE(events.first().task.id, u"t1"_s);
        QCOMPARE(events.first().previousState, stored);
        QCOMPARE(events.first().task.state, now);
    }
    if (now != TaskState::Queued) // a queued one may be running already
        QCOMPARE(m_engine->task(u"t1"_s)->state, now);
}

// A tracker added after restore() hears of each task once (the pending batch went to the
// others first); without a replay it hears of none until something changes.
void tst_TaskEngine::addTrackerAfterRestore_data()
{
    QTest::addColumn<bool>("replay");
    QTest::newRow("replay") << true;
    QTest::newRow("no replay") << false;
}

void tst_TaskEngine::addTrackerAfterRestore()
{
    QFETCH(bool, replay);
    QList<TaskSnapshot> history;
    for (int i = 0; i < 5; ++i) {
        TaskSnapshot t;
        t.id = u"h%1"_s.arg(i);
        t.type = u"probe"_s;
        t.state = TaskState::Succeeded;
        history.append(t);
    }
    m_engine->restore(history);
    RecordingTracker late;
    m_engine->addTracker(&late, 1, replay);
    QTRY_COMPARE(m_tracker->events(u"h4"_s).size(), 1); // the early one, once
    const TaskSnapshot added = submit(); // something new reaches both
    QTRY_VERIFY(!late.events(added.id).isEmpty());
    for (const TaskSnapshot &t : std::as_const(history))
        QCOMPARE(late.events(t.id).size(), replay ? 1 : 0);
    QCOMPARE(m_tracker->events(u"h0"_s).size(), 1);
    m_engine->removeTracker(&late);
}

// Interrupted tasks are work the user may still want: "Clear finished" leaves them.
void tst_TaskEngine::removeFinishedKeepsInterrupted()
{
    TaskSnapshot running;
    running.id = u"r1"_s;
    running.type = u"probe"_s;
    running.state = TaskState::Running;
    TaskSnapshot failed = running;
    failed.id = u"f1"_s;
    failed.state = TaskState::Failed;
    TaskSnapshot done = running;
    done.id = u"d1"_s;
    done.state = TaskState::Succeeded;
    m_engine->restore({ running, failed, done });
    QCOMPARE(m_engine->task(u"r1"_s)->state, TaskState::Interrupted);
    QCOMPARE(m_engine->removeFinished(), 2);
    QCOMPARE(m_engine->taskCount(), 1);
    QCOMPARE(m_engine->task(u"r1"_s)->state, TaskState::Interrupted);
}

void tst_TaskEngine::shutdownInterrupts()
{
    m_probe->loopForever = true;
    const TaskSnapshot t = submit();
    QTRY_COMPARE(m_engine->task(t.id)->state, TaskState::Running);
    m_engine->shutdown();
    QCOMPARE(m_engine->task(t.id)->state, TaskState::Interrupted);
    QCOMPARE(m_tracker->states(t.id).last(), TaskState::Interrupted); // delivered synchronously
    QCOMPARE(m_engine->submit(TaskSpec { u"probe"_s, {}, {}, 0, 0, 1000, 0 }).error().code,
             u"shutting_down"_s);
}

namespace {
// Stands in for a cluster: records what the engine asked of it.
// A type that no worker runs: its tasks are an ExternalTaskDriver's.
TaskType remoteType()
{
    TaskType type;
    type.name = u"remote"_s;
    type.title = u"Remote"_s;
    type.schema = QJsonObject { { u"type"_s, u"object"_s } };
    return type;
}

class FakeDriver final : public ExternalTaskDriver
{
public:
    void startTask(const TaskSnapshot &task) override { started.append(task.id); }
    void cancelTask(const TaskSnapshot &task) override { canceled.append(task.id); }
    QStringList started;
    QStringList canceled;
};
} // namespace

void tst_TaskEngine::externalTasks()
{
    m_registry->add(remoteType());
    FakeDriver driver;
    m_engine->setExternalDriver(u"remote"_s, &driver);
    const Result<TaskSnapshot> r = m_engine->submit(TaskSpec { u"remote"_s, {}, {}, 0, 3, 10, 0 });
    QVERIFY(r);
    const QString id = r->id;
    QCOMPARE(driver.started, QStringList { id });
    QVERIFY(!m_engine->updateExternal(id, { TaskState::Running, {}, {}, {}, {} }));
    TaskProgress p;
    p.percent = 40;
    p.message = u"remote work"_s;
    QVERIFY(!m_engine->updateExternal(id, { {}, p, {}, {}, {} }));
    QCOMPARE(m_engine->task(id)->progress.message, u"remote work"_s);
    // The cluster retries by itself: the engine must not queue a new attempt.
    QVERIFY(!m_engine->updateExternal(id, { TaskState::Retrying, {}, {}, {}, {} }));
    QTRY_VERIFY(m_tracker->states(id).contains(TaskState::Retrying));
    QCoreApplication::sendPostedEvents();
    QCOMPARE(m_engine->task(id)->state, TaskState::Retrying);
    QCOMPARE(driver.started.size(), 1);
    QVERIFY(!m_engine->updateExternal(id, { TaskState::Running, {}, {}, {}, {} }));
    QVERIFY(!m_engine->updateExternal(id, { TaskState::Succeeded, {}, QJsonValue(7), {}, {} }));
    QCOMPARE(m_engine->task(id)->state, TaskState::Succeeded);
    QCOMPARE(m_engine->task(id)->result.toInt(), 7);
    QCOMPARE(m_engine->task(id)->progress.percent, std::optional<double>(100));
    QCOMPARE(m_engine->updateExternal(id, { TaskState::Running, {}, {}, {}, {} }).code,
             u"invalid_transition"_s);

    const Result<TaskSnapshot> q = m_engine->submit(TaskSpec { u"remote"_s, {}, {}, 0, 0, 10, 0 });
    QVERIFY(!m_engine->cancel(q->id));
    QCOMPARE(driver.canceled, QStringList { q->id });
    QCOMPARE(m_engine->task(q->id)->state, TaskState::Canceled);
    m_engine->setExternalDriver(u"remote"_s, nullptr);
    const Result<TaskSnapshot> orphan
        = m_engine->submit(TaskSpec { u"remote"_s, {}, {}, 0, 0, 10, 0 });
    QCOMPARE(m_engine->task(orphan->id)->error->code, u"no_driver"_s);
}

// A driver ends its task in whatever state it is (an upload whose partial file is gone fails
// though interrupted), with no retry in between: no new attempt, no start, no state between.
void tst_TaskEngine::endExternal_data()
{
    QTest::addColumn<TaskState>("from");
    QTest::addColumn<TaskState>("to");
    QTest::addColumn<bool>("allowed");
    using S = TaskState;
    QTest::newRow("queued to failed") << S::Queued << S::Failed << true;
    QTest::newRow("queued to canceled") << S::Queued << S::Canceled << true;
    QTest::newRow("running to succeeded") << S::Running << S::Succeeded << true;
    QTest::newRow("running to failed") << S::Running << S::Failed << true;
    QTest::newRow("running to canceled") << S::Running << S::Canceled << true;
    QTest::newRow("retrying to canceled") << S::Retrying << S::Canceled << true;
    QTest::newRow("retrying to failed") << S::Retrying << S::Failed << false;
    QTest::newRow("interrupted to failed") << S::Interrupted << S::Failed << true;
    QTest::newRow("interrupted to canceled") << S::Interrupted << S::Canceled << true;
    QTest::newRow("interrupted to succeeded") << S::Interrupted << S::Succeeded << false;
    QTest::newRow("failed to canceled") << S::Failed << S::Canceled << false;
    QTest::newRow("running to paused: not an end") << S::Running << S::Paused << false;
}

void tst_TaskEngine::endExternal()
{
    QFETCH(TaskState, from);
    QFETCH(TaskState, to);
    QFETCH(bool, allowed);
    m_registry->add(remoteType());
    FakeDriver driver;
    m_engine->setExternalDriver(u"remote"_s, &driver);
    QString id;
    if (from == TaskState::Interrupted) {
        TaskSnapshot stored;
        stored.id = u"stored-remote"_s;
        stored.type = u"remote"_s;
        stored.state = TaskState::Running; // the process stopped meanwhile
        m_engine->restore({ stored });
        id = stored.id;
    } else {
        const Result<TaskSnapshot> r
            = m_engine->submit(TaskSpec { u"remote"_s, {}, {}, 0, 3, 10, 0 });
        QVERIFY(r);
        id = r->id;
        if (from != TaskState::Queued)
            QVERIFY(!m_engine->updateExternal(id, { TaskState::Running, {}, {}, {}, {} }));
        if (from == TaskState::Retrying || from == TaskState::Failed)
            QVERIFY(!m_engine->updateExternal(id, { from, {}, {}, {}, {} }));
    }
    QCOMPARE(m_engine->task(id)->state, from);
    const int attempt = m_engine->task(id)->attempt;
    const QStringList started = driver.started;
    // What the tracker has heard so far (a restored task is not told: the store has it).
    if (from != TaskState::Interrupted) {
        QTRY_VERIFY(!m_tracker->events(id).isEmpty()
                    && m_tracker->events(id).last().task.state == from);
    }
    const qsizetype seen = m_tracker->states(id).size();

    const EngineError error
        = m_engine->endExternal(id, to, TaskError { u"gone"_s, u"Gone."_s, {} });
    QCOMPARE(!error, allowed);
    if (!allowed) {
        QCOMPARE(error.code, u"invalid_transition"_s);
        QCOMPARE(m_engine->task(id)->state, from);
        return;
    }
    const TaskSnapshot ended = *m_engine->task(id);
    QCOMPARE(ended.state, to);
    QCOMPARE(ended.attempt, attempt);
    QCOMPARE(driver.started, started);
    QVERIFY(driver.canceled.isEmpty()); // the driver decided it: nothing to tell it
    if (to == TaskState::Succeeded)
        QCOMPARE(ended.progress.percent, std::optional<double>(100));
    else
        QCOMPARE(ended.error->code, u"gone"_s);
    // Straight there: a queued task passes through running (it ran unseen), nothing else does.
    QList<TaskState> expected;
    if (from == TaskState::Queued && to != TaskState::Canceled)
        expected.append(TaskState::Running);
    expected.append(to);
    QTRY_COMPARE(m_tracker->states(id).mid(seen), expected);
    QCOMPARE(m_engine->endExternal(id, TaskState::Failed, {}).code, u"invalid_transition"_s);
    m_engine->setExternalDriver(u"remote"_s, nullptr);
}

void tst_TaskEngine::actionsFollowStateAndRunner()
{
    using A = TaskAction;
    m_probe->loopForever = true;
    const TaskSnapshot t = submit();
    QTRY_COMPARE(m_engine->task(t.id)->state, TaskState::Running);
    QCOMPARE(m_engine->task(t.id)->actions, A::Cancel | A::Pause);
    QVERIFY(!m_engine->pause(t.id));
    QCOMPARE(m_engine->task(t.id)->actions, A::Cancel | A::Resume);
    QVERIFY(!m_engine->resume(t.id));
    QVERIFY(!m_engine->cancel(t.id));
    QCOMPARE(m_engine->task(t.id)->actions, TaskActions()); // canceling: nothing else to offer
    QTRY_COMPARE(m_engine->task(t.id)->state, TaskState::Canceled);
    QCOMPARE(m_engine->task(t.id)->actions, A::Retry | A::Remove);
    // Observers get them with the task.
    QTRY_VERIFY(m_tracker->states(t.id).contains(TaskState::Canceled));
    QCOMPARE(m_tracker->events(t.id).last().task.actions, A::Retry | A::Remove);

    // Run elsewhere: cancel, never pause; not retryable: only remove once it ended.
    TaskType remote = remoteType();
    remote.capabilities.retryable = false;
    m_registry->add(std::move(remote));
    FakeDriver driver;
    m_engine->setExternalDriver(u"remote"_s, &driver);
    const Result<TaskSnapshot> r = m_engine->submit(TaskSpec { u"remote"_s, {}, {}, 0, 0, 10, 0 });
    QVERIFY(r);
    QVERIFY(!m_engine->updateExternal(r->id, { TaskState::Running, {}, {}, {}, {} }));
    QCOMPARE(m_engine->task(r->id)->actions, TaskActions(A::Cancel));
    QCOMPARE(m_engine->pause(r->id).code, u"invalid_transition"_s);
    QVERIFY(!m_engine->updateExternal(r->id, { TaskState::Failed, {}, {}, {}, {} }));
    QCOMPARE(m_engine->task(r->id)->actions, TaskActions(A::Remove));
    QCOMPARE(m_engine->retry(r->id).code, u"invalid_transition"_s);
    QCOMPARE(m_engine->task(r->id)->state, TaskState::Failed);
    m_engine->setExternalDriver(u"remote"_s, nullptr);
}

QTEST_GUILESS_MAIN(tst_TaskEngine)
#include "tst_taskengine.moc"

void tst_TaskEngine::outputTravelsApartFromProgress()
{
    // A tracker that takes output at its own rate gets lean progress events (no output) and
    // every output change in the end; a tracker that did not ask gets output as before.
    m_registry->add(remoteType());
    FakeDriver driver;
    m_engine->setExternalDriver(u"remote"_s, &driver);
    const Result<TaskSnapshot> r = m_engine->submit(TaskSpec { u"remote"_s, {}, {}, 0, 0, 10, 0 });
    QVERIFY(r);
    const QString id = r->id;
    QVERIFY(!m_engine->updateExternal(id, { TaskState::Running, {}, {}, {}, {} }));
    RecordingTracker lean;
    m_engine->addTracker(&lean, 30, true, 1);
    const auto lastWithOutput = [&lean, &id] {
        const QList<TaskEvent> events = lean.events(id);
        for (auto it = events.crbegin(); it != events.crend(); ++it) {
            if (it->kind == TaskEvent::Kind::Progress && it->withOutput)
                return it->task.output;
        }
        return QString();
    };

    QVERIFY(!m_engine->updateExternal(id, { {}, {}, {}, {}, u"hello\n"_s }));
    QTRY_COMPARE(lastWithOutput(), u"hello\n"_s);
    QTRY_VERIFY(!m_engine->task(id)->output.isEmpty());
    TaskProgress p;
    p.percent = 40;
    QVERIFY(!m_engine->updateExternal(id, { {}, p, {}, {}, {} }));
    QTRY_VERIFY(lean.progressCount(id) >= 2);
    const TaskEvent progressOnly = lean.events(id).constLast();
    QCOMPARE(progressOnly.task.progress.percent, std::optional<double>(40));
    QVERIFY(!progressOnly.withOutput); // the output did not change: not sent again
    QVERIFY(progressOnly.task.output.isEmpty());

    QVERIFY(!m_engine->updateExternal(id, { {}, {}, {}, {}, u"world\n"_s }));
    QTRY_COMPARE(lastWithOutput(), u"hello\nworld\n"_s); // within its second
    for (const TaskEvent &e : lean.events(id)) {
        if (e.kind == TaskEvent::Kind::Progress && !e.withOutput)
            QVERIFY(e.task.output.isEmpty());
    }
    // The test's own tracker (added at init, no output rate) gets output with progress.
    const auto fullOutputTold = [this, &id] {
        for (const TaskEvent &e : m_tracker->events(id)) {
            if (e.kind == TaskEvent::Kind::Progress && e.withOutput
                && e.task.output == u"hello\nworld\n"_s)
                return true;
        }
        return false;
    };
    QTRY_VERIFY(fullOutputTold());
    for (const TaskEvent &e : m_tracker->events(id))
        QVERIFY(e.withOutput);
    m_engine->setExternalDriver(u"remote"_s, nullptr);
}
