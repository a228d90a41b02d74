// `headway progress` / `headway run` shown in a running Headway as external tasks: real
// processes against a real `headway --headless --port 0` serving a temporary data dir.
#include "app/cli/apiclient.h"
#include "app/core/instancefile.h"
#include "progresstesthelpers.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestProgressRegistration final : public QObject
{
    Q_OBJECT

private:
    // No display (the terminal mode), and only what each test says about registering.
    QProcessEnvironment environment(const QStringList &extra = {}) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *name : { "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "HEADWAY_URL",
                                  "HEADWAY_TOKEN", "HEADWAY_DATA_DIR", "HEADWAY_NO_REGISTER" })
            env.remove(QString::fromLatin1(name));
        for (const QString &kv : extra)
            env.insert(kv.section(u'=', 0, 0), kv.section(u'=', 1));
        return env;
    }
    QJsonArray tasks(const QString &query = {})
    {
        return m_api->call("GET", u"api/v1/tasks"_s + query).object().value(u"tasks"_s).toArray();
    }
    // The one task that is not in `before`; empty unless exactly one is new.
    QJsonObject newTask(const QStringList &before)
    {
        const QJsonArray all = tasks();
        QJsonObject found;
        for (const QJsonValue &t : all) {
            if (!before.contains(t[u"id"_s].toString())) {
                if (!found.isEmpty())
                    return {}; // more than one
                found = t.toObject();
            }
        }
        return found;
    }
    QStringList taskIds()
    {
        QStringList ids;
        for (const QJsonValue &t : tasks())
            ids.append(t[u"id"_s].toString());
        return ids;
    }
    QJsonObject task(const QString &id)
    {
        return m_api->call("GET", u"api/v1/tasks/"_s + id).object();
    }
    // The one running external task once its percent reached `percent`, else empty.
    QJsonObject runningExternal(double percent)
    {
        const QJsonArray running = tasks(u"?state=running&type=external"_s);
        if (running.size() != 1
            || running.at(0)[u"progress"_s][u"percent"_s].toDouble(-1) < percent)
            return {};
        return running.at(0).toObject();
    }

    QTemporaryDir m_dir;
    QProcess m_server;
    std::unique_ptr<ApiClient> m_api;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_server.start(QStringLiteral(HEADWAY_BINARY),
                       { u"--headless"_s, u"--port"_s, u"0"_s, u"--data-dir"_s, m_dir.path() });
        QVERIFY(
            QTest::qWaitFor([&] { return InstanceFile::read(m_dir.path()).has_value(); }, 30000));
        QFile token(QDir(m_dir.path()).filePath(u"token"_s));
        QVERIFY(token.open(QIODevice::ReadOnly));
        m_api = std::make_unique<ApiClient>(
            Endpoint { InstanceFile::read(m_dir.path())->url, token.readAll().trimmed(), {} });
    }

    void cleanupTestCase()
    {
        m_api.reset();
        m_server.terminate();
        m_server.waitForFinished(30000);
    }

    void registersAndEnds_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("state");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("output");
        const QString dir = m_dir.path();
        QTest::newRow("--data-dir, stdin to EOF")
            << QStringList { u"progress"_s, u"--title=Backup"_s, u"--log"_s, u"--data-dir"_s, dir }
            << QStringList() << QByteArray("10\n#hello\nnoise\n50\n") << 0 << u"Backup"_s
            << u"succeeded"_s << u"hello"_s << u"noise"_s;
        QTest::newRow("HEADWAY_DATA_DIR, steps")
            << QStringList { u"progress"_s, u"--steps=Fetch,Install"_s }
            << QStringList { u"HEADWAY_DATA_DIR="_s + dir } << QByteArray("10\nstep:2\n#two\n") << 0
            << u"Progress"_s << u"succeeded"_s << u"two"_s << QString();
        QTest::newRow("failed command")
            << QStringList { u"progress"_s,
                             u"--data-dir"_s,
                             dir,
                             u"--"_s,
                             u"sh"_s,
                             u"-c"_s,
                             u"echo 40; echo '#half'; echo broken >&2; exit 6"_s }
            << QStringList() << QByteArray() << 6 << u"Progress"_s << u"failed"_s << u"half"_s
            << u"broken"_s;
    }

    void registersAndEnds()
    {
        QFETCH(QStringList, args);
        QFETCH(QStringList, env);
        QFETCH(QByteArray, input);
        QFETCH(int, status);
        QFETCH(QString, title);
        QFETCH(QString, state);
        QFETCH(QString, message);
        QFETCH(QString, output);
        const QStringList before = taskIds();
        const HeadwayRun r = runHeadway(environment(env), args, input);
        QCOMPARE(r.status, status);
        QVERIFY2(!r.err.contains("not shown in Headway"), r.err.constData());
        // end() waited for /finish: the task has ended when the process has.
        const QJsonObject t = task(newTask(before)[u"id"_s].toString());
        QCOMPARE(t[u"type"_s].toString(), u"external"_s);
        QCOMPARE(t[u"title"_s].toString(), title);
        QCOMPARE(t[u"state"_s].toString(), state);
        QCOMPARE(t[u"progress"_s][u"message"_s].toString(), message);
        if (state == u"succeeded")
            QCOMPARE(t[u"progress"_s][u"percent"_s].toDouble(), 100.0);
        else
            QVERIFY2(t[u"error"_s][u"message"_s].toString().contains(u"status 6"),
                     qPrintable(t[u"error"_s][u"message"_s].toString()));
        if (args.contains(u"--steps=Fetch,Install"_s)) {
            QCOMPARE(t[u"progress"_s][u"steps"_s].toArray(),
                     QJsonArray({ u"Fetch"_s, u"Install"_s }));
            QCOMPARE(t[u"progress"_s][u"step"_s].toInt(), 1);
        }
        QVERIFY2(t[u"output"_s].toString().contains(output), qPrintable(t[u"output"_s].toString()));
    }

    void installerRegisters()
    {
        QTemporaryDir dir;
        const QString manifest
            = writeManifest(dir, u"m.json"_s, R"({"title": "Install Demo", "steps": [
            {"label": "Unpack", "type": "command", "params": {"program": "sh", "arguments": ["-c", "echo unpacked"]}},
            {"label": "Configure", "type": "command", "params": {"program": "true"}}]})");
        QVERIFY(!manifest.isEmpty());
        const QStringList before = taskIds();
        const HeadwayRun r
            = runHeadway(environment(), { u"run"_s, u"--data-dir"_s, m_dir.path(), manifest });
        QCOMPARE(r.status, 0);
        const QJsonObject t = task(newTask(before)[u"id"_s].toString());
        QCOMPARE(t[u"type"_s].toString(), u"external"_s);
        QCOMPARE(t[u"title"_s].toString(), u"Install Demo"_s);
        QCOMPARE(t[u"state"_s].toString(), u"succeeded"_s);
        QCOMPARE(t[u"progress"_s][u"steps"_s].toArray(),
                 QJsonArray({ u"Unpack"_s, u"Configure"_s }));
    }

    // Cancel in Headway (here: the API, as the window, the page and `headway cancel` do) is
    // Cancel in `headway progress`: the command's process group is stopped, exit status 1.
    void cancelFromHeadway()
    {
        QTemporaryDir dir;
        const QString pidFile = dir.filePath(u"pid"_s);
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(QStringLiteral(HEADWAY_BINARY),
                { u"progress"_s, u"--data-dir"_s, m_dir.path(), u"--"_s, u"sh"_s, u"-c"_s,
                  u"echo $$ > '%1'; echo 20; exec sleep 600"_s.arg(pidFile) });
        QVERIFY(p.waitForStarted());
        QJsonObject running;
        QTRY_VERIFY_WITH_TIMEOUT(!(running = runningExternal(20)).isEmpty(), 30000);
        QFile file(pidFile);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const qint64 command = file.readAll().trimmed().toLongLong();
        QVERIFY(command > 0);
        QVERIFY(!processGone(command));
        const ApiClient::Answer canceled
            = m_api->call("POST", u"api/v1/tasks/%1/cancel"_s.arg(running[u"id"_s].toString()));
        QCOMPARE(canceled.status, 200);
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(processGone(command));
        QCOMPARE(task(running[u"id"_s].toString())[u"state"_s].toString(), u"canceled"_s);
    }

    // And the other way round: Cancel (here SIGTERM) cancels the task in Headway.
    void cancelHere()
    {
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(QStringLiteral(HEADWAY_BINARY),
                { u"progress"_s, u"--data-dir"_s, m_dir.path(), u"--"_s, u"sh"_s, u"-c"_s,
                  u"echo 30; exec sleep 600"_s });
        QVERIFY(p.waitForStarted());
        QJsonObject running;
        QTRY_VERIFY_WITH_TIMEOUT(!(running = runningExternal(30)).isEmpty(), 30000);
        p.terminate();
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 1);
        QCOMPARE(task(running[u"id"_s].toString())[u"state"_s].toString(), u"canceled"_s);
    }

    void registersNothing_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("env");
        const QString dir = m_dir.path();
        QTest::newRow("--no-register")
            << QStringList { u"progress"_s, u"--no-register"_s, u"--data-dir"_s, dir }
            << QStringList();
        QTest::newRow("HEADWAY_NO_REGISTER=1")
            << QStringList { u"progress"_s, u"--data-dir"_s, dir }
            << QStringList { u"HEADWAY_NO_REGISTER=1"_s };
        QTest::newRow("run --no-register")
            << QStringList { u"run"_s, u"--no-register"_s, u"--data-dir"_s, dir } << QStringList();
        // No Headway serves this one: the progress goes on, nothing said about registering.
        QTest::newRow("no Headway running")
            << QStringList { u"progress"_s, u"--data-dir"_s, dir + u"/elsewhere"_s }
            << QStringList();
    }

    void registersNothing()
    {
        QFETCH(QStringList, args);
        QFETCH(QStringList, env);
        QTemporaryDir dir;
        if (args.first() == u"run") {
            const QString manifest = writeManifest(dir, u"m.json"_s, R"({"title": "T", "steps": [
                {"label": "A", "type": "command", "params": {"program": "true"}}]})");
            QVERIFY(!manifest.isEmpty());
            args.append(manifest);
        }
        const QStringList before = taskIds();
        const HeadwayRun r = runHeadway(environment(env), args, "10\n#quiet\n");
        QCOMPARE(r.status, 0);
        QVERIFY2(!r.err.contains("Headway"), r.err.constData());
        QCOMPARE(taskIds(), before);
    }
};

QTEST_GUILESS_MAIN(TestProgressRegistration)
#include "tst_progressregistration.moc"
