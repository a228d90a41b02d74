#include "app/core/enginecall.h"
#include "app/core/taskengine.h"
#include "app/core/tasktyperegistry.h"
#include "app/server/headwayserver.h"
#include "app/server/reporttasktype.h"
#include "app/server/serverthread.h"
#include "app/server/uploadtasktype.h"
#include "serverclient.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QWebSocket>

#include <functional>
#include <latch>
#include <thread>

using namespace Qt::StringLiterals;
using ServerClient::Answer;

namespace {

// The answer is all there: its head and Content-Length bytes of body.
bool isComplete(const QByteArray &data)
{
    const qsizetype headEnd = data.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return false;
    qsizetype length = 0;
    for (const QByteArray &line : data.left(headEnd).split('\n')) {
        if (line.toLower().startsWith("content-length:"))
            length = line.mid(15).trimmed().toLongLong();
    }
    return data.size() >= headEnd + 4 + length;
}

// One HTTP exchange on a new connection, blocking, for a thread without an event loop: the
// whole answer (head and Content-Length bytes of body). No time limit: a hang is the failure.
QByteArray blockingExchange(quint16 port, const QByteArray &request)
{
    QTcpSocket socket;
    socket.connectToHost(u"127.0.0.1"_s, port);
    if (!socket.waitForConnected(-1))
        return {};
    socket.write(request);
    socket.waitForBytesWritten(-1);
    QByteArray data;
    while (!isComplete(data)) {
        if (socket.state() != QAbstractSocket::ConnectedState && socket.bytesAvailable() == 0)
            return data;
        if (socket.bytesAvailable() == 0 && !socket.waitForReadyRead(-1))
            return data;
        data += socket.readAll();
    }
    return data;
}

QJsonObject bodyOf(const QByteArray &response)
{
    return QJsonDocument::fromJson(response.mid(response.indexOf("\r\n\r\n") + 4)).object();
}

} // namespace

// The server on its own thread (ServerThread, issue 18 item 1) with the engine on this test's
// main thread: the API, push and uploads work across the two; cached polls are answered while
// the main thread is blocked; a command's next poll reads the engine (never a stale cached
// answer); a request waiting for the engine at shutdown gets 503 and the stop completes.
class tst_ServerThread : public QObject
{
    Q_OBJECT

private:
    QUrl url(const QString &path) const
    {
        return QUrl(u"http://127.0.0.1:"_s + QString::number(m_server->port()) + path);
    }
    Answer call(const QByteArray &method, const QString &path, const QByteArray &body = {},
                const QList<std::pair<QByteArray, QByteArray>> &headers = {})
    {
        QNetworkRequest request(url(path));
        request.setRawHeader("Authorization", "Bearer " + m_server->token().toLatin1());
        if (!body.isEmpty() && method == "POST")
            request.setRawHeader("Content-Type", "application/json");
        for (const auto &[k, v] : headers)
            request.setRawHeader(k, v);
        return ServerClient::finish(m_nam->sendCustomRequest(request, method, body), 20000);
    }
    QString submitDemo(int steps, int delayMs)
    {
        const QJsonObject spec {
            { u"type"_s, u"demo"_s },
            { u"params"_s, QJsonObject { { u"steps"_s, steps }, { u"delay_ms"_s, delayMs } } }
        };
        const Answer a = call("POST", u"/api/v1/tasks"_s, QJsonDocument(spec).toJson());
        return a.status == 201 ? a.json.value(u"id"_s).toString() : QString();
    }
    QString stateOf(const QString &id)
    {
        return call("GET", u"/api/v1/tasks/"_s + id).json.value(u"state"_s).toString();
    }
    QByteArray rawGet(const QString &path) const
    {
        return "GET " + path.toLatin1()
            + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_server->port())
            + "\r\nAuthorization: Bearer " + m_server->token().toLatin1() + "\r\n\r\n";
    }
    QByteArray rawPost(const QString &path, const QByteArray &body) const
    {
        return "POST " + path.toLatin1()
            + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_server->port())
            + "\r\nAuthorization: Bearer " + m_server->token().toLatin1()
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    }
    qint64 cachedAnswers()
    {
        qint64 count = 0;
        m_server->withServer([&count](HeadwayServer &s) { count = s.cachedAnswerCount(); });
        return count;
    }
    // Runs `client` on a thread of its own while this (the engine's) thread serves only the
    // engine's calls (EngineCall::runOn), never its event loop: no queued engine event reaches
    // the server's hub meanwhile.
    void servingOnlyEngineCalls(const std::function<void()> &client)
    {
        QThread helper;
        QObject context;
        context.moveToThread(&helper);
        helper.start();
        std::latch done(1);
        std::thread clientThread([&] {
            client();
            done.count_down();
        });
        m_server->engineCall().runOn(&context, [&done] { done.wait(); });
        clientThread.join();
        helper.quit();
        helper.wait();
    }
    // Polls the task on this thread (events run) until a poll is answered from the cache.
    bool primeCache(const QString &id)
    {
        const qint64 before = cachedAnswers();
        return QTest::qWaitFor(
            [&] {
                const QByteArray answer = ServerClient::exchange(
                    m_server->port(), rawGet(u"/api/v1/tasks/"_s + id), 5000, isComplete);
                return answer.startsWith("HTTP/1.1 200") && cachedAnswers() > before;
            },
            10000);
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_registry = std::make_unique<TaskTypeRegistry>();
        registerBuiltinTaskTypes(*m_registry);
        registerUploadTaskType(*m_registry);
        registerReportTaskType(*m_registry);
        EngineOptions options;
        options.concurrency = 2;
        options.dataDir = m_dir->path();
        m_engine = std::make_unique<TaskEngine>(*m_registry, options);
        ServerOptions serverOptions;
        serverOptions.port = 0;
        serverOptions.dataDir = m_dir->path();
        m_server = std::make_unique<ServerThread>(*m_engine, serverOptions);
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        m_nam = std::make_unique<QNetworkAccessManager>();
    }
    void cleanup()
    {
        m_nam.reset();
        m_server.reset();
        m_engine.reset();
        m_registry.reset();
        m_dir.reset();
    }

    void runsOnItsOwnThread()
    {
        QVERIFY(m_server->isRunning());
        QVERIFY(m_server->port() > 0);
        QVERIFY(!m_server->token().isEmpty());
        QThread *serverThread = m_server->serverObject()->thread();
        QVERIFY(serverThread != QThread::currentThread());
        QCOMPARE(serverThread->objectName(), u"headway-server"_s);
        QCOMPARE(m_engine->thread(), QThread::currentThread());
        QCOMPARE(call("GET", u"/api/v1/health"_s).status, 200);
    }

    void restCommands()
    {
        const QString id = submitDemo(2000, 20);
        QVERIFY(!id.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), u"running"_s, 10000);
        const Answer paused = call("POST", u"/api/v1/tasks/"_s + id + u"/pause"_s);
        QVERIFY2(paused.status == 200, paused.body.constData());
        QCOMPARE(stateOf(id), u"paused"_s); // its own write, at once
        QCOMPARE(call("POST", u"/api/v1/tasks/"_s + id + u"/resume"_s).status, 200);
        QVERIFY(stateOf(id) != u"paused"_s);
        QCOMPARE(call("POST", u"/api/v1/tasks/"_s + id + u"/cancel"_s).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), u"canceled"_s, 10000);
        const Answer list = call("GET", u"/api/v1/tasks"_s);
        QCOMPARE(list.status, 200);
        QVERIFY(QJsonDocument::fromJson(list.body).toJson().contains(id.toLatin1()));
        // Errors still come as JSON.
        const Answer missing = call("GET", u"/api/v1/tasks/nope"_s);
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.code(), u"not_found"_s);
    }

    void webSocketPush()
    {
        QWebSocket ws;
        QList<QJsonObject> messages;
        ServerClient::openPushSocket(ws, m_server->port(), m_server->token(), messages);
        QTRY_VERIFY_WITH_TIMEOUT(!messages.isEmpty(), 10000);
        QCOMPARE(messages.first().value(u"type"_s).toString(), u"snapshot"_s);
        // A command over the socket runs on the engine's thread; the updates follow.
        ws.sendTextMessage(u"{\"id\": 3, \"command\": \"start\", \"type\": \"demo\", "
                           "\"params\": {\"steps\": 3, \"delay_ms\": 10}}"_s);
        QString id;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const QJsonObject &m : std::as_const(messages)) {
                    if (m.value(u"type"_s).toString() == u"reply" && m.value(u"ok"_s).toBool())
                        id = m.value(u"task"_s).toObject().value(u"id"_s).toString();
                }
                return !id.isEmpty();
            }(),
            10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const QJsonObject &m : std::as_const(messages)) {
                    for (const QJsonValue &t : m.value(u"tasks"_s).toArray()) {
                        if (t.toObject().value(u"id"_s).toString() == id
                            && t.toObject().value(u"state"_s).toString() == u"succeeded")
                            return true;
                    }
                }
                return false;
            }(),
            10000);
        ws.close();
    }

    void tusUpload()
    {
        QByteArray data(300 * 1024, 'x');
        for (qsizetype i = 0; i < data.size(); ++i)
            data[i] = char('a' + i % 26);
        const Answer created
            = call("POST", u"/api/v1/uploads"_s, {},
                   { { "Tus-Resumable", "1.0.0" },
                     { "Upload-Length", QByteArray::number(data.size()) },
                     { "Upload-Metadata", "filename " + QByteArray("up.txt").toBase64() } });
        QCOMPARE(created.status, 201);
        const QString location = QString::fromLatin1(created.header("Location"));
        QVERIFY(location.startsWith(u"/api/v1/uploads/"_s));
        const Answer done = call("PATCH", location, data,
                                 { { "Tus-Resumable", "1.0.0" },
                                   { "Upload-Offset", "0" },
                                   { "Content-Type", "application/offset+octet-stream" } });
        QCOMPARE(done.status, 204);
        QCOMPARE(done.header("Upload-Offset").toLongLong(), data.size());
        // The task succeeded before the last 204 (the engine published it, blocking), and the
        // file is in the uploads folder.
        QString taskId;
        for (const TaskSnapshot &task : m_engine->tasks()) {
            if (task.type == u"upload")
                taskId = task.id;
        }
        QVERIFY(!taskId.isEmpty());
        QCOMPARE(m_engine->task(taskId)->state, TaskState::Succeeded);
        QCOMPARE(stateOf(taskId), u"succeeded"_s);
        QFile file(QDir(m_dir->path()).filePath(u"uploads/up.txt"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), data);
    }

    // A reported task: its driver (ReportApi) lives on the engine's thread, its report token
    // is checked there, and its lease timer runs there.
    void reportedTask()
    {
        const QJsonObject spec { { u"type"_s, u"external"_s }, { u"title"_s, u"Backup"_s } };
        const Answer created = call("POST", u"/api/v1/tasks"_s, QJsonDocument(spec).toJson());
        QCOMPARE(created.status, 201);
        const QString id = created.json.value(u"id"_s).toString();
        const QByteArray token = created.json.value(u"report_token"_s).toString().toLatin1();
        QVERIFY(!token.isEmpty());
        const QList<std::pair<QByteArray, QByteArray>> reporter { { "Authorization",
                                                                    "Bearer " + token } };
        Answer a
            = call("POST", u"/api/v1/tasks/"_s + id + u"/report"_s, R"({"percent": 40})", reporter);
        QCOMPARE(a.status, 204); // taken
        QCOMPARE(m_engine->task(id)->progress.percent, 40.0);
        a = call("POST", u"/api/v1/tasks/"_s + id + u"/finish"_s, R"({"state": "succeeded"})",
                 reporter);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json.value(u"state"_s).toString(), u"succeeded"_s);
        QCOMPARE(stateOf(id), u"succeeded"_s);
        // The report token opens nothing else.
        QNetworkRequest request(url(u"/api/v1/tasks"_s));
        request.setRawHeader("Authorization", "Bearer " + token);
        QCOMPARE(ServerClient::finish(m_nam->get(request), 20000).status, 401);
    }

    // The proof the server does not need the main thread for the hot path: the main thread
    // blocks (no event loop, no engine calls served) until another thread got its answer.
    void answersWhileTheMainThreadIsBlocked()
    {
        const QString id = submitDemo(1, 0);
        QVERIFY(!id.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), u"succeeded"_s, 10000);
        QVERIFY(primeCache(id));
        const qint64 before = cachedAnswers();

        QByteArray answer;
        std::latch answered(1);
        std::thread client([&] {
            answer = blockingExchange(m_server->port(), rawGet(u"/api/v1/tasks/"_s + id));
            answered.count_down();
        });
        answered.wait(); // a server needing this thread would never answer
        client.join();
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
        QCOMPARE(bodyOf(answer).value(u"id"_s).toString(), id);
        QCOMPARE(bodyOf(answer).value(u"state"_s).toString(), u"succeeded"_s);
        QCOMPARE(cachedAnswers(), before + 1);
    }

    // Read-your-writes with the cache checked against the server's mirror: the engine's
    // events cannot reach the hub here (this thread serves the engine's calls inside runOn(),
    // never its event loop), so a cached "paused" would stay valid; the command drops it and
    // the next poll reads the engine.
    void pollAfterACommandReadsTheEngine()
    {
        const QString id = submitDemo(2000, 20);
        QVERIFY(!id.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), u"running"_s, 10000);
        QCOMPARE(call("POST", u"/api/v1/tasks/"_s + id + u"/pause"_s).status, 200);
        QVERIFY(primeCache(id)); // "paused", from the cache
        const qint64 before = cachedAnswers();

        QByteArray resumed;
        QByteArray polled;
        servingOnlyEngineCalls([&] {
            resumed = blockingExchange(m_server->port(),
                                       rawPost(u"/api/v1/tasks/"_s + id + u"/resume"_s, {}));
            polled = blockingExchange(m_server->port(), rawGet(u"/api/v1/tasks/"_s + id));
        });
        QVERIFY2(resumed.startsWith("HTTP/1.1 200"), resumed.constData());
        QVERIFY2(polled.startsWith("HTTP/1.1 200"), polled.constData());
        QVERIFY(bodyOf(polled).value(u"state"_s).toString() != u"paused"_s);
        QCOMPARE(bodyOf(polled).value(u"state"_s).toString(),
                 taskStateName(m_engine->task(id)->state));
        QCOMPARE(cachedAnswers(), before); // the poll went the normal way
    }

    // Read-your-writes in the change feeds: a client that submits and then asks for a full
    // update finds its task there, though the engine's queued events cannot reach the hub
    // meanwhile (this thread serves only the engine's calls, inside runOn()): the submit's
    // call publishes its transitions and the hub takes them before the answer goes. Without
    // that, `headway submit --wait` read the new task as removed (exit 3) in CI.
    void syncAfterASubmitHasTheTask()
    {
        const QByteArray spec = R"({"type": "demo", "params": {"steps": 1, "delay_ms": 0}})";
        QByteArray submitted;
        QByteArray synced;
        servingOnlyEngineCalls([&] {
            submitted = blockingExchange(m_server->port(), rawPost(u"/api/v1/tasks"_s, spec));
            synced = blockingExchange(m_server->port(), rawGet(u"/api/v1/sync?rid=0"_s));
        });
        QVERIFY2(submitted.startsWith("HTTP/1.1 201"), submitted.constData());
        QVERIFY2(synced.startsWith("HTTP/1.1 200"), synced.constData());
        const QString id = bodyOf(submitted).value(u"id"_s).toString();
        QVERIFY(!id.isEmpty());
        QVERIFY(bodyOf(synced).value(u"full_update"_s).toBool());
        QStringList ids;
        for (const QJsonValue &task : bodyOf(synced).value(u"tasks"_s).toArray())
            ids.append(task.toObject().value(u"id"_s).toString());
        QVERIFY2(ids.contains(id), qPrintable(ids.join(u' ')));
    }

    // Item 3: a request waiting for the engine when the server stops gets 503 shutting_down
    // at once, and the stop completes (the main thread never serves that call).
    void stopReleasesAWaitingRequest()
    {
        const QByteArray spec = R"({"type": "demo", "params": {"steps": 1}})";
        QByteArray answer;
        std::thread client([&] {
            answer = blockingExchange(m_server->port(), rawPost(u"/api/v1/tasks"_s, spec));
        });
        // No event loop here: the submit waits in the queue until the stop releases it.
        while (m_server->engineCall().queuedCount() < 1)
            std::this_thread::yield();
        const int before = m_engine->taskCount();
        m_server->stop();
        client.join();
        QVERIFY(!m_server->isRunning());
        QVERIFY2(answer.startsWith("HTTP/1.1 503"), answer.constData());
        QCOMPARE(bodyOf(answer).value(u"error"_s).toObject().value(u"code"_s).toString(),
                 u"shutting_down"_s);
        QCOMPARE(m_engine->taskCount(), before); // never submitted
        // The engine no longer feeds a hub that is gone.
        QVERIFY(!submitDemoDirect().isEmpty());
    }

private:
    QString submitDemoDirect()
    {
        TaskSpec spec;
        spec.type = u"demo"_s;
        spec.params = QJsonObject { { u"steps"_s, 1 } };
        const Result<TaskSnapshot> task = m_engine->submit(spec);
        return task ? task->id : QString();
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TaskTypeRegistry> m_registry;
    std::unique_ptr<TaskEngine> m_engine;
    std::unique_ptr<ServerThread> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

QTEST_MAIN(tst_ServerThread)
#include "tst_serverthread.moc"
