#include "app/core/enginecall.h"

#include <QObject>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <optional>
#include <thread>

using namespace Qt::StringLiterals;

// EngineCall: calls from another thread run on the engine's (this test's main) thread and
// return their result; close() releases waiting calls with "unavailable"; runOn() serves calls
// while the engine's thread waits for the other one, so the two never wait for each other.
class tst_EngineCall : public QObject
{
    Q_OBJECT

private:
    // Spins (no event loop: nothing may drain the queue) until `count` calls are queued.
    static void waitQueued(const EngineCall &call, qsizetype count)
    {
        while (call.queuedCount() < count)
            std::this_thread::yield();
    }

private Q_SLOTS:
    void directOnTheEngineThread()
    {
        QObject engine;
        EngineCall call(&engine);
        QVERIFY(call.isDirect());
        QCOMPARE(call.call([] { return 42; }), std::optional<int>(42));
        int posted = 0;
        call.post([&posted] { ++posted; });
        QCOMPARE(posted, 1); // direct: at once
        call.close();
        QCOMPARE(call.call([] { return 1; }), std::optional<int>()); // closed: not run
        QCOMPARE(call.callAlways([] { return 2; }), 2);
    }

    void fromAnotherThreadRunsOnTheEngineThread()
    {
        QObject engine;
        EngineCall call(&engine);
        std::optional<QThread *> ranOn;
        std::atomic<bool> done = false;
        bool direct = true;
        std::thread other([&] {
            direct = call.isDirect();
            ranOn = call.call([] { return QThread::currentThread(); });
            done = true;
        });
        QTRY_VERIFY(done.load()); // the event loop drains the call
        other.join();
        QVERIFY(!direct);
        QCOMPARE(ranOn, std::optional<QThread *>(QThread::currentThread()));
    }

    void postsRunInOrderWithCalls()
    {
        QObject engine;
        EngineCall call(&engine);
        QList<int> order;
        std::atomic<bool> done = false;
        std::thread other([&] {
            call.post([&order] { order.append(1); });
            call.post([&order] { order.append(2); });
            call.call([&order] { order.append(3); });
            done = true;
        });
        QTRY_VERIFY(done.load());
        other.join();
        QCOMPARE(order, (QList<int> { 1, 2, 3 }));
    }

    // Item 3 of issue 18: a call waiting while the engine's thread shuts the server down
    // returns at once, unavailable, and never runs.
    void closeReleasesAWaitingCall()
    {
        QObject engine;
        EngineCall call(&engine);
        std::optional<int> result = 0;
        bool ran = false;
        std::thread other([&] {
            result = call.call([&ran] {
                ran = true;
                return 7;
            });
        });
        waitQueued(call, 1); // queued, and this thread runs no event loop: it cannot run
        call.close();
        other.join(); // returns without this thread ever serving it
        QCOMPARE(result, std::optional<int>());
        QCOMPARE(call.queuedCount(), 0);
        // The drain posted for it runs later and finds nothing to do.
        QCoreApplication::processEvents();
        QVERIFY(!ran);
        QVERIFY(call.isClosed());
    }

    // runOn(): the engine's thread waits for work on another thread that itself calls the
    // engine (building or destroying the server) and serves those calls meanwhile, closed
    // or not for callAlways.
    void runOnServesCallsWhileWaiting_data()
    {
        QTest::addColumn<bool>("closed");
        QTest::newRow("open") << false;
        QTest::newRow("closed") << true;
    }
    void runOnServesCallsWhileWaiting()
    {
        QFETCH(bool, closed);
        QObject engine;
        EngineCall call(&engine);
        QThread thread;
        QObject context;
        context.moveToThread(&thread);
        thread.start();
        if (closed)
            call.close();
        QThread *workThread = nullptr;
        QThread *callThread = nullptr;
        std::optional<int> plain = 0;
        call.runOn(&context, [&] {
            workThread = QThread::currentThread();
            callThread = call.callAlways([] { return QThread::currentThread(); });
            plain = call.call([] { return 5; });
        });
        thread.quit();
        thread.wait();
        QCOMPARE(workThread, &thread);
        QCOMPARE(callThread, QThread::currentThread());
        QCOMPARE(plain, closed ? std::optional<int>() : std::optional<int>(5));
    }
};

QTEST_GUILESS_MAIN(tst_EngineCall)
#include "tst_enginecall.moc"
