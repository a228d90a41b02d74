// Tests of TaskApi's commands (what WebSocket and Socket.IO clients send), without HTTP:
// start validates every field and names each wrong one, the actions answer the engine's
// errors as ApiError objects, reply_to echoes the id. Its HTTP routes are tst_headwayserver's.
#include "app/core/taskengine.h"
#include "app/core/tasktyperegistry.h"
#include "app/server/synchub.h"
#include "app/server/taskapi.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
QStringList fieldNames(const QJsonObject &reply)
{
    QStringList names;
    const QJsonArray fields = reply.value(u"error"_s).toObject().value(u"fields"_s).toArray();
    for (const QJsonValue &f : fields)
        names.append(f.toObject().value(u"field"_s).toString());
    return names;
}
} // namespace

class tst_TaskApi : public QObject
{
    Q_OBJECT

private:
    TaskTypeRegistry m_registry;
    std::unique_ptr<TaskEngine> m_engine;
    SyncHub m_hub;
    std::unique_ptr<TaskApi> m_api;

private Q_SLOTS:
    void initTestCase() { registerBuiltinTaskTypes(m_registry); }

    void init()
    {
        EngineOptions options;
        options.runTasks = false; // states stay where the commands put them
        m_engine = std::make_unique<TaskEngine>(m_registry, options);
        m_api = std::make_unique<TaskApi>(*m_engine, m_hub);
    }

    void cleanup()
    {
        m_api.reset();
        m_engine.reset();
    }

    void start()
    {
        const QJsonObject reply = m_api->command(QJsonObject {
            { u"id"_s, 1 },
            { u"command"_s, u"start"_s },
            { u"type"_s, u"demo"_s },
            { u"title"_s, u"Hello"_s },
            { u"params"_s, QJsonObject { { u"steps"_s, 3 } } },
            { u"priority"_s, 5 },
        });
        QCOMPARE(reply.value(u"reply_to"_s).toInt(), 1);
        QCOMPARE(reply.value(u"ok"_s).toBool(), true);
        const QJsonObject task = reply.value(u"task"_s).toObject();
        QCOMPARE(task.value(u"title"_s).toString(), u"Hello"_s);
        QCOMPARE(task.value(u"priority"_s).toInt(), 5);
        QCOMPARE(task.value(u"state"_s).toString(), u"queued"_s);
        QVERIFY(m_engine->task(task.value(u"id"_s).toString()));
    }

    void startRefused_data()
    {
        QTest::addColumn<QJsonObject>("command");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QStringList>("fields");
        const QJsonObject base { { u"command"_s, u"start"_s }, { u"type"_s, u"demo"_s } };
        QJsonObject c = base;
        c.insert(u"type"_s, u"nope"_s);
        QTest::newRow("unknown type") << c << u"unknown_type"_s << QStringList { u"type"_s };
        c = base;
        c.remove(u"type"_s);
        QTest::newRow("no type") << c << u"invalid_request"_s << QStringList { u"type"_s };
        c = base;
        c.insert(u"priority"_s, 1.5);
        c.insert(u"max_retries"_s, 101);
        QTest::newRow("bad numbers")
            << c << u"invalid_request"_s << QStringList { u"priority"_s, u"max_retries"_s };
        c = base;
        c.insert(u"colour"_s, u"red"_s);
        c.insert(u"title"_s, 3);
        QTest::newRow("unknown field, bad title")
            << c << u"invalid_request"_s << QStringList { u"colour"_s, u"title"_s };
        c = base;
        c.insert(u"params"_s, QJsonObject { { u"steps"_s, u"many"_s } });
        QTest::newRow("bad params")
            << c << u"invalid_params"_s << QStringList { u"params.steps"_s };
    }

    void startRefused()
    {
        QFETCH(QJsonObject, command);
        QFETCH(QString, code);
        QFETCH(QStringList, fields);
        const int before = int(m_engine->tasks().size());
        const QJsonObject reply = m_api->command(command);
        QCOMPARE(reply.value(u"ok"_s).toBool(true), false);
        QCOMPARE(reply.value(u"error"_s).toObject().value(u"code"_s).toString(), code);
        QVERIFY(!reply.value(u"error"_s).toObject().value(u"message"_s).toString().isEmpty());
        QStringList names = fieldNames(reply);
        names.sort();
        fields.sort();
        QCOMPARE(names, fields);
        QCOMPARE(int(m_engine->tasks().size()), before); // nothing queued
    }

    void actions()
    {
        const QString id
            = m_api->command(QJsonObject { { u"command"_s, u"start"_s }, { u"type"_s, u"demo"_s } })
                  .value(u"task"_s)
                  .toObject()
                  .value(u"id"_s)
                  .toString();
        QVERIFY(!id.isEmpty());
        // A queued task cannot be paused: the engine's 409 as an error object.
        QJsonObject reply = m_api->command(QJsonObject {
            { u"id"_s, u"p"_s }, { u"command"_s, u"pause"_s }, { u"task_id"_s, id } });
        QCOMPARE(reply.value(u"reply_to"_s).toString(), u"p"_s);
        QCOMPARE(reply.value(u"ok"_s).toBool(true), false);
        QCOMPARE(reply.value(u"error"_s).toObject().value(u"code"_s).toString(),
                 u"invalid_transition"_s);
        reply = m_api->command(QJsonObject { { u"command"_s, u"cancel"_s }, { u"task_id"_s, id } });
        QCOMPARE(reply.value(u"ok"_s).toBool(), true);
        QCOMPARE(reply.value(u"task"_s).toObject().value(u"state"_s).toString(), u"canceled"_s);
        QCOMPARE(reply.value(u"reply_to"_s), QJsonValue()); // no id sent: null
        reply = m_api->command(
            QJsonObject { { u"command"_s, u"retry"_s }, { u"task_id"_s, u"missing"_s } });
        QCOMPARE(reply.value(u"error"_s).toObject().value(u"code"_s).toString(), u"not_found"_s);
        reply = m_api->command(QJsonObject { { u"command"_s, u"resume"_s } });
        QCOMPARE(reply.value(u"error"_s).toObject().value(u"code"_s).toString(),
                 u"invalid_request"_s);
        QCOMPARE(fieldNames(reply), QStringList { u"task_id"_s });
    }

    void unknownCommand()
    {
        const QJsonObject reply
            = m_api->command(QJsonObject { { u"id"_s, 9 }, { u"command"_s, u"explode"_s } });
        QCOMPARE(reply.value(u"reply_to"_s).toInt(), 9);
        QCOMPARE(reply.value(u"ok"_s).toBool(true), false);
        QCOMPARE(reply.value(u"error"_s).toObject().value(u"code"_s).toString(), u"bad_command"_s);
        QCOMPARE(fieldNames(reply), QStringList { u"command"_s });
    }
};

QTEST_GUILESS_MAIN(tst_TaskApi)
#include "tst_taskapi.moc"
