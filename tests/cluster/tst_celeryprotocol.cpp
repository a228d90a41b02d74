// Unit tests of what Headway writes to and reads from a Celery cluster (no broker needed).
#include "app/cluster/celerymeta.h"
#include "app/cluster/celeryprotocol.h"
#include "app/cluster/celerytasktype.h"
#include "app/cluster/celeryworker.h"
#include "app/core/tasktyperegistry.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

class TestCeleryProtocol final : public QObject
{
    Q_OBJECT

private:
    static QJsonObject parse(const QByteArray &json)
    {
        return QJsonDocument::fromJson(json).object();
    }
    static QJsonArray body(const QJsonObject &message)
    {
        return QJsonDocument::fromJson(
                   QByteArray::fromBase64(message.value(u"body"_s).toString().toLatin1()))
            .array();
    }

private Q_SLOTS:
    void taskMessageIsProtocolV2()
    {
        CeleryProtocol::TaskMessage m;
        m.id = u"0b4d7c2e-0000-4000-8000-000000000001"_s;
        m.task = u"tasks.add"_s;
        m.args = QJsonArray { 2, u"x"_s };
        m.kwargs = QJsonObject { { u"k"_s, true } };
        m.queue = u"images"_s;
        const QByteArray json = CeleryProtocol::taskMessage(m);
        QString error;
        QVERIFY2(CeleryProtocol::validateTaskMessage(json, &error), qPrintable(error));

        const QJsonObject msg = parse(json);
        QCOMPARE(msg.value(u"content-type"_s).toString(), u"application/json"_s);
        const QJsonObject h = msg.value(u"headers"_s).toObject();
        QCOMPARE(h.value(u"task"_s).toString(), m.task);
        QCOMPARE(h.value(u"id"_s).toString(), m.id);
        QCOMPARE(h.value(u"root_id"_s).toString(), m.id);
        QVERIFY(h.value(u"eta"_s).isNull());
        QCOMPARE(h.value(u"argsrepr"_s).toString(), u"(2, 'x')"_s);
        QCOMPARE(h.value(u"kwargsrepr"_s).toString(), u"{'k': True}"_s);
        QCOMPARE(h.value(u"timelimit"_s).toArray().size(), 2);
        const QJsonObject p = msg.value(u"properties"_s).toObject();
        QVERIFY(!p.value(u"delivery_tag"_s).toString().isEmpty());
        QCOMPARE(p.value(u"delivery_info"_s).toObject().value(u"routing_key"_s).toString(),
                 u"images"_s);
        QCOMPARE(p.value(u"delivery_info"_s).toObject().value(u"exchange"_s).toString(), u""_s);
        QCOMPARE(p.value(u"body_encoding"_s).toString(), u"base64"_s);
        const QJsonArray b = body(msg);
        QCOMPARE(b.size(), 3);
        QCOMPARE(b.at(0).toArray(), m.args);
        QCOMPARE(b.at(1).toObject(), m.kwargs);
        QVERIFY(b.at(2).toObject().contains(u"chord"_s));
    }

    void etaIsIsoWithOffset()
    {
        CeleryProtocol::TaskMessage m;
        m.id = u"id"_s;
        m.task = u"tasks.add"_s;
        m.eta = QDateTime(QDate(2024, 5, 6), QTime(7, 8, 9, 123), Qt::UTC);
        const QJsonObject h = parse(CeleryProtocol::taskMessage(m)).value(u"headers"_s).toObject();
        QCOMPARE(h.value(u"eta"_s).toString(), u"2024-05-06T07:08:09.123000+00:00"_s);
        QCOMPARE(parse(CeleryProtocol::taskMessage(m))
                     .value(u"headers"_s)
                     .toObject()
                     .value(u"argsrepr"_s)
                     .toString(),
                 u"()"_s);
    }

    void validateRejects_data()
    {
        QTest::addColumn<QByteArray>("json");
        CeleryProtocol::TaskMessage m;
        m.id = u"id"_s;
        m.task = u"tasks.add"_s;
        const QJsonObject good = parse(CeleryProtocol::taskMessage(m));
        auto without = [&](const QString &section, const QString &key) {
            QJsonObject o = good;
            QJsonObject s = o.value(section).toObject();
            s.remove(key);
            o.insert(section, s);
            return QJsonDocument(o).toJson(QJsonDocument::Compact);
        };
        QTest::newRow("not json") << QByteArray("hello");
        QTest::newRow("array") << QByteArray("[1,2]");
        QTest::newRow("no delivery_tag") << without(u"properties"_s, u"delivery_tag"_s);
        QTest::newRow("no delivery_info") << without(u"properties"_s, u"delivery_info"_s);
        QTest::newRow("no task") << without(u"headers"_s, u"task"_s);
        QTest::newRow("no id") << without(u"headers"_s, u"id"_s);
        QJsonObject badBody = good;
        badBody.insert(u"body"_s, QString::fromLatin1(QByteArray("[1]").toBase64()));
        QTest::newRow("body not [args, kwargs, embed]") << QJsonDocument(badBody).toJson();
        QJsonObject pickle = good;
        pickle.insert(u"content-type"_s, u"application/x-python-serialize"_s);
        QTest::newRow("pickle") << QJsonDocument(pickle).toJson();
    }

    void validateRejects()
    {
        QFETCH(QByteArray, json);
        QString error;
        QVERIFY(!CeleryProtocol::validateTaskMessage(json, &error));
        QVERIFY(!error.isEmpty());
    }

    void revokeMessage()
    {
        const QDateTime now = QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);
        const QJsonObject msg = parse(CeleryProtocol::revokeMessage(u"abc"_s, true, 7, now));
        const QJsonObject b
            = QJsonDocument::fromJson(
                  QByteArray::fromBase64(msg.value(u"body"_s).toString().toLatin1()))
                  .object();
        QCOMPARE(b.value(u"method"_s).toString(), u"revoke"_s);
        QCOMPARE(b.value(u"arguments"_s).toObject().value(u"task_id"_s).toString(), u"abc"_s);
        QCOMPARE(b.value(u"arguments"_s).toObject().value(u"terminate"_s).toBool(), true);
        QVERIFY(b.contains(u"destination"_s));
        QCOMPARE(msg.value(u"headers"_s).toObject().value(u"clock"_s).toInt(), 7);
        QVERIFY(msg.value(u"headers"_s).toObject().value(u"expires"_s).toDouble() > 1700000000.0);
        QCOMPARE(msg.value(u"properties"_s)
                     .toObject()
                     .value(u"delivery_info"_s)
                     .toObject()
                     .value(u"exchange"_s)
                     .toString(),
                 u"celery.pidbox"_s);
        QCOMPARE(CeleryProtocol::pidboxChannel(3), QByteArray("/3.celery.pidbox"));
        QCOMPARE(CeleryProtocol::eventPattern(0), QByteArray("/0.celeryev/*"));
    }

    void envelopeBody()
    {
        const QByteArray inner = R"([{"type": "task-received", "uuid": "u1"}])";
        const QJsonObject env { { u"body"_s, QString::fromLatin1(inner.toBase64()) },
                                { u"properties"_s,
                                  QJsonObject { { u"body_encoding"_s, u"base64"_s } } } };
        const QJsonValue v = CeleryProtocol::envelopeBody(QJsonDocument(env).toJson());
        QVERIFY(v.isArray());
        QCOMPARE(v.toArray().at(0).toObject().value(u"uuid"_s).toString(), u"u1"_s);
        QVERIFY(CeleryProtocol::envelopeBody("garbage").isNull());
        // Found by fuzz_celery: no body, or a body that is neither object nor array.
        QVERIFY(CeleryProtocol::envelopeBody(R"({"status":"SUCCESS"})").isNull());
        QVERIFY(CeleryProtocol::envelopeBody(R"({"body":42})").isNull());
    }

    void parseRedisUrl_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<int>("db");
        QTest::newRow("full") << u"redis://10.0.0.5:6380/2"_s << true << u"10.0.0.5"_s << 6380 << 2;
        QTest::newRow("defaults") << u"redis://localhost"_s << true << u"localhost"_s << 6379 << 0;
        QTest::newRow("slash") << u"redis://localhost/"_s << true << u"localhost"_s << 6379 << 0;
        QTest::newRow("password") << u"redis://:s3cret@h:1/0"_s << true << u"h"_s << 1 << 0;
        QTest::newRow("http") << u"http://localhost:6379/0"_s << false << QString() << 0 << 0;
        QTest::newRow("bad db") << u"redis://localhost:6379/x"_s << false << QString() << 0 << 0;
        QTest::newRow("empty") << QString() << false << QString() << 0 << 0;
    }

    void parseRedisUrl()
    {
        QFETCH(QString, url);
        QFETCH(bool, ok);
        QString error;
        const auto a = CeleryProtocol::parseRedisUrl(QUrl(url), &error);
        QCOMPARE(a.has_value(), ok);
        if (!ok) {
            QVERIFY(!error.isEmpty());
            return;
        }
        QTEST(a->host, "host");
        QTEST(int(a->port), "port");
        QTEST(a->db, "db");
    }

    void metaStates_data()
    {
        QTest::addColumn<QString>("status");
        QTest::addColumn<TaskState>("state");
        QTest::newRow("PENDING") << u"PENDING"_s << TaskState::Queued;
        QTest::newRow("RECEIVED") << u"RECEIVED"_s << TaskState::Queued;
        QTest::newRow("STARTED") << u"STARTED"_s << TaskState::Running;
        QTest::newRow("PROGRESS") << u"PROGRESS"_s << TaskState::Running;
        QTest::newRow("custom") << u"RESIZING"_s << TaskState::Running;
        QTest::newRow("SUCCESS") << u"SUCCESS"_s << TaskState::Succeeded;
        QTest::newRow("FAILURE") << u"FAILURE"_s << TaskState::Failed;
        QTest::newRow("RETRY") << u"RETRY"_s << TaskState::Retrying;
        QTest::newRow("REVOKED") << u"REVOKED"_s << TaskState::Canceled;
    }

    void metaStates()
    {
        QFETCH(QString, status);
        const auto meta = CeleryMeta::fromJson(
            u"{\"status\": \"%1\", \"result\": null}"_s.arg(status).toUtf8());
        QVERIFY(meta);
        QTEST(meta->state(), "state");
    }

    void metaProgress_data()
    {
        QTest::addColumn<QByteArray>("result");
        QTest::addColumn<double>("percent"); // -1: indeterminate
        QTest::addColumn<qint64>("processed");
        QTest::addColumn<qint64>("total");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QStringList>("steps");
        QTest::addColumn<int>("step");
        QTest::newRow("current/total")
            << QByteArray(R"({"current": 3, "total": 12})") << 25.0 << qint64(3) << qint64(12)
            << QString() << QStringList() << -1;
        QTest::newRow("percent") << QByteArray(R"({"percent": 40.5})") << 40.5 << qint64(0)
                                 << qint64(-1) << QString() << QStringList() << -1;
        QTest::newRow("tutorial progress") << QByteArray(R"({"progress": 70})") << 70.0 << qint64(0)
                                           << qint64(-1) << QString() << QStringList() << -1;
        QTest::newRow("clamped") << QByteArray(R"({"percent": 140})") << 100.0 << qint64(0)
                                 << qint64(-1) << QString() << QStringList() << -1;
        QTest::newRow("description")
            << QByteArray(R"({"description": "resizing"})") << -1.0 << qint64(0) << qint64(-1)
            << u"resizing"_s << QStringList() << -1;
        QTest::newRow("steps index")
            << QByteArray(R"({"steps": ["a", "b", "c"], "step": 1})") << -1.0 << qint64(0)
            << qint64(-1) << QString() << QStringList { u"a"_s, u"b"_s, u"c"_s } << 1;
        QTest::newRow("steps name")
            << QByteArray(R"({"steps": ["a", "b"], "step": "b"})") << -1.0 << qint64(0)
            << qint64(-1) << QString() << QStringList { u"a"_s, u"b"_s } << 1;
        QTest::newRow("step out of range")
            << QByteArray(R"({"steps": ["a"], "step": 5})") << -1.0 << qint64(0) << qint64(-1)
            << QString() << QStringList { u"a"_s } << 0;
        QTest::newRow("not an object") << QByteArray(R"("halfway")") << -1.0 << qint64(0)
                                       << qint64(-1) << QString() << QStringList() << -1;
    }

    void metaProgress()
    {
        QFETCH(QByteArray, result);
        QFETCH(double, percent);
        const auto meta
            = CeleryMeta::fromJson("{\"status\": \"PROGRESS\", \"result\": " + result + "}");
        QVERIFY(meta);
        const TaskProgress p = meta->progress({});
        QCOMPARE(p.percent.value_or(-1.0), percent);
        QTEST(p.processed, "processed");
        QTEST(p.total, "total");
        QTEST(p.message, "message");
        QTEST(p.steps, "steps");
        QTEST(p.step, "step");
    }

    void metaFailure()
    {
        const auto meta
            = CeleryMeta::fromJson(R"({"status": "FAILURE", "result": {"exc_type": "ValueError",
            "exc_message": ["boom"], "exc_module": "builtins"}, "traceback": "Traceback (most recent call last):\n...ValueError: boom\n",
            "task_id": "t1"})");
        QVERIFY(meta);
        const TaskError e = meta->error();
        QCOMPARE(e.code, u"celery_exception"_s);
        QCOMPARE(e.message, u"ValueError: boom"_s);
        QVERIFY(e.details.value(u"traceback"_s).toString().startsWith(u"Traceback"_s));
        QCOMPARE(e.details.value(u"exc_module"_s).toString(), u"builtins"_s);
        QCOMPARE(e.details.value(u"celery_id"_s).toString(), u"t1"_s);
        QVERIFY(!CeleryMeta::fromJson("{}"));
        QVERIFY(!CeleryMeta::fromJson("nonsense"));
    }

    void taskType_data()
    {
        QTest::addColumn<QJsonObject>("params");
        QTest::addColumn<QString>("badField"); // empty: valid
        QTest::newRow("minimal") << QJsonObject { { u"task"_s, u"tasks.add"_s } } << QString();
        QTest::newRow("full") << QJsonObject { { u"task"_s, u"tasks.add"_s },
                                               { u"args"_s, QJsonArray { 1 } },
                                               { u"kwargs"_s, QJsonObject {} },
                                               { u"queue"_s, u"q"_s },
                                               { u"countdown"_s, 2.5 } }
                              << QString();
        QTest::newRow("missing task") << QJsonObject {} << u"params.task"_s;
        QTest::newRow("bad name") << QJsonObject { { u"task"_s, u"rm -rf"_s } } << u"params.task"_s;
        QTest::newRow("args not a list")
            << QJsonObject { { u"task"_s, u"t"_s }, { u"args"_s, 1 } } << u"params.args"_s;
        QTest::newRow("negative countdown")
            << QJsonObject { { u"task"_s, u"t"_s }, { u"countdown"_s, -1 } }
            << u"params.countdown"_s;
        QTest::newRow("unknown param")
            << QJsonObject { { u"task"_s, u"t"_s }, { u"nope"_s, 1 } } << u"params.nope"_s;
    }

    void taskType()
    {
        QFETCH(QJsonObject, params);
        QFETCH(QString, badField);
        TaskTypeRegistry registry;
        registerCeleryTaskType(registry);
        QVERIFY(registry.find(u"celery"_s));
        QVERIFY(!registry.find(u"celery"_s)->create);
        const Result<QJsonObject> r = registry.validate(u"celery"_s, params);
        if (badField.isEmpty()) {
            QVERIFY(r.ok());
            QVERIFY(r->value(u"args"_s).isArray());
            QVERIFY(r->value(u"kwargs"_s).isObject());
            QVERIFY(!r->value(u"queue"_s).toString().isEmpty());
            QVERIFY(r->contains(u"countdown"_s));
            return;
        }
        QVERIFY(!r.ok());
        bool found = false;
        for (const FieldError &f : r.error().fields)
            found = found || f.field == badField;
        QVERIFY2(found, qPrintable(r.error().message));
    }

    void worker()
    {
        const QDateTime now = QDateTime::fromSecsSinceEpoch(1000, Qt::UTC);
        CeleryWorker w;
        w.hostname = u"w1@host"_s;
        w.online = true;
        w.freq = 2.0;
        w.lastHeartbeat = now.addMSecs(-3900);
        QVERIFY(!w.isExpired(now));
        QVERIFY(w.isExpired(now.addMSecs(200)));
        const QJsonObject j = w.toJson(now);
        QCOMPARE(j.value(u"hostname"_s).toString(), u"w1@host"_s);
        QCOMPARE(j.value(u"heartbeat_age"_s).toDouble(), 3.9);
        QCOMPARE(j.value(u"online"_s).toBool(), true);
        QVERIFY(CeleryWorker {}.toJson(now).value(u"heartbeat_age"_s).isNull());
    }
};

QTEST_GUILESS_MAIN(TestCeleryProtocol)
#include "tst_celeryprotocol.moc"
