// Tests of HeadwayServer: every route and error, sync, WebSocket, SSE, the seed-compatible
// endpoints and each security rule, against a real engine on an ephemeral loopback port.
#include "app/core/statictasksource.h"
#include "app/core/taskengine.h"
#include "app/core/tasktyperegistry.h"
#include "app/server/headwayserver.h"
#include "app/server/router.h"
#include "tests/server/serverclient.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkCookieJar>
#include <QNetworkReply>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <memory>

using namespace Qt::StringLiterals;

using ServerClient::Answer;

class tst_HeadwayServer : public QObject
{
    Q_OBJECT

private:
    QByteArray origin() const { return "http://127.0.0.1:" + QByteArray::number(m_server->port()); }
    QUrl url(const QString &path) const { return QUrl(QString::fromLatin1(origin()) + path); }
    Answer call(const QByteArray &method, const QString &path, const QByteArray &body = {},
                QList<std::pair<QByteArray, QByteArray>> headers = {}, bool auth = true,
                QNetworkAccessManager *nam = nullptr)
    {
        QNetworkRequest request(url(path));
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                             QNetworkRequest::ManualRedirectPolicy);
        if (auth)
            request.setRawHeader("Authorization", "Bearer " + m_server->token().toLatin1());
        bool hasType = false;
        for (const auto &[k, v] : headers) {
            request.setRawHeader(k, v);
            hasType |= k.compare("Content-Type", Qt::CaseInsensitive) == 0;
        }
        if (!body.isEmpty() && !hasType)
            request.setRawHeader("Content-Type", "application/json");
        return ServerClient::finish(
            (nam ? nam : m_nam.get())->sendCustomRequest(request, method, body), 10000);
    }
    QJsonObject createDemo(int steps = 3, int delayMs = 20)
    {
        const Answer a
            = call("POST", u"/api/v1/tasks"_s,
                   QJsonDocument(QJsonObject { { u"type"_s, u"demo"_s },
                                               { u"params"_s,
                                                 QJsonObject { { u"steps"_s, steps },
                                                               { u"delay_ms"_s, delayMs } } } })
                       .toJson());
        if (a.status != 201)
            qWarning() << a.status << a.body;
        return a.json;
    }
    QString stateOf(const QString &id)
    {
        return call("GET", u"/api/v1/tasks/"_s + id).json.value(u"state"_s).toString();
    }
    // A raw request (for what QNetworkAccessManager will not send); returns what came back
    // until the connection closed or timeoutMs passed.
    QByteArray raw(const QByteArray &request, int timeoutMs = 3000)
    {
        return ServerClient::exchange(m_server->port(), request, timeoutMs);
    }

    // Connects `socket` and sends a WebSocket upgrade with the token (bytes we control).
    bool startRawWebSocket(QTcpSocket &socket, const QByteArray &extraHeaders = {})
    {
        socket.connectToHost(QHostAddress::LocalHost, m_server->port());
        if (!socket.waitForConnected(5000))
            return false;
        socket.write(
            "GET /api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_server->port())
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + extraHeaders + "Authorization: Bearer " + m_server->token().toLatin1() + "\r\n\r\n");
        return true;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TaskTypeRegistry> m_registry;
    std::unique_ptr<TaskEngine> m_engine;
    std::unique_ptr<HeadwayServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_registry = std::make_unique<TaskTypeRegistry>();
        registerBuiltinTaskTypes(*m_registry);
        EngineOptions options;
        options.concurrency = 2;
        options.dataDir = m_dir->path();
        m_engine = std::make_unique<TaskEngine>(*m_registry, options);
        ServerOptions serverOptions;
        serverOptions.port = 0;
        serverOptions.dataDir = m_dir->path();
        m_server = std::make_unique<HeadwayServer>(*m_engine, serverOptions);
        m_server->setDemoTask(3, 20);
        QString error;
        QVERIFY2(m_server->listen(&error), qPrintable(error));
        QVERIFY(m_server->port() != 0);
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

    // The change feeds show what ServerOptions::feed holds (headway screenshot's scenario
    // tasks), the engine holding none of them.
    void feedsShowTheGivenSource()
    {
        TaskSnapshot t;
        t.id = u"shown-1"_s;
        t.type = u"demo"_s;
        t.title = u"Shown only"_s;
        t.state = TaskState::Running;
        t.created = QDateTime::currentDateTimeUtc();
        StaticTaskSource shown({ t }, *m_registry);
        m_server.reset();
        ServerOptions options;
        options.port = 0;
        options.dataDir = m_dir->path();
        options.feed = &shown;
        m_server = std::make_unique<HeadwayServer>(*m_engine, options);
        const auto gone = qScopeGuard([this] { m_server.reset(); }); // before `shown`
        QString error;
        QVERIFY2(m_server->listen(&error), qPrintable(error));
        const auto listed = [this] {
            QStringList ids;
            for (const QJsonValue &v :
                 call("GET", u"/api/v1/sync?rid=0"_s).json.value(u"tasks"_s).toArray())
                ids.append(v.toObject().value(u"id"_s).toString());
            return ids;
        };
        QTRY_COMPARE(listed(), QStringList { u"shown-1"_s });
        const QJsonObject task = call("GET", u"/api/v1/sync?rid=0"_s)
                                     .json.value(u"tasks"_s)
                                     .toArray()
                                     .first()
                                     .toObject();
        QCOMPARE(task.value(u"state"_s).toString(), u"running"_s);
        QCOMPARE(task.value(u"title"_s).toString(), u"Shown only"_s);
        QCOMPARE(m_engine->taskCount(), 0);
    }

    void listenAndUrls()
    {
        QCOMPARE(m_server->pageUrl(false).toString(),
                 u"http://127.0.0.1:%1/"_s.arg(m_server->port()));
        QCOMPARE(m_server->pageUrl().query(), u"token="_s + m_server->token());
        QVERIFY(m_server->token().size() >= 22);
        // The token file is in the data dir and the same server config reuses it.
        QVERIFY(QFile::exists(m_dir->filePath(u"token"_s)));
        // A busy port is a readable error.
        ServerOptions busy;
        busy.port = m_server->port();
        busy.address = QHostAddress(QHostAddress::LocalHost);
        HeadwayServer second(*m_engine, busy);
        QString error;
        QVERIFY(!second.listen(&error));
        QVERIFY(error.contains(QString::number(m_server->port())));
    }

    void ipv6Loopback()
    {
        ServerOptions options;
        options.address = QHostAddress(QHostAddress::LocalHostIPv6);
        options.port = 0;
        HeadwayServer v6(*m_engine, options);
        QString error;
        if (!v6.listen(&error))
            QSKIP("no IPv6 loopback here");
        QCOMPARE(v6.pageUrl(false).host(), u"::1"_s);
        QNetworkRequest request(QUrl(u"http://[::1]:%1/api/v1/tasks"_s.arg(v6.port())));
        request.setRawHeader("Authorization", "Bearer " + v6.token().toLatin1());
        QNetworkReply *reply = m_nam->get(request);
        QTRY_VERIFY(reply->isFinished());
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        delete reply;
    }

    void health()
    {
        const Answer a = call("GET", u"/api/v1/health"_s, {}, {}, false);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json.value(u"status"_s).toString(), u"ok"_s);
    }

    void taskTypes()
    {
        const Answer a = call("GET", u"/api/v1/task-types"_s);
        QCOMPARE(a.status, 200);
        const QJsonArray types = a.json.value(u"task_types"_s).toArray();
        bool demo = false;
        for (const QJsonValue &t : types)
            demo |= t.toObject().value(u"name"_s).toString() == u"demo";
        QVERIFY(demo);
    }

    void createGetListAndDelete()
    {
        const QJsonObject task = createDemo();
        const QString id = task.value(u"id"_s).toString();
        QVERIFY(!id.isEmpty());
        QCOMPARE(task.value(u"type"_s).toString(), u"demo"_s);
        QVERIFY(task.contains(u"progress"_s));

        Answer a = call("GET", u"/api/v1/tasks/"_s + id);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json.value(u"id"_s).toString(), id);

        // A task that is not finished cannot be removed.
        const QString longId = createDemo(100, 50).value(u"id"_s).toString();
        a = call("DELETE", u"/api/v1/tasks/"_s + longId);
        QCOMPARE(a.status, 409);
        QCOMPARE(a.json.value(u"error"_s).toObject().value(u"code"_s).toString(),
                 u"not_finished"_s);
        QCOMPARE(call("POST", u"/api/v1/tasks/"_s + longId + u"/cancel"_s).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(longId), u"canceled"_s, 10000);
        QCOMPARE(call("DELETE", u"/api/v1/tasks/"_s + longId).status, 204);

        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), u"succeeded"_s, 10000);
        createDemo(1, 0);
        createDemo(1, 0);
        a = call("GET", u"/api/v1/tasks?limit=1&offset=1"_s);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json.value(u"total"_s).toInt(), 3);
        QCOMPARE(a.json.value(u"tasks"_s).toArray().size(), 1);
        QCOMPARE(a.json.value(u"limit"_s).toInt(), 1);
        QCOMPARE(a.json.value(u"offset"_s).toInt(), 1);

        a = call("GET", u"/api/v1/tasks?state=succeeded&type=demo"_s);
        QCOMPARE(a.status, 200);
        QVERIFY(a.json.value(u"total"_s).toInt() >= 1);
        for (const QJsonValue &t : a.json.value(u"tasks"_s).toArray())
            QCOMPARE(t.toObject().value(u"state"_s).toString(), u"succeeded"_s);
        a = call("GET", u"/api/v1/tasks?type=checksum"_s);
        QCOMPARE(a.json.value(u"total"_s).toInt(), 0);

        a = call("GET", u"/api/v1/tasks?state=bogus&limit=x"_s);
        QCOMPARE(a.status, 400);
        QCOMPARE(a.json.value(u"error"_s).toObject().value(u"fields"_s).toArray().size(), 2);

        a = call("DELETE", u"/api/v1/tasks/"_s + id);
        QCOMPARE(a.status, 204);
        a = call("GET", u"/api/v1/tasks/"_s + id);
        QCOMPARE(a.status, 404);
        QCOMPARE(a.json.value(u"error"_s).toObject().value(u"code"_s).toString(), u"not_found"_s);

        QTRY_COMPARE_WITH_TIMEOUT(m_engine->activeCount(), 0, 10000);
        a = call("DELETE", u"/api/v1/tasks"_s);
        QCOMPARE(a.status, 400);
        a = call("DELETE", u"/api/v1/tasks?state=finished"_s);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json.value(u"removed"_s).toInt(), 2);
    }

    void createErrors_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QStringList>("fields");
        QTest::newRow("not json type") << QByteArray("text/plain") << QByteArray("{}") << 415
                                       << u"unsupported_media_type"_s << QStringList();
        QTest::newRow("malformed") << QByteArray("application/json") << QByteArray("{\"type\":")
                                   << 400 << u"bad_json"_s << QStringList();
        QTest::newRow("array") << QByteArray("application/json") << QByteArray("[1]") << 400
                               << u"bad_json"_s << QStringList();
        QTest::newRow("no type") << QByteArray("application/json") << QByteArray("{}") << 400
                                 << u"invalid_request"_s << QStringList { u"type"_s };
        QTest::newRow("bad fields")
            << QByteArray("application/json")
            << QByteArray(R"({"type":"demo","params":3,"priority":"high","color":1})") << 400
            << u"invalid_request"_s << QStringList { u"color"_s, u"params"_s, u"priority"_s };
        QTest::newRow("unknown type")
            << QByteArray("application/json") << QByteArray(R"({"type":"nope"})") << 400
            << u"unknown_type"_s << QStringList { u"type"_s };
        QTest::newRow("bad params")
            << QByteArray("application/json")
            << QByteArray(R"({"type":"demo","params":{"steps":"many"}})") << 400
            << u"invalid_params"_s << QStringList { u"params.steps"_s };
    }
    void createErrors()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QStringList, fields);
        const Answer a
            = call("POST", u"/api/v1/tasks"_s, body, { { "Content-Type", contentType } });
        QCOMPARE(a.status, status);
        const QJsonObject error = a.json.value(u"error"_s).toObject();
        QCOMPARE(error.value(u"code"_s).toString(), code);
        QVERIFY(!error.value(u"message"_s).toString().isEmpty());
        QStringList got;
        for (const QJsonValue &f : error.value(u"fields"_s).toArray())
            got.append(f.toObject().value(u"field"_s).toString());
        got.sort();
        for (const QString &f : fields)
            QVERIFY2(got.contains(f), qPrintable(got.join(u',')));
        QCOMPARE(m_engine->taskCount(), 0);
    }

    // POST /api/v1/task-checks judges a request without starting anything: every error and
    // every path the task would read that is not there, each with its field path.
    void taskChecks_data()
    {
        QTest::addColumn<QByteArray>("body"); // "@" stands for the data dir (it exists)
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QStringList>("errors");
        QTest::addColumn<QStringList>("warnings");
        QTest::newRow("fine") << QByteArray(R"({"type":"demo","params":{"steps":2}})") << true
                              << QStringList() << QStringList();
        QTest::newRow("folder for a file")
            << QByteArray(R"({"type":"checksum","params":{"path":"@"}})") << true << QStringList()
            << QStringList { u"params.path"_s };
        QTest::newRow("all errors at once")
            << QByteArray(R"({"type":"command","params":{"arguments":["-la", 3]},"priority":"x"})")
            << false << QStringList { u"params.arguments[1]"_s, u"params.program"_s, u"priority"_s }
            << QStringList();
        QTest::newRow("errors and warnings together")
            << QByteArray(R"({"type":"copy","params":{"source":"@/nope","overwrite":"x"}})")
            << false << QStringList { u"params.destination"_s, u"params.overwrite"_s }
            << QStringList { u"params.source"_s };
        QTest::newRow("missing source")
            << QByteArray(R"({"type":"copy","params":{"source":"@/nope","destination":"@/b"}})")
            << true << QStringList() << QStringList { u"params.source"_s };
        QTest::newRow("step path")
            << QByteArray(R"({"type":"pipeline","params":{"steps":[{"type":"demo"},
                              {"type":"copy","params":{"destination":"@/x"}}]}})")
            << false << QStringList { u"params.steps[1].params.source"_s } << QStringList();
        QTest::newRow("step warning")
            << QByteArray(R"({"type":"pipeline","params":{"steps":[{"type":"demo"},
                              {"type":"checksum","params":{"path":"@/gone"}}]}})")
            << true << QStringList() << QStringList { u"params.steps[1].params.path"_s };
        QTest::newRow("unknown type") << QByteArray(R"({"type":"nope"})") << false
                                      << QStringList { u"type"_s } << QStringList();
    }
    void taskChecks()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, valid);
        QFETCH(QStringList, errors);
        QFETCH(QStringList, warnings);
        body.replace('@', m_dir->path().toUtf8());
        const Answer a = call("POST", u"/api/v1/task-checks"_s, body,
                              { { "Content-Type", "application/json" } });
        QCOMPARE(a.status, 200);
        const auto fields = [&a](const QString &key) {
            QStringList names;
            for (const QJsonValue &f : a.json.value(key).toArray()) {
                names.append(f.toObject().value(u"field"_s).toString());
                if (f.toObject().value(u"message"_s).toString().isEmpty())
                    names.append(u"(no message)"_s);
            }
            names.sort();
            return names;
        };
        QCOMPARE(a.json.value(u"valid"_s).toBool(), valid);
        QCOMPARE(fields(u"errors"_s), errors);
        QCOMPARE(fields(u"warnings"_s), warnings);
        QCOMPARE(m_engine->taskCount(), 0); // nothing started
    }
    void taskChecksRefusesBadBodies()
    {
        QCOMPARE(call("POST", u"/api/v1/task-checks"_s,
                      "{\"type\":", { { "Content-Type", "application/json" } })
                     .status,
                 400);
        QCOMPARE(call("POST", u"/api/v1/task-checks"_s, "{}", { { "Content-Type", "text/plain" } })
                     .status,
                 415);
    }

    void actionsAndConflicts()
    {
        const QString id = createDemo(50, 50).value(u"id"_s).toString();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), u"running"_s, 5000);
        Answer a = call("POST", u"/api/v1/tasks/"_s + id + u"/resume"_s);
        QCOMPARE(a.status, 409);
        QCOMPARE(a.json.value(u"error"_s).toObject().value(u"code"_s).toString(),
                 u"invalid_transition"_s);
        a = call("POST", u"/api/v1/tasks/"_s + id + u"/pause"_s);
        QCOMPARE(a.status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), u"paused"_s, 5000);
        a = call("POST", u"/api/v1/tasks/"_s + id + u"/resume"_s);
        QCOMPARE(a.status, 200);
        a = call("POST", u"/api/v1/tasks/"_s + id + u"/cancel"_s);
        QCOMPARE(a.status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), u"canceled"_s, 5000);
        a = call("POST", u"/api/v1/tasks/"_s + id + u"/cancel"_s);
        QCOMPARE(a.status, 409);
        a = call("POST", u"/api/v1/tasks/"_s + id + u"/retry"_s);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json.value(u"attempt"_s).toInt(), 2);
        call("POST", u"/api/v1/tasks/"_s + id + u"/cancel"_s);
        a = call("POST", u"/api/v1/tasks/nope/cancel"_s);
        QCOMPARE(a.status, 404);
    }

    // GET /api/v1/tasks/ID/output: a command's lines in the order printed, each with its stream.
    void commandOutput()
    {
        const QByteArray body
            = QJsonDocument(
                  QJsonObject {
                      { u"type"_s, u"command"_s },
                      { u"params"_s,
                        QJsonObject {
                            { u"program"_s, u"/bin/sh"_s },
                            { u"arguments"_s,
                              QJsonArray { u"-c"_s,
                                           u"echo one; echo two >&2; echo three"_s } } } } })
                  .toJson();
        const Answer created = call("POST", u"/api/v1/tasks"_s, body);
        QCOMPARE(created.status, 201);
        const QString id = created.json.value(u"id"_s).toString();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), u"succeeded"_s, 10000);
        const Answer task = call("GET", u"/api/v1/tasks/"_s + id);
        QCOMPARE(task.json.value(u"output"_s).toString(), u"one\ntwo\nthree\n"_s);
        QCOMPARE(QJsonDocument(task.json.value(u"output_stderr"_s).toArray())
                     .toJson(QJsonDocument::Compact),
                 QByteArray("[[4,4]]"));
        const Answer a = call("GET", u"/api/v1/tasks/"_s + id + u"/output"_s);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json.value(u"state"_s).toString(), u"succeeded"_s);
        QCOMPARE(QJsonDocument(a.json.value(u"lines"_s).toArray()).toJson(QJsonDocument::Compact),
                 QByteArray(R"([{"stream":"stdout","text":"one"},{"stream":"stderr","text":"two"},)"
                            R"({"stream":"stdout","text":"three"}])"));
        const Answer demo = call(
            "GET", u"/api/v1/tasks/"_s + createDemo(1, 0).value(u"id"_s).toString() + u"/output"_s);
        QCOMPARE(demo.status, 200);
        QCOMPARE(demo.json.value(u"lines"_s).toArray().size(), 0);
        const Answer missing = call("GET", u"/api/v1/tasks/nope/output"_s);
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.json.value(u"error"_s).toObject().value(u"code"_s).toString(),
                 u"not_found"_s);
    }

    void notFoundAndMethodNotAllowed()
    {
        Answer a = call("PUT", u"/api/v1/tasks"_s, "{}");
        QCOMPARE(a.status, 405);
        QVERIFY(a.header("Allow").contains("POST"));
        QCOMPARE(a.json.value(u"error"_s).toObject().value(u"code"_s).toString(),
                 u"method_not_allowed"_s);
        a = call("GET", u"/api/v1/nothing"_s);
        QCOMPARE(a.status, 404);
        QCOMPARE(a.json.value(u"error"_s).toObject().value(u"code"_s).toString(), u"not_found"_s);
        a = call("GET", u"/api/v1/ws"_s);
        QCOMPARE(a.status, 426);
        a = call("GET", u"/api/v1/workers"_s);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json.value(u"workers"_s).toArray().size(), 0);
        m_server->setWorkersProvider([] {
            return QJsonArray { QJsonObject { { u"name"_s, u"w1"_s } } };
        });
        a = call("GET", u"/api/v1/workers"_s);
        QCOMPARE(a.json.value(u"workers"_s).toArray().size(), 1);
    }

    void syncDiffs()
    {
        Answer a = call("GET", u"/api/v1/sync"_s);
        QCOMPARE(a.status, 200);
        QVERIFY(a.json.value(u"full_update"_s).toBool());
        const qint64 rid0 = qint64(a.json.value(u"rid"_s).toDouble());
        const QString id = createDemo(1, 0).value(u"id"_s).toString();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), u"succeeded"_s, 5000);
        // The hub hears of the end a moment later than the engine.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const Answer s = call("GET", u"/api/v1/sync?rid="_s + QString::number(rid0));
                const QJsonArray tasks = s.json.value(u"tasks"_s).toArray();
                return !s.json.value(u"full_update"_s).toBool() && tasks.size() == 1
                    && tasks.at(0).toObject().value(u"state"_s).toString() == u"succeeded";
            }(),
            5000);
        a = call("GET", u"/api/v1/sync?rid="_s + QString::number(rid0));
        const qint64 rid1 = qint64(a.json.value(u"rid"_s).toDouble());
        QVERIFY(rid1 > rid0);
        // Nothing changed since rid1.
        a = call("GET", u"/api/v1/sync?rid="_s + QString::number(rid1));
        QVERIFY(!a.json.value(u"full_update"_s).toBool());
        QCOMPARE(a.json.value(u"tasks"_s).toArray().size(), 0);
        // A removal shows up as removed.
        QCOMPARE(call("DELETE", u"/api/v1/tasks/"_s + id).status, 204);
        QTRY_VERIFY_WITH_TIMEOUT(call("GET", u"/api/v1/sync?rid="_s + QString::number(rid1))
                                     .json.value(u"removed"_s)
                                     .toArray()
                                     .contains(id),
                                 5000);
        // Unknown (future) and bad rids.
        a = call("GET", u"/api/v1/sync?rid=9007199254740000"_s);
        QVERIFY(a.json.value(u"full_update"_s).toBool());
        QCOMPARE(a.json.value(u"tasks"_s).toArray().size(), 0);
        QCOMPARE(call("GET", u"/api/v1/sync?rid=abc"_s).status, 400);
    }

    void seedCompatible()
    {
        Answer a = call("GET", u"/task-progress/unknown"_s);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.body.trimmed(), QByteArray("{}"));
        a = call("GET", u"/task-status/unknown"_s);
        QCOMPARE(a.json.value(u"state"_s).toString(), u"PENDING"_s);

        a = call("POST", u"/start-task"_s);
        QCOMPARE(a.status, 200);
        const QString postId = a.json.value(u"task_id"_s).toString();
        QVERIFY(!postId.isEmpty());
        a = call("GET", u"/start-task"_s);
        const QString id = a.json.value(u"task_id"_s).toString();
        QVERIFY(!id.isEmpty());
        QCOMPARE(m_engine->task(id)->type, u"demo"_s);

        int lastProgress = -1;
        QString status;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const Answer p = call("GET", u"/task-progress/"_s + id);
                const int progress = p.json.value(u"progress"_s).toInt(-1);
                status = p.json.value(u"status"_s).toString();
                if (progress < lastProgress || progress < 0 || progress > 100)
                    return false;
                lastProgress = progress;
                return status == u"completed";
            }(),
            10000);
        QCOMPARE(lastProgress, 100);

        a = call("GET", u"/task-status/"_s + id);
        QCOMPARE(a.json.value(u"state"_s).toString(), u"SUCCESS"_s);
        QCOMPARE(a.json.value(u"progress"_s).toInt(), 100);
        QCOMPARE(a.json.value(u"result"_s).toObject().value(u"status"_s).toString(),
                 u"Task completed!"_s);
        QCOMPARE(a.json.value(u"result"_s).toObject().value(u"result"_s).toString(),
                 u"Task completed!"_s);

        // A failing task answers FAILURE with the error text.
        TaskSpec spec;
        spec.type = u"demo"_s;
        spec.params
            = QJsonObject { { u"steps"_s, 2 }, { u"delay_ms"_s, 0 }, { u"fail_at_step"_s, 1 } };
        const QString failId = m_engine->submit(spec)->id;
        QTRY_COMPARE_WITH_TIMEOUT(
            call("GET", u"/task-status/"_s + failId).json.value(u"state"_s).toString(),
            u"FAILURE"_s, 5000);
        QVERIFY(
            !call("GET", u"/task-status/"_s + failId).json.value(u"error"_s).toString().isEmpty());
    }

    void securityMissingAndWrongToken()
    {
        Answer a = call("GET", u"/api/v1/tasks"_s, {}, {}, false);
        QCOMPARE(a.status, 401);
        QCOMPARE(a.json.value(u"error"_s).toObject().value(u"code"_s).toString(),
                 u"unauthorized"_s);
        a = call("GET", u"/start-task"_s, {}, {}, false);
        QCOMPARE(a.status, 401);
        a = call("GET", u"/api/v1/tasks"_s, {}, { { "Authorization", "Bearer wrong" } }, false);
        QCOMPARE(a.status, 401);
        a = call("GET", u"/"_s, {}, {}, false);
        QCOMPARE(a.status, 401);
        QVERIFY(a.header("Content-Type").startsWith("text/html"));
        a = call("GET", u"/?token=wrong"_s, {}, {}, false);
        QCOMPARE(a.status, 401);
    }

    void securityCrossSiteGuessesDoNotCount()
    {
        // Issue 15, W4: <img src="http://127.0.0.1:PORT/?token=guessN"> on any site.
        const QList<QList<std::pair<QByteArray, QByteArray>>> foreign {
            { { "Sec-Fetch-Site", "cross-site" }, { "Referer", "https://evil.example/" } },
            { { "Referer", "https://evil.example/page" } },
            { { "Origin", "https://evil.example" }, { "Authorization", "Bearer guess" } },
        };
        for (int i = 0; i < 15; ++i) {
            for (const auto &headers : foreign) {
                const Answer a = call("GET", u"/?token=guess%1"_s.arg(i), {}, headers, false);
                QCOMPARE(a.status, 401);
            }
        }
        // None of them counted: a wrong token from a script is still just wrong.
        QCOMPARE(call("GET", u"/api/v1/tasks"_s, {}, { { "Authorization", "Bearer nope" } }, false)
                     .status,
                 401);
        QCOMPARE(call("GET", u"/api/v1/tasks"_s).status, 200);
    }

    void securityRateLimit()
    {
        int status = 0;
        for (int i = 0; i < 12; ++i)
            status
                = call("GET", u"/api/v1/tasks"_s, {}, { { "Authorization", "Bearer nope" } }, false)
                      .status;
        QCOMPARE(status, 429);
        Answer a = call("GET", u"/?token=nope"_s, {}, {}, false);
        QCOMPARE(a.status, 429);
        QVERIFY(!a.header("Retry-After").isEmpty());
        // Wrong tokens never lock out the right one (issue 15, W4): token, cookie, login link.
        QCOMPARE(call("GET", u"/api/v1/tasks"_s).status, 200);
        a = call("GET", u"/?token="_s + m_server->token(), {}, {}, false);
        QCOMPARE(a.status, 303);
        const QByteArray cookie = a.header("Set-Cookie").split(';').constFirst();
        QCOMPARE(call("GET", u"/api/v1/tasks"_s, {}, { { "Cookie", cookie } }, false).status, 200);
        // The health check stays open.
        QCOMPARE(call("GET", u"/api/v1/health"_s, {}, {}, false).status, 200);
    }

    void securityHost_data()
    {
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<int>("status");
        QTest::newRow("127.0.0.1") << QByteArray("127.0.0.1:PORT") << 200;
        QTest::newRow("localhost") << QByteArray("localhost:PORT") << 200;
        QTest::newRow("[::1]") << QByteArray("[::1]:PORT") << 200;
        QTest::newRow("rebound name") << QByteArray("evil.example:PORT") << 403;
        QTest::newRow("wrong port") << QByteArray("127.0.0.1:1") << 403;
        QTest::newRow("no port") << QByteArray("localhost") << 403;
        QTest::newRow("suffix trick") << QByteArray("localhost.evil.example:PORT") << 403;
    }
    void securityHost()
    {
        QFETCH(QByteArray, host);
        QFETCH(int, status);
        host.replace("PORT", QByteArray::number(m_server->port()));
        const QByteArray response
            = raw("GET /api/v1/tasks HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer "
                  + m_server->token().toLatin1() + "\r\nConnection: close\r\n\r\n");
        QVERIFY2(response.startsWith(QByteArray("HTTP/1.1 " + QByteArray::number(status))),
                 response.left(200).constData());
        if (status == 403)
            QVERIFY(response.contains("forbidden_host"));
    }

    void securityOrigin()
    {
        const QByteArray body = R"({"type":"demo","params":{"steps":1,"delay_ms":0}})";
        Answer a = call("POST", u"/api/v1/tasks"_s, body, { { "Origin", "http://evil.example" } });
        QCOMPARE(a.status, 403);
        QCOMPARE(a.json.value(u"error"_s).toObject().value(u"code"_s).toString(),
                 u"forbidden_origin"_s);
        a = call("POST", u"/start-task"_s, {},
                 { { "Origin", "http://localhost:" + QByteArray::number(m_server->port()) } });
        QCOMPARE(a.status, 403); // a different origin than the Host the request names
        a = call("POST", u"/api/v1/tasks"_s, body, { { "Origin", origin() } });
        QCOMPARE(a.status, 201);
        // A GET with a foreign Origin changes nothing and is answered (without CORS headers).
        a = call("GET", u"/api/v1/tasks"_s, {}, { { "Origin", "http://evil.example" } });
        QCOMPARE(a.status, 200);
        QVERIFY(!a.hasHeader("Access-Control-Allow-Origin"));
    }

    void securityHeaders()
    {
        for (const QString &path : { u"/api/v1/tasks"_s, u"/"_s, u"/api/v1/nothing"_s }) {
            const Answer a = call("GET", path);
            QVERIFY(a.header("Content-Security-Policy").contains("default-src 'self'"));
            QVERIFY(a.header("Content-Security-Policy").contains("frame-ancestors 'self'"));
            QCOMPARE(a.header("X-Frame-Options"), QByteArray("SAMEORIGIN"));
            QCOMPARE(a.header("X-Content-Type-Options"), QByteArray("nosniff"));
            QCOMPARE(a.header("Referrer-Policy"), QByteArray("no-referrer"));
            for (const auto &[name, value] : a.headers)
                QVERIFY2(!name.toLower().startsWith("access-control-"), name.constData());
        }
        QCOMPARE(call("GET", u"/api/v1/tasks"_s).header("Cache-Control"), QByteArray("no-store"));
        // An OPTIONS preflight gets no CORS answer either.
        const Answer a = call(
            "OPTIONS", u"/api/v1/tasks"_s, {},
            { { "Origin", "http://evil.example" }, { "Access-Control-Request-Method", "POST" } });
        QVERIFY(a.status >= 400);
        QVERIFY(!a.hasHeader("Access-Control-Allow-Origin"));
    }

    void loginLinkOpensOnce()
    {
        // `headway open`: a one-time link instead of the token in a browser's command line.
        Answer a = call("POST", u"/api/v1/login-links"_s);
        QCOMPARE(a.status, 201);
        const QUrl link(a.json.value(u"url"_s).toString());
        QCOMPARE(a.json.value(u"expires_in"_s).toInt(), 60);
        QVERIFY(link.query().startsWith(u"login="_s));
        QVERIFY(!link.toString().contains(m_server->token()));
        QCOMPARE(call("POST", u"/api/v1/login-links"_s, {}, {}, false).status, 401);
        QNetworkAccessManager browser;
        a = call("GET", u"/?"_s + link.query(), {}, {}, false, &browser);
        QCOMPARE(a.status, 303);
        QCOMPARE(a.header("Location"), QByteArray("/"));
        QVERIFY(a.header("Set-Cookie").contains("HttpOnly"));
        QCOMPARE(call("GET", u"/api/v1/tasks"_s, {}, {}, false, &browser).status, 200);
        // Used once: a second visit (another browser) is refused, as is a made-up code.
        QNetworkAccessManager other;
        QCOMPARE(call("GET", u"/?"_s + link.query(), {}, {}, false, &other).status, 401);
        QCOMPARE(call("GET", u"/?login=made-up"_s, {}, {}, false, &other).status, 401);
    }

    void tokenToCookie()
    {
        QNetworkAccessManager browser; // has a cookie jar
        Answer a = call("GET", u"/plain?token="_s + m_server->token() + u"&x=1"_s, {}, {}, false,
                        &browser);
        QCOMPARE(a.status, 303);
        QCOMPARE(a.header("Location"), QByteArray("/plain?x=1"));
        const QByteArray cookie = a.header("Set-Cookie");
        QVERIFY(cookie.contains("HttpOnly"));
        QVERIFY(cookie.contains("SameSite=Strict"));
        QVERIFY(!cookie.contains(m_server->token().toLatin1()));
        // The cookie authenticates the page, the API and the seed endpoints.
        QCOMPARE(call("GET", u"/api/v1/tasks"_s, {}, {}, false, &browser).status, 200);
        QCOMPARE(call("GET", u"/task-status/x"_s, {}, {}, false, &browser).status, 200);
        a = call("GET", u"/plain"_s, {}, {}, false, &browser);
        QCOMPARE(a.status, 200);
        QVERIFY(a.body.contains("http-equiv=\"refresh\""));
        // The no-JS forms: with the page's CSRF value they work, without it they do not.
        const qsizetype at = a.body.indexOf("name=\"csrf\" value=\"");
        QVERIFY(at > 0);
        const QByteArray csrf = a.body.mid(at + 19, 64);
        a = call("POST", u"/plain/start"_s, "csrf=bad",
                 { { "Content-Type", "application/x-www-form-urlencoded" } }, false, &browser);
        QCOMPARE(a.status, 403);
        QCOMPARE(m_engine->taskCount(), 0);
        a = call(
            "POST", u"/plain/start"_s, "csrf=" + csrf,
            { { "Content-Type", "application/x-www-form-urlencoded" }, { "Origin", origin() } },
            false, &browser);
        QCOMPARE(a.status, 303);
        QCOMPARE(a.header("Location"), QByteArray("/plain"));
        QCOMPARE(m_engine->taskCount(), 1);
        const QString id = m_engine->tasks().first().id;
        a = call("GET", u"/plain"_s, {}, {}, false, &browser);
        QVERIFY(a.body.contains("Demo task"));
        a = call("POST", u"/plain/cancel/"_s + id, "csrf=" + csrf,
                 { { "Content-Type", "application/x-www-form-urlencoded" },
                   { "Origin", "http://evil.example" } },
                 false, &browser);
        QCOMPARE(a.status, 403);
        a = call("POST", u"/plain/cancel/"_s + id, "csrf=" + csrf,
                 { { "Content-Type", "application/x-www-form-urlencoded" } }, false, &browser);
        QCOMPARE(a.status, 303);
        // "/" without the bundled page falls back to the no-JS page.
        a = call("GET", u"/?nojs"_s, {}, {}, false, &browser);
        QCOMPARE(a.status, 200);
        QVERIFY(a.body.contains("<table") || a.body.contains("No tasks"));
    }

    void webSocket()
    {
        m_server->setPingInterval(200);
        QWebSocket ws;
        QList<QJsonObject> messages;
        ServerClient::openPushSocket(ws, m_server->port(), m_server->token(), messages);
        QTRY_VERIFY_WITH_TIMEOUT(!messages.isEmpty(), 5000);
        QCOMPARE(messages.first().value(u"type"_s).toString(), u"snapshot"_s);
        QVERIFY(messages.first().value(u"full_update"_s).toBool());

        ws.sendTextMessage(
            u"{\"id\": 7, \"command\": \"start\", \"type\": \"demo\", \"params\": {\"steps\": 3, \"delay_ms\": 20}}"_s);
        QJsonObject reply;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const QJsonObject &m : messages) {
                    if (m.value(u"type"_s).toString() == u"reply"
                        && m.value(u"reply_to"_s).toInt() == 7) {
                        reply = m;
                        return true;
                    }
                }
                return false;
            }(),
            5000);
        QVERIFY(reply.value(u"ok"_s).toBool());
        const QString id = reply.value(u"task"_s).toObject().value(u"id"_s).toString();
        QVERIFY(!id.isEmpty());

        // Updates arrive in order until the task succeeded; the rid only grows.
        QStringList states;
        qint64 lastRid = 0;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                states.clear();
                lastRid = 0;
                for (const QJsonObject &m : messages) {
                    if (m.value(u"type"_s).toString() != u"changes")
                        continue;
                    const qint64 rid = qint64(m.value(u"rid"_s).toDouble());
                    if (rid <= lastRid)
                        return false;
                    lastRid = rid;
                    for (const QJsonValue &t : m.value(u"tasks"_s).toArray()) {
                        if (t.toObject().value(u"id"_s).toString() == id)
                            states.append(t.toObject().value(u"state"_s).toString());
                    }
                }
                return states.contains(u"succeeded"_s);
            }(),
            10000);
        QCOMPARE(states.last(), u"succeeded"_s);
        QVERIFY(states.indexOf(u"running"_s) < states.indexOf(u"succeeded"_s));

        // Bad commands get error replies with the request id.
        ws.sendTextMessage(u"{\"id\": \"x\", \"command\": \"cancel\", \"task_id\": \""_s + id
                           + u"\"}"_s);
        ws.sendTextMessage(u"{\"id\": 9, \"command\": \"explode\"}"_s);
        ws.sendTextMessage(u"not json"_s);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                int found = 0;
                for (const QJsonObject &m : messages) {
                    if (m.value(u"type"_s).toString() != u"reply" || m.value(u"ok"_s).toBool())
                        continue;
                    const QJsonValue to = m.value(u"reply_to"_s);
                    const QString code = m.value(u"error"_s).toObject().value(u"code"_s).toString();
                    if (to == QJsonValue(u"x"_s) && code == u"invalid_transition")
                        ++found;
                    else if (to == QJsonValue(9) && code == u"bad_command")
                        ++found;
                    else if (to.isNull() && code == u"bad_json")
                        ++found;
                }
                return found == 3;
            }(),
            5000);
        // Pings.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const QJsonObject &m : messages) {
                    if (m.value(u"type"_s).toString() == u"ping")
                        return true;
                }
                return false;
            }(),
            5000);
        QCOMPARE(m_server->pushClientCount(), 1);
        ws.close();
        QTRY_COMPARE_WITH_TIMEOUT(m_server->pushClientCount(), 0, 5000);
    }

    void webSocketRefused_data()
    {
        QTest::addColumn<QByteArray>("origin");
        QTest::addColumn<bool>("withToken");
        QTest::newRow("foreign origin") << QByteArray("http://evil.example") << true;
        QTest::newRow("no token") << QByteArray() << false;
    }
    void webSocketRefused()
    {
        QFETCH(QByteArray, origin);
        QFETCH(bool, withToken);
        const QByteArray response = raw(
            "GET /api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_server->port())
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + (origin.isEmpty() ? QByteArray() : "Origin: " + origin + "\r\n")
            + (withToken ? "Authorization: Bearer " + m_server->token().toLatin1() + "\r\n"
                         : QByteArray())
            + "\r\n");
        QVERIFY2(!response.contains("101 Switching"), response.constData());
        QVERIFY2(response.startsWith(withToken ? "HTTP/1.1 403" : "HTTP/1.1 401"),
                 response.constData());
        QCOMPARE(m_server->pushClientCount(), 0);

        // And through a real client: the connection never opens.
        QWebSocket ws(QString::fromLatin1(origin));
        QNetworkRequest request(QUrl(u"ws://127.0.0.1:%1/api/v1/ws"_s.arg(m_server->port())));
        if (withToken)
            request.setRawHeader("Authorization", "Bearer " + m_server->token().toLatin1());
        QSignalSpy connected(&ws, &QWebSocket::connected);
        QSignalSpy errors(&ws, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
        ws.open(request);
        QTRY_VERIFY_WITH_TIMEOUT(
            !errors.isEmpty() || ws.state() == QAbstractSocket::UnconnectedState, 5000);
        QCOMPARE(connected.size(), 0);
    }

    void webSocketAnswerHasNoCors()
    {
        // README promises no Access-Control-Allow-* headers; Qt's handshake writes some.
        QTcpSocket socket;
        QByteArray data;
        connect(&socket, &QTcpSocket::readyRead, this, [&] { data += socket.readAll(); });
        QVERIFY(startRawWebSocket(socket, "Origin: " + origin() + "\r\n"));
        QTRY_VERIFY(data.contains("\r\n\r\n"));
        const QByteArray head = data.left(data.indexOf("\r\n\r\n"));
        QVERIFY2(head.startsWith("HTTP/1.1 101"), head.constData());
        QVERIFY2(head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
                 head.constData());
        QVERIFY2(!head.toLower().contains("access-control-"), head.constData());
        QTRY_COMPARE(m_server->pushClientCount(), 1);
    }

    void webSocketClientThatDoesNotReadIsDropped()
    {
        // Issue 15: commands sent without reading the replies must not queue without bound.
        QTcpSocket socket;
        socket.setReadBufferSize(16 * 1024); // then the kernel buffers fill: we stop reading
        QVERIFY(startRawWebSocket(socket));
        QTRY_COMPARE(m_server->pushClientCount(), 1);
        // A masked text frame "x" (not JSON: each one earns a bad_json reply).
        QByteArray frame("\x81\x81\x01\x02\x03\x04", 6);
        frame += char('x' ^ 0x01);
        const QByteArray batch = frame.repeated(10000);
        for (int i = 0; i < 100 && m_server->pushClientCount() > 0; ++i) {
            socket.write(batch);
            QTRY_VERIFY(socket.bytesToWrite() == 0 || m_server->pushClientCount() == 0
                        || socket.state() != QAbstractSocket::ConnectedState);
        }
        QTRY_COMPARE(m_server->pushClientCount(), 0);
    }

    void serverSentEvents()
    {
        m_server->setPingInterval(200);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server->port());
        QVERIFY(socket.waitForConnected(3000));
        socket.write("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:"
                     + QByteArray::number(m_server->port())
                     + "\r\nAccept: text/event-stream\r\nAuthorization: Bearer "
                     + m_server->token().toLatin1() + "\r\n\r\n");
        QByteArray data;
        connect(&socket, &QTcpSocket::readyRead, this, [&] { data += socket.readAll(); });
        QTRY_VERIFY_WITH_TIMEOUT(data.contains("\"type\":\"snapshot\""), 5000);
        QVERIFY(data.startsWith("HTTP/1.1 200"));
        QVERIFY(data.contains("Content-Type: text/event-stream"));
        QVERIFY(data.contains("X-Content-Type-Options: nosniff"));
        QVERIFY(data.contains("\nid: "));

        const QString id = createDemo(2, 10).value(u"id"_s).toString();
        QTRY_VERIFY_WITH_TIMEOUT(data.contains("\"type\":\"changes\"")
                                     && data.contains(id.toLatin1())
                                     && data.contains("\"state\":\"succeeded\""),
                                 10000);
        QTRY_VERIFY_WITH_TIMEOUT(data.contains("data: {\"type\":\"ping\"}"), 5000);
        // Every event is "id: RID\ndata: JSON\n\n" with valid JSON.
        const qsizetype headEnd = data.indexOf("\r\n\r\n");
        int events = 0;
        for (const QByteArray &block : data.mid(headEnd + 4).split('\n')) {
            if (block.startsWith("data: ")) {
                QJsonParseError error;
                QJsonDocument::fromJson(block.mid(6), &error);
                QCOMPARE(error.error, QJsonParseError::NoError);
                ++events;
            }
        }
        QVERIFY(events >= 2);
        QCOMPARE(m_server->pushClientCount(), 1);
        socket.disconnectFromHost();
        QTRY_COMPARE_WITH_TIMEOUT(m_server->pushClientCount(), 0, 5000);
    }

    void sseResumesFromLastEventId()
    {
        const QString before = createDemo(1, 0).value(u"id"_s).toString();
        QTRY_VERIFY_WITH_TIMEOUT(
            call("GET", u"/api/v1/sync"_s).json.value(u"tasks"_s).toArray().size() == 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(m_engine->activeCount(), 0, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(call("GET", u"/api/v1/sync"_s)
                                         .json.value(u"tasks"_s)
                                         .toArray()
                                         .at(0)
                                         .toObject()
                                         .value(u"state"_s)
                                         .toString()
                                     == u"succeeded",
                                 5000);
        const qint64 rid = qint64(call("GET", u"/api/v1/sync"_s).json.value(u"rid"_s).toDouble());
        const QByteArray response = raw(
            "GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_server->port())
                + "\r\nLast-Event-ID: " + QByteArray::number(rid) + "\r\nAuthorization: Bearer "
                + m_server->token().toLatin1() + "\r\n\r\n",
            500);
        QVERIFY(response.contains("\"type\":\"changes\""));
        QVERIFY(!response.contains(before.toLatin1()));
    }

    void oversizedBodyRefusedBeforeBuffering()
    {
        // The transport guard answers 413 from the declared length, before any body arrives.
        const QByteArray response = raw(
            "POST /api/v1/tasks HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_server->port())
            + "\r\nAuthorization: Bearer " + m_server->token().toLatin1()
            + "\r\nContent-Type: application/json\r\nContent-Length: 2000000000\r\n\r\n{");
        QVERIFY2(response.startsWith("HTTP/1.1 413"), response.left(200).constData());
        QCOMPARE(m_engine->taskCount(), 0);
    }

    void openApiCoversEveryRoute()
    {
        const Answer a = call("GET", u"/api/openapi.json"_s);
        QCOMPARE(a.status, 200);
        QVERIFY(a.json.value(u"openapi"_s).toString().startsWith(u"3."));
        const QJsonObject paths = a.json.value(u"paths"_s).toObject();
        QSet<QString> documented;
        for (const Router::Route &route : m_server->router().routes()) {
            const QString method = QString::fromLatin1(Router::methodName(route.method)).toLower();
            QVERIFY2(paths.value(route.pattern).toObject().contains(method),
                     qPrintable(method + u' ' + route.pattern));
            documented.insert(method + u' ' + route.pattern);
        }
        // And nothing is documented that is not served.
        for (auto it = paths.begin(); it != paths.end(); ++it) {
            const QJsonObject ops = it.value().toObject();
            for (auto op = ops.begin(); op != ops.end(); ++op)
                QVERIFY2(documented.contains(op.key() + u' ' + it.key()),
                         qPrintable(op.key() + u' ' + it.key()));
        }
    }
};

QTEST_MAIN(tst_HeadwayServer)
#include "tst_headwayserver.moc"
