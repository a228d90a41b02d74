// End to end: Headway's CeleryDriver against a private redis-server and a real Celery worker
// (tests/cluster/tasks.py). Skipped when redis-server or python3-celery is not installed.
#include "app/cluster/celerydriver.h"
#include "app/cluster/celerytasktype.h"
#include "app/cluster/redisconnection.h"
#include "app/core/taskengine.h"
#include "app/core/tasktyperegistry.h"
#include "clusterfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;

class TestCeleryDriver final : public QObject
{
    Q_OBJECT

private:
    ClusterFixture m_cluster;
    TaskTypeRegistry m_registry;
    std::unique_ptr<TaskEngine> m_engine;
    std::unique_ptr<CeleryDriver> m_driver;

    QString submit(const QString &task, const QJsonArray &args = {}, const QJsonObject &kwargs = {})
    {
        TaskSpec spec;
        spec.type = u"celery"_s;
        spec.params
            = QJsonObject { { u"task"_s, task }, { u"args"_s, args }, { u"kwargs"_s, kwargs } };
        const Result<TaskSnapshot> r = m_engine->submit(spec);
        if (!r.ok())
            qWarning() << r.error().message;
        return r.ok() ? r->id : QString();
    }
    TaskSnapshot task(const QString &id) const
    {
        return m_engine->task(id).value_or(TaskSnapshot {});
    }

    // One Redis command from the test itself, on its own connection, waited for.
    RedisReply redis(const QList<QByteArray> &argv)
    {
        RedisConnection c;
        QSignalSpy up(&c, &RedisConnection::connected);
        c.open(u"127.0.0.1"_s, m_cluster.port(), 0);
        if (!up.wait(5000))
            return {};
        RedisReply reply;
        bool done = false;
        c.command(argv, [&](const RedisReply &r) {
            reply = r;
            done = true;
        });
        (void)QTest::qWaitFor([&] { return done; }, 5000);
        return reply;
    }
    QString celeryStatus(const QString &celeryId)
    {
        const RedisReply r = redis({ "GET", "celery-task-meta-" + celeryId.toUtf8() });
        return QJsonDocument::fromJson(r.string).object().value(u"status"_s).toString();
    }
    std::optional<CeleryWorker> worker(const QString &host) const
    {
        for (const CeleryWorker &w : m_driver->workers()) {
            if (w.hostname == host)
                return w;
        }
        return std::nullopt;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString reason = ClusterFixture::unavailableReason();
        if (!reason.isEmpty())
            QSKIP(qPrintable(u"Celery cluster tests need a local Redis and Celery: "_s + reason));
        QString error;
        QVERIFY2(m_cluster.startRedis(&error), qPrintable(error));
        QVERIFY2(m_cluster.startWorker(u"w1"_s, &error), qPrintable(error));
        registerBuiltinTaskTypes(m_registry);
        registerCeleryTaskType(m_registry);
        EngineOptions options;
        options.cancelGraceMs = 30000; // so a cancel is only confirmed by the worker's REVOKED
        m_engine = std::make_unique<TaskEngine>(m_registry, options);
        m_driver = std::make_unique<CeleryDriver>(*m_engine);
        QVERIFY2(m_driver->start(m_cluster.brokerUrl(), &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(m_driver->isConnected(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(worker(m_cluster.workerHost(u"w1"_s)).has_value()
                                     && worker(m_cluster.workerHost(u"w1"_s))->online,
                                 15000);
    }

    void cleanupTestCase()
    {
        m_driver.reset();
        m_engine.reset();
    }

    void badUrl()
    {
        TaskTypeRegistry registry;
        TaskEngine engine(registry);
        CeleryDriver driver(engine);
        QString error;
        QVERIFY(!driver.start(QUrl(u"http://nope"_s), &error));
        QVERIFY(error.contains(u"redis://"_s));
    }

    void progressIsMapped()
    {
        const QString id = submit(u"tasks.progress"_s, QJsonArray { 8, 0.25 });
        QVERIFY(!id.isEmpty());
        QCOMPARE(m_driver->celeryId(id), id);
        // A mid-run report: current/total -> percent and amounts, description, steps.
        QTRY_VERIFY_WITH_TIMEOUT(
            task(id).state == TaskState::Running && task(id).progress.processed >= 2, 20000);
        const TaskProgress p = task(id).progress;
        QCOMPARE(p.total, qint64(8));
        QVERIFY(p.percent.has_value());
        QCOMPARE(*p.percent, double(p.processed) * 100.0 / 8.0);
        QVERIFY2(p.message.startsWith(u"item "_s), qPrintable(p.message));
        QCOMPARE(p.steps, (QStringList { u"prepare"_s, u"work"_s, u"finish"_s }));
        QCOMPARE(p.step, 1);
        QTRY_COMPARE_WITH_TIMEOUT(task(id).state, TaskState::Succeeded, 20000);
        QCOMPARE(task(id).result.toObject().value(u"items"_s).toInt(), 8);
        QCOMPARE(task(id).progress.percent.value_or(0), 100.0);
    }

    void successWithResult()
    {
        const QString id = submit(u"tasks.add"_s, QJsonArray { 2, 3 });
        QTRY_COMPARE_WITH_TIMEOUT(task(id).state, TaskState::Succeeded, 20000);
        QCOMPARE(task(id).result.toInt(), 5);
        QVERIFY(!task(id).error);
    }

    void failureWithTraceback()
    {
        const QString id = submit(u"tasks.fail"_s, QJsonArray { u"boom"_s });
        QTRY_COMPARE_WITH_TIMEOUT(task(id).state, TaskState::Failed, 20000);
        const TaskError e = task(id).error.value_or(TaskError {});
        QCOMPARE(e.code, u"celery_exception"_s);
        QCOMPARE(e.message, u"ValueError: boom"_s);
        const QString tb = e.details.value(u"traceback"_s).toString();
        QVERIFY2(tb.contains(u"Traceback"_s) && tb.contains(u"raise ValueError(message)"_s),
                 qPrintable(tb));
    }

    void unknownTaskFails()
    {
        const QString id = submit(u"tasks.does_not_exist"_s);
        QTRY_COMPARE_WITH_TIMEOUT(task(id).state, TaskState::Failed, 20000);
        QCOMPARE(task(id).error->details.value(u"exc_type"_s).toString(), u"NotRegistered"_s);
    }

    void revokeRunningTask()
    {
        const QString id = submit(u"tasks.wait_for"_s, QJsonArray { u"never-set"_s, 30 });
        QTRY_VERIFY_WITH_TIMEOUT(task(id).state == TaskState::Running && task(id).progress.percent,
                                 20000);
        QVERIFY(!m_engine->cancel(id));
        // Canceled because the worker said REVOKED (the engine's own grace period is 30 s).
        QTRY_COMPARE_WITH_TIMEOUT(task(id).state, TaskState::Canceled, 15000);
        QCOMPARE(task(id).error.value_or(TaskError {}).code, u"revoked"_s);
        QCOMPARE(celeryStatus(id), u"REVOKED"_s);
    }

    void cancelQueuedTask()
    {
        // Two blockers fill the worker's two processes; the third stays in the queue.
        const QByteArray key = "release-" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
        const QString a = submit(u"tasks.wait_for"_s, QJsonArray { QString::fromLatin1(key), 30 });
        const QString b = submit(u"tasks.wait_for"_s, QJsonArray { QString::fromLatin1(key), 30 });
        QTRY_COMPARE_WITH_TIMEOUT(task(a).state, TaskState::Running, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(task(b).state, TaskState::Running, 20000);
        const QString queued = submit(u"tasks.add"_s, QJsonArray { 1, 1 });
        // Pushed: still in the list, or already reserved by the busy worker (task-received).
        QTRY_VERIFY_WITH_TIMEOUT(redis({ "LLEN", "celery" }).integer == 1
                                     || task(queued).progress.message.startsWith(u"Received by"_s),
                                 10000);
        QCOMPARE(task(queued).state, TaskState::Queued);
        QVERIFY(!m_engine->cancel(queued));
        QCOMPARE(task(queued).state, TaskState::Canceled);
        redis({ "SET", key, "1" });
        QTRY_COMPARE_WITH_TIMEOUT(task(a).state, TaskState::Succeeded, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(task(b).state, TaskState::Succeeded, 20000);
        // The worker reaches the message, knows the revoke, and never runs it.
        QTRY_COMPARE_WITH_TIMEOUT(celeryStatus(queued), u"REVOKED"_s, 15000);
        QCOMPARE(task(queued).state, TaskState::Canceled);
    }

    void redisRestartMidTask()
    {
        const QByteArray key = "restart-" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
        const QString id = submit(u"tasks.wait_for"_s, QJsonArray { QString::fromLatin1(key), 40 });
        QTRY_VERIFY_WITH_TIMEOUT(task(id).state == TaskState::Running && task(id).progress.percent,
                                 20000);

        QSignalSpy link(m_driver.get(), &CeleryDriver::connectionChanged);
        m_cluster.stopRedis();
        QTRY_VERIFY_WITH_TIMEOUT(!m_driver->isConnected(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(task(id).progress.message, u"Waiting for broker…"_s, 5000);
        QCOMPARE(task(id).state, TaskState::Running);

        QString error;
        QVERIFY2(m_cluster.startRedis(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(m_driver->isConnected(), 15000);
        QVERIFY(link.size() >= 2);
        // The task goes on reporting to the new Redis, and Headway follows it to the end.
        QTRY_VERIFY_WITH_TIMEOUT(task(id).progress.message.startsWith(u"waiting for "_s), 20000);
        redis({ "SET", key, "1" });
        QTRY_COMPARE_WITH_TIMEOUT(task(id).state, TaskState::Succeeded, 30000);
        QCOMPARE(task(id).result.toString(), u"released"_s);
    }

    void brokerUnreachable()
    {
        // Nothing listens there: the task waits, nothing crashes or blocks, start() succeeds.
        TaskTypeRegistry registry;
        registerCeleryTaskType(registry);
        TaskEngine engine(registry);
        CeleryDriver driver(engine);
        QString error;
        QVERIFY(driver.start(QUrl(u"redis://127.0.0.1:1/0"_s), &error));
        TaskSpec spec;
        spec.type = u"celery"_s;
        spec.params
            = QJsonObject { { u"task"_s, u"tasks.add"_s }, { u"args"_s, QJsonArray { 1, 2 } } };
        const Result<TaskSnapshot> r = engine.submit(spec);
        QVERIFY(r.ok());
        QTRY_COMPARE_WITH_TIMEOUT(engine.task(r->id)->progress.message, u"Waiting for broker…"_s,
                                  5000);
        QCOMPARE(engine.task(r->id)->state, TaskState::Queued);
        QVERIFY(!driver.isConnected());
        QVERIFY(!engine.cancel(r->id));
        QCOMPARE(engine.task(r->id)->state, TaskState::Canceled);
    }

    void monitorAdoptsOtherClientsTasks()
    {
        QProcess python;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"PYTHONPATH"_s, m_cluster.tasksDir());
        env.insert(u"HEADWAY_BROKER_URL"_s, m_cluster.brokerUrl().toString());
        python.setProcessEnvironment(env);
        python.start(
            u"/usr/bin/python3"_s,
            { u"-c"_s, u"import tasks; print(tasks.progress.apply_async((4, 0.1)).id)"_s });
        QVERIFY(python.waitForFinished(30000));
        QCOMPARE(python.exitCode(), 0);
        const QString id = QString::fromLatin1(python.readAllStandardOutput().trimmed());
        QTRY_VERIFY_WITH_TIMEOUT(m_engine->task(id).has_value(), 10000);
        QVERIFY(task(id).title.startsWith(u"tasks.progress"_s));
        QCOMPARE(task(id).type, u"celery"_s);
        QTRY_COMPARE_WITH_TIMEOUT(task(id).state, TaskState::Succeeded, 20000);
        QCOMPARE(task(id).result.toObject().value(u"items"_s).toInt(), 4);
        QCOMPARE(task(id).progress.steps.size(), 3);
    }

    void workerStoppedIsOffline()
    {
        const QString host = m_cluster.workerHost(u"w1"_s);
        QVERIFY(worker(host) && worker(host)->online);
        QSignalSpy changed(m_driver.get(), &CeleryDriver::workersChanged);
        m_cluster.stopWorker();
        QTRY_VERIFY_WITH_TIMEOUT(worker(host) && !worker(host)->online, 15000);
        QVERIFY(changed.size() >= 1);
        const QJsonObject json = worker(host)->toJson();
        QCOMPARE(json.value(u"online"_s).toBool(), false);
        QCOMPARE(json.value(u"hostname"_s).toString(), host);
        QVERIFY(json.value(u"processed"_s).toInteger() >= 5);
    }
};

QTEST_GUILESS_MAIN(TestCeleryDriver)
#include "tst_celerydriver.moc"
