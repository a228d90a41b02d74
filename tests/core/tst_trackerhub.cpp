// Tests of TrackerHub: state events batched once per event-loop pass and delivered in order to
// every tracker; progress told at each tracker's own rate (synthetic times), with the latest
// snapshot and once per task however often it changed; a new tracker gets what exists, never
// an event twice; removed and destroyed trackers hear nothing more.
#include "app/core/tasksnapshot.h"
#include "app/core/tasktracker.h"
#include "app/core/trackerhub.h"

#include <QHash>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <latch>
#include <thread>

using namespace Qt::StringLiterals;

namespace {
class Recorder final : public TaskTracker
{
public:
    QList<TaskEvents> batches;
    void tasksChanged(const TaskEvents &events) override { batches.append(events); }
    QList<TaskEvent> all() const
    {
        QList<TaskEvent> out;
        for (const TaskEvents &b : batches)
            out += b;
        return out;
    }
};

TaskSnapshot snapshot(const QString &id, TaskState state, double percent = 0)
{
    TaskSnapshot s;
    s.id = id;
    s.state = state;
    s.progress.percent = percent;
    return s;
}
} // namespace

class tst_TrackerHub : public QObject
{
    Q_OBJECT

private:
    QHash<QString, TaskSnapshot> m_tasks;
    std::unique_ptr<TrackerHub> m_hub;

    // Lets the queued deliveries run (they are queued calls in the tracker's thread).
    static void deliver() { QCoreApplication::sendPostedEvents(nullptr, QEvent::MetaCall); }

private Q_SLOTS:
    void init()
    {
        m_tasks.clear();
        m_hub = std::make_unique<TrackerHub>([this](const QString &id) -> const TaskSnapshot * {
            const auto it = m_tasks.constFind(id);
            return it == m_tasks.cend() ? nullptr : &*it;
        });
    }

    void stateEventsAreBatchedInOrder()
    {
        Recorder a;
        Recorder b;
        m_hub->add(&a, 30, {});
        m_hub->add(&b, 1, {});
        m_hub->post(
            { TaskEvent::Kind::Added, snapshot(u"t"_s, TaskState::Queued), TaskState::Queued });
        m_hub->post({ TaskEvent::Kind::StateChanged, snapshot(u"t"_s, TaskState::Running),
                      TaskState::Queued });
        QVERIFY(a.batches.isEmpty()); // not before the event loop's turn
        QTRY_COMPARE(a.batches.size(), 1);
        deliver();
        for (const Recorder *r : { &a, &b }) {
            QCOMPARE(r->batches.size(), 1); // one batch, whatever the tracker's rate
            QCOMPARE(r->batches.at(0).size(), 2);
            QCOMPARE(r->batches.at(0).at(0).kind, TaskEvent::Kind::Added);
            QCOMPARE(r->batches.at(0).at(1).task.state, TaskState::Running);
        }
    }

    // For a caller about to tell a client that a task is done (an upload's last answer): the
    // trackers, the store among them, have handled the transition when deliverStateNow() returns.
    void deliverStateNowBeforeReturning()
    {
        Recorder store;
        Recorder push;
        m_hub->add(&store, 1, {});
        m_hub->add(&push, 30, {});
        m_hub->post({ TaskEvent::Kind::StateChanged, snapshot(u"t"_s, TaskState::Succeeded),
                      TaskState::Running });
        m_hub->deliverStateNow();
        for (const Recorder *r : { &store, &push }) {
            QCOMPARE(r->batches.size(), 1);
            QCOMPARE(r->batches.at(0).at(0).task.state, TaskState::Succeeded);
        }
        deliver();
        QCOMPARE(store.batches.size(), 1); // never twice
    }

    // A tracker on another thread (the server's hub on its own thread): its events arrive on
    // its thread, in order, after the trackers added before it on this thread (the store) have
    // handled them; deliverStateNow() delivers this thread's trackers at once and leaves the
    // other's to its own event loop (never called from here).
    void trackerOnAnotherThread()
    {
        QThread thread;
        Recorder local;
        QList<QThread *> calledOn;
        std::latch delivered(2);
        struct Probe final : TaskTracker
        {
            QList<QThread *> *calledOn;
            const Recorder *local;
            QList<qsizetype> *localBefore;
            std::latch *delivered;
            std::atomic<int> count = 0;
            void tasksChanged(const TaskEvents &) override
            {
                calledOn->append(QThread::currentThread());
                // The batch reached the tracker added before it (the store) first.
                localBefore->append(local->batches.size());
                ++count;
                delivered->count_down();
            }
        };
        auto *probe = new Probe;
        QList<qsizetype> localBefore;
        probe->calledOn = &calledOn;
        probe->local = &local;
        probe->localBefore = &localBefore;
        probe->delivered = &delivered;
        probe->moveToThread(&thread);
        thread.start();
        m_hub->add(&local, 1, {});
        m_hub->add(probe, 30, {});
        m_hub->post(
            { TaskEvent::Kind::Added, snapshot(u"t"_s, TaskState::Queued), TaskState::Queued });
        m_hub->deliverStateNow();
        QCOMPARE(local.batches.size(), 1); // this thread's tracker: handled already
        while (probe->count < 1) // the other thread's, by its own loop (no event loop here)
            std::this_thread::yield();
        m_hub->post({ TaskEvent::Kind::StateChanged, snapshot(u"t"_s, TaskState::Running),
                      TaskState::Queued });
        m_hub->deliverStateNow();
        delivered.wait(); // both batches reach the other thread, by its own loop
        m_hub->remove(probe);
        QMetaObject::invokeMethod(probe, &QObject::deleteLater);
        thread.quit();
        thread.wait();
        QCOMPARE(calledOn, (QList<QThread *> { &thread, &thread }));
        QCOMPARE(localBefore, (QList<qsizetype> { 1, 2 }));
        QCOMPARE(local.batches.size(), 2);
    }

    void progressAtEachTrackersRate()
    {
        Recorder fast; // 30/s: every 33 ms
        Recorder slow; // 1/s
        m_hub->add(&fast, 30, {});
        m_hub->add(&slow, 1, {});
        QCOMPARE(m_hub->fastestIntervalMs(), 33);
        m_tasks.insert(u"t"_s, snapshot(u"t"_s, TaskState::Running));
        // 3 s of progress at 100 changes a second, flushed every 10 ms.
        for (qint64 ms = 10; ms <= 3000; ms += 10) {
            m_tasks[u"t"_s].progress.percent = double(ms) / 30.0;
            m_hub->markDirty(u"t"_s);
            m_hub->flushProgress(ms);
        }
        deliver();
        QCOMPARE(fast.batches.size(), 75); // every 40 ms: the first 10 ms tick past 33 ms
        QCOMPARE(slow.batches.size(), 3); // at 1, 2 and 3 s
        for (const TaskEvents &b : std::as_const(slow.batches)) {
            QCOMPARE(b.size(), 1); // one event per task, however often it changed
            QCOMPARE(b.at(0).kind, TaskEvent::Kind::Progress);
        }
        QCOMPARE(*slow.batches.last().at(0).task.progress.percent, 100.0); // the latest
    }

    void outputRidesWithProgressByDefault()
    {
        Recorder r;
        m_hub->add(&r, 30, {});
        m_tasks.insert(u"t"_s, snapshot(u"t"_s, TaskState::Running));
        m_tasks[u"t"_s].output = u"line 1\n"_s;
        m_hub->markOutputDirty(u"t"_s);
        m_hub->flushProgress(100);
        m_tasks[u"t"_s].progress.percent = 50;
        m_hub->markDirty(u"t"_s);
        m_hub->flushProgress(200);
        deliver();
        QCOMPARE(r.batches.size(), 2);
        for (const TaskEvents &b : std::as_const(r.batches)) {
            QVERIFY(b.at(0).withOutput);
            QCOMPARE(b.at(0).task.output, u"line 1\n"_s);
        }
    }

    void outputSeparateAtItsOwnRate()
    {
        // Progress 30/s, output at most once a second: 3 s of a command printing a line and
        // moving on every 10 ms.
        Recorder r;
        m_hub->add(&r, 30, {}, 1);
        m_tasks.insert(u"t"_s, snapshot(u"t"_s, TaskState::Running));
        QList<qint64> toldOutputAt;
        for (qint64 ms = 10; ms <= 3000; ms += 10) {
            TaskSnapshot &t = m_tasks[u"t"_s];
            t.progress.percent = double(ms) / 30.0;
            t.output += u"line %1\n"_s.arg(ms);
            t.outputStderr = { { 0, 4 } };
            m_hub->markOutputDirty(u"t"_s);
            const qsizetype before = r.batches.size();
            m_hub->flushProgress(ms);
            deliver();
            if (r.batches.size() > before && r.batches.last().at(0).withOutput)
                toldOutputAt.append(ms);
        }
        QCOMPARE(r.batches.size(), 75); // progress keeps its own rate
        int without = 0;
        for (const TaskEvents &b : std::as_const(r.batches)) {
            QCOMPARE(b.size(), 1);
            QCOMPARE(b.at(0).kind, TaskEvent::Kind::Progress);
            if (!b.at(0).withOutput) {
                ++without;
                QVERIFY(b.at(0).task.output.isEmpty()); // lean: no 64 KiB riding along
                QVERIFY(b.at(0).task.outputStderr.isEmpty());
            } else {
                QVERIFY(!b.at(0).task.output.isEmpty());
                QCOMPARE(b.at(0).task.outputStderr.size(), 1);
            }
        }
        // The first change at once, then at most one a second.
        QCOMPARE(toldOutputAt, (QList<qint64> { 40, 1040, 2040 }));
        QCOMPARE(without, 72);

        // The last change is told once its second has passed, not at the next progress flush.
        m_tasks[u"t"_s].output += u"last\n"_s;
        m_hub->markOutputDirty(u"t"_s);
        QVERIFY(m_hub->hasDirty());
        m_hub->flushProgress(3010); // not yet this tracker's turn
        deliver();
        QVERIFY(!r.batches.last().at(0).task.output.endsWith(u"last\n"_s));
        m_hub->flushProgress(3040); // output not due until 3040 ms
        deliver();
        QVERIFY(r.batches.last().at(0).withOutput);
        QVERIFY(r.batches.last().at(0).task.output.endsWith(u"last\n"_s));
        QVERIFY(!m_hub->hasDirty());
    }

    void pendingOutputIsNotRepeatedProgress()
    {
        // A task whose output waits for its second is not sent again and again meanwhile.
        Recorder r;
        m_hub->add(&r, 30, {}, 1);
        m_tasks.insert(u"t"_s, snapshot(u"t"_s, TaskState::Running));
        m_tasks[u"t"_s].output = u"a\n"_s;
        m_hub->markOutputDirty(u"t"_s);
        m_hub->flushProgress(100); // told at once
        m_tasks[u"t"_s].output += u"b\n"_s;
        m_hub->markOutputDirty(u"t"_s);
        m_hub->flushProgress(200); // progress event without output
        for (qint64 ms = 300; ms < 1100; ms += 100)
            m_hub->flushProgress(ms); // nothing changed: nothing sent
        deliver();
        QCOMPARE(r.batches.size(), 2);
        QVERIFY(r.batches.at(0).at(0).withOutput);
        QVERIFY(!r.batches.at(1).at(0).withOutput);
        m_hub->flushProgress(1100);
        deliver();
        QCOMPARE(r.batches.size(), 3);
        QCOMPARE(r.batches.at(2).at(0).task.output, u"a\nb\n"_s);
    }

    void nothingChangedNothingSent()
    {
        Recorder r;
        m_hub->add(&r, 30, {});
        QVERIFY(!m_hub->hasDirty());
        m_hub->flushProgress(1000, true);
        deliver();
        QVERIFY(r.batches.isEmpty());
        // A task gone before the flush is not told either.
        m_hub->markDirty(u"gone"_s);
        QVERIFY(m_hub->hasDirty());
        m_hub->flushProgress(2000, true);
        QVERIFY(!m_hub->hasDirty());
        deliver();
        QVERIFY(r.batches.isEmpty());
    }

    // The pending batch predates a new tracker: it gets what exists instead, never both.
    void newTrackerGetsWhatExists()
    {
        Recorder first;
        m_hub->add(&first, 30, {});
        m_hub->post(
            { TaskEvent::Kind::Added, snapshot(u"t"_s, TaskState::Queued), TaskState::Queued });
        Recorder late;
        m_hub->add(
            &late, 30,
            { { TaskEvent::Kind::Added, snapshot(u"t"_s, TaskState::Queued), TaskState::Queued } });
        deliver();
        QCOMPARE(first.all().size(), 1);
        QCOMPARE(late.all().size(), 1);
        QCOMPARE(late.all().at(0).kind, TaskEvent::Kind::Added);
    }

    void removedAndDestroyedTrackersHearNothing()
    {
        Recorder kept;
        Recorder removed;
        auto *destroyed = new Recorder;
        QSignalSpy interval(m_hub.get(), &TrackerHub::intervalChanged);
        m_hub->add(&kept, 1, {});
        m_hub->add(&removed, 30, {});
        m_hub->add(destroyed, 60, {});
        QCOMPARE(m_hub->count(), 3);
        QCOMPARE(interval.last().at(0).toInt(), 16);
        m_hub->remove(&removed);
        delete destroyed;
        QCOMPARE(m_hub->count(), 1);
        // Only the 1/s store is left; the clock still ticks at the default rate for sampling.
        QCOMPARE(interval.last().at(0).toInt(), TrackerHub::DefaultIntervalMs);
        m_hub->post(
            { TaskEvent::Kind::Added, snapshot(u"t"_s, TaskState::Queued), TaskState::Queued });
        m_hub->flushState();
        deliver();
        QCOMPARE(kept.all().size(), 1);
        QVERIFY(removed.batches.isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_TrackerHub)
#include "tst_trackerhub.moc"
