// Tests of ReportApi: tasks of type "external" that another process reports through
// POST /api/v1/tasks/ID/report and /finish, against a real server on an ephemeral port.
#include "app/core/taskengine.h"
#include "app/core/tasktyperegistry.h"
#include "app/server/headwayserver.h"
#include "app/server/reporttasktype.h"
#include "tests/server/serverclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

using ServerClient::Answer;

class tst_ReportApi final : public QObject
{
    Q_OBJECT

private:
    Answer call(const QByteArray &method, const QString &path, const QJsonObject &body = {},
                const QByteArray &token = {})
    {
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_server->port()).arg(path)));
        request.setRawHeader("Authorization",
                             "Bearer " + (token.isEmpty() ? m_server->token().toLatin1() : token));
        QByteArray payload;
        if (method == "POST") {
            request.setRawHeader("Content-Type", "application/json");
            payload = QJsonDocument(body).toJson(QJsonDocument::Compact);
        }
        return ServerClient::finish(m_nam->sendCustomRequest(request, method, payload), 10000);
    }
    // Creates an external task; its report token in *token.
    QJsonObject create(const QJsonObject &params, QByteArray *token)
    {
        const Answer a = call("POST", u"/api/v1/tasks"_s,
                              { { u"type"_s, u"external"_s },
                                { u"title"_s, u"Nightly backup"_s },
                                { u"params"_s, params } });
        if (a.status != 201)
            qWarning() << a.status << a.body;
        *token = a.json.value(u"report_token"_s).toString().toLatin1();
        return a.json;
    }
    QJsonObject task(const QString &id) { return call("GET", u"/api/v1/tasks/"_s + id).json; }

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
        registerReportTaskType(*m_registry);
        EngineOptions options;
        options.dataDir = m_dir->path();
        options.etaWarmupSeconds = 0;
        m_engine = std::make_unique<TaskEngine>(*m_registry, options);
        ServerOptions serverOptions;
        serverOptions.port = 0;
        serverOptions.dataDir = m_dir->path();
        m_server = std::make_unique<HeadwayServer>(*m_engine, serverOptions);
        QString error;
        QVERIFY2(m_server->listen(&error), qPrintable(error));
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

    void createdRunningWithToken()
    {
        QByteArray token;
        const QJsonObject t = create({ { u"steps"_s, QJsonArray { u"dump"_s, u"upload"_s } },
                                       { u"unit"_s, u"files"_s },
                                       { u"total"_s, 4 } },
                                     &token);
        QCOMPARE(t.value(u"state"_s).toString(), u"running"_s);
        QVERIFY(token.size() >= 32);
        // Cancel only: its runner is another process (no pause), nothing here reruns it.
        QCOMPARE(t.value(u"actions"_s).toArray(), QJsonArray { u"cancel"_s });
        const QJsonObject p = t.value(u"progress"_s).toObject();
        QCOMPARE(p.value(u"steps"_s).toArray(), (QJsonArray { u"dump"_s, u"upload"_s }));
        QCOMPARE(p.value(u"total"_s).toInt(), 4);
        QCOMPARE(p.value(u"unit"_s).toString(), u"files"_s);
        // The token is in the creator's answer only.
        const QString id = t.value(u"id"_s).toString();
        QVERIFY(!task(id).contains(u"report_token"_s));
        QCOMPARE(call("POST", u"/api/v1/tasks/"_s + id + u"/pause"_s).status, 409);
    }

    void reportUpdatesTheTask()
    {
        QByteArray token;
        const QString id = create({ { u"steps"_s, QJsonArray { u"dump"_s, u"upload"_s } },
                                    { u"total"_s, 4 },
                                    { u"unit"_s, u"files"_s } },
                                  &token)
                               .value(u"id"_s)
                               .toString();
        const Answer a = call("POST", u"/api/v1/tasks/"_s + id + u"/report"_s,
                              { { u"processed"_s, 2 },
                                { u"message"_s, u"copying"_s },
                                { u"step"_s, u"upload"_s },
                                { u"log"_s, QJsonArray { u"one"_s, u"two"_s } } },
                              token);
        QCOMPARE(a.status, 204);
        QTRY_COMPARE(task(id).value(u"progress"_s).toObject().value(u"processed"_s).toInt(), 2);
        const QJsonObject t = task(id);
        const QJsonObject p = t.value(u"progress"_s).toObject();
        QCOMPARE(p.value(u"percent"_s).toDouble(), 50.0);
        QCOMPARE(p.value(u"message"_s).toString(), u"copying"_s);
        QCOMPARE(p.value(u"step"_s).toInt(), 1);
        QCOMPARE(t.value(u"output"_s).toString(), u"one\ntwo\n"_s);
        // A label not declared becomes a new last step; the API token is accepted too.
        QCOMPARE(call("POST", u"/api/v1/tasks/"_s + id + u"/report"_s,
                      { { u"step"_s, u"verify"_s }, { u"percent"_s, 90 } })
                     .status,
                 204);
        const QJsonObject p2 = task(id).value(u"progress"_s).toObject();
        QCOMPARE(p2.value(u"steps"_s).toArray().size(), 3);
        QCOMPARE(p2.value(u"step"_s).toInt(), 2);
        QCOMPARE(p2.value(u"percent"_s).toDouble(), 90.0);
    }

    void engineWorksOutSpeedAndEta()
    {
        QByteArray token;
        const QString id = create({ { u"total"_s, 1000 } }, &token).value(u"id"_s).toString();
        const QString path = u"/api/v1/tasks/"_s + id + u"/report"_s;
        // Amounts that grow over time: the engine's estimator turns them into a speed.
        int processed = 0;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                processed = std::min(processed + 10, 900);
                call("POST", path, { { u"processed"_s, processed } }, token);
                const QJsonObject p = task(id).value(u"progress"_s).toObject();
                return p.value(u"speed"_s).toDouble() > 0 && p.value(u"eta"_s).isDouble();
            }(),
            10000);
    }

    void reportTokenOpensOnlyItsTask()
    {
        QByteArray token;
        QByteArray other;
        const QString id = create({}, &token).value(u"id"_s).toString();
        const QString otherId = create({}, &other).value(u"id"_s).toString();
        QCOMPARE(call("GET", u"/api/v1/tasks"_s, {}, token).status, 401);
        QCOMPARE(call("POST", u"/api/v1/tasks/"_s + id + u"/cancel"_s, {}, token).status, 401);
        QCOMPARE(call("POST", u"/api/v1/tasks/"_s + otherId + u"/report"_s, { { u"percent"_s, 5 } },
                      token)
                     .status,
                 401);
        QCOMPARE(call("POST", u"/api/v1/tasks/"_s + id + u"/report"_s, { { u"percent"_s, 5 } },
                      "not-a-token")
                     .status,
                 401);
        QCOMPARE(
            call("POST", u"/api/v1/tasks/"_s + id + u"/report"_s, { { u"percent"_s, 5 } }, token)
                .status,
            204);
    }

    void badReports_data()
    {
        QTest::addColumn<QJsonObject>("report");
        QTest::addColumn<QString>("field");
        QTest::newRow("percent > 100") << QJsonObject { { u"percent"_s, 101 } } << u"percent"_s;
        QTest::newRow("percent text") << QJsonObject { { u"percent"_s, u"5"_s } } << u"percent"_s;
        QTest::newRow("negative processed")
            << QJsonObject { { u"processed"_s, -1 } } << u"processed"_s;
        QTest::newRow("processed > total")
            << QJsonObject { { u"processed"_s, 11 } } << u"processed"_s;
        QTest::newRow("fractional total") << QJsonObject { { u"total"_s, 2.5 } } << u"total"_s;
        QTest::newRow("step index out of range") << QJsonObject { { u"step"_s, 7 } } << u"step"_s;
        QTest::newRow("log not lines") << QJsonObject { { u"log"_s, 5 } } << u"log"_s;
        QTest::newRow("unknown field") << QJsonObject { { u"colour"_s, 1 } } << u"colour"_s;
    }

    void badReports()
    {
        QFETCH(QJsonObject, report);
        QFETCH(QString, field);
        QByteArray token;
        const QString id
            = create({ { u"total"_s, 10 }, { u"steps"_s, QJsonArray { u"a"_s } } }, &token)
                  .value(u"id"_s)
                  .toString();
        const Answer a = call("POST", u"/api/v1/tasks/"_s + id + u"/report"_s, report, token);
        QCOMPARE(a.status, 400);
        QCOMPARE(a.code(), u"invalid_report"_s);
        const QJsonArray fields = a.json.value(u"error"_s).toObject().value(u"fields"_s).toArray();
        QCOMPARE(fields.size(), 1);
        QCOMPARE(fields.first().toObject().value(u"field"_s).toString(), field);
        QCOMPARE(task(id).value(u"progress"_s).toObject().value(u"processed"_s).toInt(), 0);
    }

    void conflictAfterCancel()
    {
        QByteArray token;
        const QString id = create({}, &token).value(u"id"_s).toString();
        const Answer canceled = call("POST", u"/api/v1/tasks/"_s + id + u"/cancel"_s);
        QCOMPARE(canceled.status, 200);
        QCOMPARE(canceled.json.value(u"state"_s).toString(), u"canceled"_s);
        for (const QString &route : { u"/report"_s, u"/finish"_s }) {
            // The reporter learns to stop: 409 with the state, to its own report token (still
            // valid for its task) as to the API token.
            for (const QByteArray &bearer : { token, m_server->token().toLatin1() }) {
                const Answer a = call("POST", u"/api/v1/tasks/"_s + id + route,
                                      { { u"state"_s, u"succeeded"_s } }, bearer);
                QCOMPARE(a.status, 409);
                QCOMPARE(a.json.value(u"error"_s).toObject().value(u"state"_s).toString(),
                         u"canceled"_s);
            }
        }
        QCOMPARE(task(id).value(u"actions"_s).toArray(), QJsonArray { u"remove"_s });
        QCOMPARE(call("POST", u"/api/v1/tasks/"_s + id + u"/retry"_s).status, 409);
    }

    void finish_data()
    {
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QString>("state");
        QTest::addColumn<QString>("errorMessage");
        QTest::newRow("succeeded")
            << QJsonObject { { u"state"_s, u"succeeded"_s },
                             { u"result"_s, QJsonObject { { u"files"_s, 4 } } } }
            << u"succeeded"_s << QString();
        QTest::newRow("failed with a message")
            << QJsonObject { { u"state"_s, u"failed"_s }, { u"error"_s, u"disk full"_s } }
            << u"failed"_s << u"disk full"_s;
        QTest::newRow("failed with code and message") << QJsonObject {
            { u"state"_s, u"failed"_s },
            { u"error"_s,
              QJsonObject { { u"code"_s, u"enospc"_s }, { u"message"_s, u"no space"_s } } }
        } << u"failed"_s << u"no space"_s;
    }

    void finish()
    {
        QFETCH(QJsonObject, body);
        QFETCH(QString, state);
        QFETCH(QString, errorMessage);
        QByteArray token;
        const QString id = create({}, &token).value(u"id"_s).toString();
        const Answer a = call("POST", u"/api/v1/tasks/"_s + id + u"/finish"_s, body, token);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json.value(u"state"_s).toString(), state);
        if (state == u"succeeded") {
            QCOMPARE(a.json.value(u"result"_s).toObject().value(u"files"_s).toInt(), 4);
            QCOMPARE(a.json.value(u"progress"_s).toObject().value(u"percent"_s).toDouble(), 100.0);
        } else {
            QCOMPARE(a.json.value(u"error"_s).toObject().value(u"message"_s).toString(),
                     errorMessage);
        }
        // Ended: its token still opens its own reports, which are told to stop.
        QCOMPARE(
            call("POST", u"/api/v1/tasks/"_s + id + u"/report"_s, { { u"percent"_s, 1 } }, token)
                .status,
            409);
        QCOMPARE(
            call("POST", u"/api/v1/tasks/"_s + id + u"/report"_s, { { u"percent"_s, 1 } }).status,
            409);
    }

    void badFinish()
    {
        QByteArray token;
        const QString id = create({}, &token).value(u"id"_s).toString();
        const Answer a = call("POST", u"/api/v1/tasks/"_s + id + u"/finish"_s,
                              { { u"state"_s, u"done"_s } }, token);
        QCOMPARE(a.status, 400);
        QCOMPARE(task(id).value(u"state"_s).toString(), u"running"_s);
    }

    void silentReporterLeavesTaskInterrupted()
    {
        QByteArray token;
        const QString id = create({ { u"lease_s"_s, 1 } }, &token).value(u"id"_s).toString();
        QTRY_COMPARE_WITH_TIMEOUT(task(id).value(u"state"_s).toString(), u"interrupted"_s, 10000);
        const QJsonObject t = task(id);
        QCOMPARE(t.value(u"error"_s).toObject().value(u"code"_s).toString(), u"lease_expired"_s);
        QCOMPARE(t.value(u"actions"_s).toArray(), QJsonArray { u"remove"_s });
        QCOMPARE(
            call("POST", u"/api/v1/tasks/"_s + id + u"/report"_s, { { u"percent"_s, 1 } }).status,
            409);
    }

    void reportsToOtherTasks()
    {
        const Answer demo = call(
            "POST", u"/api/v1/tasks"_s,
            { { u"type"_s, u"demo"_s }, { u"params"_s, QJsonObject { { u"steps"_s, 1 } } } });
        QCOMPARE(demo.status, 201);
        QVERIFY(!demo.json.contains(u"report_token"_s));
        const QString id = demo.json.value(u"id"_s).toString();
        QCOMPARE(
            call("POST", u"/api/v1/tasks/"_s + id + u"/report"_s, { { u"percent"_s, 1 } }).status,
            409);
        QCOMPARE(call("POST", u"/api/v1/tasks/nope/report"_s, { { u"percent"_s, 1 } }).status, 404);
    }
};

QTEST_MAIN(tst_ReportApi)
#include "tst_reportapi.moc"
