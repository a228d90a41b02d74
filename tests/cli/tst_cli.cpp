// `headway SUBCOMMAND ...` as a user or a script runs it: real processes against a real
// `headway --headless --port 0` serving a temporary data dir.
#include "app/core/instancefile.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

namespace {
struct Run
{
    int status = -1;
    QString out;
    QString err;
};
} // namespace

class tst_Cli final : public QObject
{
    Q_OBJECT

private:
    static QString bin() { return qEnvironmentVariable("HEADWAY_BIN"); }

    // Runs `headway ARGS` to its end (a client never waits for more than a task it was given).
    Run run(const QStringList &args, const QStringList &env = {}, bool withDataDir = true)
    {
        QProcess p;
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.remove(u"HEADWAY_URL"_s);
        e.remove(u"HEADWAY_TOKEN"_s);
        e.remove(u"HEADWAY_DATA_DIR"_s);
        e.insert(u"NO_COLOR"_s, u"1"_s);
        for (const QString &kv : env)
            e.insert(kv.section(u'=', 0, 0), kv.section(u'=', 1));
        p.setProcessEnvironment(e);
        QStringList all = args;
        if (withDataDir)
            all << u"--data-dir"_s << m_dir.path();
        p.start(bin(), all);
        p.closeWriteChannel();
        if (!p.waitForFinished(60000))
            qWarning() << "did not end:" << all;
        return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                 QString::fromUtf8(p.readAllStandardOutput()),
                 QString::fromUtf8(p.readAllStandardError()) };
    }
    QString submitDemo(const QStringList &params)
    {
        QStringList args { u"submit"_s, u"demo"_s };
        for (const QString &p : params)
            args << u"--param"_s << p;
        const Run r = run(args);
        if (r.status != 0)
            qWarning() << r.err;
        return r.out.trimmed();
    }
    QJsonObject taskJson(const QString &id)
    {
        return QJsonDocument::fromJson(run({ u"show"_s, id, u"--json"_s }).out.toUtf8()).object();
    }
    int taskCount()
    {
        return int(
            QJsonDocument::fromJson(run({ u"list"_s, u"--json"_s }).out.toUtf8()).array().size());
    }
    // Starts `headway --headless --port 0` for dir and waits for its instance file.
    static bool startServer(QProcess &server, const QString &dir)
    {
        server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        server.start(bin(),
                     { u"--headless"_s, u"--port"_s, u"0"_s, u"--data-dir"_s, dir,
                       u"--concurrency"_s, u"2"_s });
        return QTest::qWaitFor([&] { return InstanceFile::read(dir).has_value(); }, 30000);
    }
    static void stopServer(QProcess &server)
    {
        server.terminate();
        server.waitForFinished(30000);
    }

    QTemporaryDir m_dir;
    QProcess m_server;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(bin()).isExecutable(), "HEADWAY_BIN must name the headway binary");
        QVERIFY(m_dir.isValid());
        QVERIFY(startServer(m_server, m_dir.path()));
    }

    void cleanupTestCase()
    {
        stopServer(m_server);
        // A clean exit takes its instance file with it.
        QVERIFY(!QFile::exists(InstanceFile::path(m_dir.path())));
    }

    void instanceFile()
    {
        QFile file(InstanceFile::path(m_dir.path()));
        QVERIFY(file.open(QIODevice::ReadOnly));
        // The owner reads and writes it, nobody else anything.
        const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup
            | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::WriteOther
            | QFileDevice::ExeOther;
        QVERIFY(file.permissions().testFlags(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        QCOMPARE(file.permissions() & others, QFileDevice::Permissions());
        const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(json.value(u"pid"_s).toInteger(), m_server.processId());
        QVERIFY(json.value(u"url"_s).toString().startsWith(u"http://127.0.0.1:"));
        QVERIFY(!json.value(u"url"_s).toString().contains(u"token"));
        QVERIFY(!json.value(u"version"_s).toString().isEmpty());
        QVERIFY(QDateTime::fromString(json.value(u"started"_s).toString(), Qt::ISODateWithMs)
                    .isValid());
    }

    void badArguments_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown word") << QStringList { u"submitt"_s } << u"Unknown command"_s;
        QTest::newRow("unknown server option")
            << QStringList { u"--prot"_s, u"1"_s } << u"Unknown option 'prot'"_s;
        QTest::newRow("unknown subcommand option")
            << QStringList { u"list"_s, u"--bogus"_s } << u"Unknown option 'bogus'"_s;
        QTest::newRow("submit without type") << QStringList { u"submit"_s } << u"Missing TYPE"_s;
        QTest::newRow("show without id") << QStringList { u"show"_s } << u"Missing ID"_s;
        QTest::newRow("help for nothing")
            << QStringList { u"help"_s, u"nothing"_s } << u"Unknown command"_s;
        QTest::newRow("unknown type")
            << QStringList { u"submit"_s, u"nope"_s } << u"Unknown task type \"nope\""_s;
        QTest::newRow("param of the wrong type")
            << QStringList { u"submit"_s, u"demo"_s, u"--param"_s, u"steps=many"_s }
            << u"--param steps=many: must be a whole number"_s;
        QTest::newRow("unknown param")
            << QStringList { u"submit"_s, u"demo"_s, u"--param"_s, u"colour=red"_s }
            << u"no parameter \"colour\""_s;
        QTest::newRow("param out of range (the server says)")
            << QStringList { u"submit"_s, u"demo"_s, u"--param"_s, u"steps=-3"_s } << u"steps"_s;
        QTest::newRow("params not JSON")
            << QStringList { u"submit"_s, u"demo"_s, u"--params"_s, u"{steps"_s }
            << u"--params must be a JSON object"_s;
        QTest::newRow("params file missing")
            << QStringList { u"submit"_s, u"demo"_s, u"--params"_s, u"@/nonexistent/p.json"_s }
            << u"cannot read"_s;
        QTest::newRow("unknown id") << QStringList { u"show"_s, u"zzzz"_s } << u"No task zzzz"_s;
    }

    void badArguments()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const int before = taskCount();
        const Run r = run(args, {}, args.first() != u"help");
        QCOMPARE(r.status, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(!r.err.contains(u'\n') || r.err.count(u'\n') <= 3); // a line or so, no dump
        QCOMPARE(taskCount(), before); // nothing queued, no second Headway
    }

    void submitWaitExitsWithOutcome_data()
    {
        QTest::addColumn<QStringList>("params");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("last");
        QTest::newRow("succeeds") << QStringList { u"steps=3"_s, u"delay_ms=20"_s } << 0
                                  << u"succeeded"_s;
        QTest::newRow("fails") << QStringList { u"steps=3"_s, u"delay_ms=20"_s,
                                                u"fail_at_step=2"_s }
                               << 1 << u"failed"_s;
    }

    void submitWaitExitsWithOutcome()
    {
        QFETCH(QStringList, params);
        QFETCH(int, status);
        QFETCH(QString, last);
        QStringList args { u"submit"_s, u"demo"_s, u"--wait"_s };
        for (const QString &p : params)
            args << u"--param"_s << p;
        const Run r = run(args);
        QCOMPARE(r.status, status);
        // Not a terminal: plain lines, one per change, no escape sequences.
        const QStringList lines = r.out.trimmed().split(u'\n');
        QVERIFY2(lines.last().contains(u' ' + last + u' '), qPrintable(r.out));
        QVERIFY(!r.out.contains(u"\x1b"_s));
    }

    void submitJsonAndShow()
    {
        const Run r = run({ u"submit"_s, u"demo"_s, u"--param"_s, u"steps=1"_s, u"--param"_s,
                            u"delay_ms=1"_s, u"--title"_s, u"Tiny"_s, u"--json"_s });
        QCOMPARE(r.status, 0);
        const QJsonObject task = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(task.value(u"type"_s).toString(), u"demo"_s);
        QCOMPARE(task.value(u"title"_s).toString(), u"Tiny"_s);
        QCOMPARE(task.value(u"params"_s).toObject().value(u"steps"_s).toInt(), 1);
        QVERIFY(task.value(u"actions"_s).isArray());
        const QString id = task.value(u"id"_s).toString();
        QCOMPARE(run({ u"wait"_s, id }).status, 0);
        // By a unique prefix too, as `list` shows ids.
        const Run shown = run({ u"show"_s, id.left(8) });
        QCOMPARE(shown.status, 0);
        QVERIFY(shown.out.contains(u"succeeded"_s));
        QVERIFY(shown.out.contains(id));
        QCOMPARE(taskJson(id.left(8)).value(u"state"_s).toString(), u"succeeded"_s);
    }

    void listAndFilters()
    {
        const QString id = submitDemo({ u"steps=1"_s, u"delay_ms=1"_s });
        QCOMPARE(run({ u"wait"_s, id }).status, 0);
        const Run table = run({ u"list"_s });
        QCOMPARE(table.status, 0);
        QVERIFY(table.out.startsWith(u"ID"_s));
        QVERIFY(table.out.contains(id.left(8)));
        const QJsonArray done
            = QJsonDocument::fromJson(
                  run({ u"list"_s, u"--state"_s, u"succeeded"_s, u"--json"_s }).out.toUtf8())
                  .array();
        QVERIFY(!done.isEmpty());
        for (const QJsonValue &t : done)
            QCOMPARE(t.toObject().value(u"state"_s).toString(), u"succeeded"_s);
        QCOMPARE(run({ u"list"_s, u"--type"_s, u"copy"_s }).out.trimmed(), u"No tasks."_s);
        QCOMPARE(run({ u"list"_s, u"--state"_s, u"sleepy"_s }).status, 2);
    }

    void controlCommands()
    {
        const QString id = submitDemo({ u"steps=1000"_s, u"delay_ms=1000"_s });
        QTRY_COMPARE_WITH_TIMEOUT(taskJson(id).value(u"state"_s).toString(), u"running"_s, 20000);
        QCOMPARE(run({ u"pause"_s, id }).status, 0);
        QCOMPARE(taskJson(id).value(u"state"_s).toString(), u"paused"_s);
        QCOMPARE(run({ u"resume"_s, id }).status, 0);
        const Run cancel = run({ u"cancel"_s, id });
        QCOMPARE(cancel.status, 0);
        QVERIFY(cancel.out.contains(id.left(8)));
        QCOMPARE(run({ u"wait"_s, id }).status, 3); // canceled
        // Refused actions are explained, with what the task allows.
        const Run pause = run({ u"pause"_s, id });
        QCOMPARE(pause.status, 2);
        QVERIFY2(pause.err.contains(u"It allows: retry, remove."_s), qPrintable(pause.err));
        QCOMPARE(run({ u"retry"_s, id }).status, 0);
        QCOMPARE(run({ u"cancel"_s, id }).status, 0);
        QCOMPARE(run({ u"wait"_s, id }).status, 3);
        QCOMPARE(run({ u"remove"_s, id }).status, 0);
        QCOMPARE(run({ u"remove"_s, id }).status, 2);
    }

    void watchOnAPipeWritesLines()
    {
        const QString a = submitDemo({ u"steps=3"_s, u"delay_ms=30"_s });
        const QString b = submitDemo({ u"steps=2"_s, u"delay_ms=30"_s, u"fail_at_step=1"_s });
        const Run r = run({ u"watch"_s, a, b });
        QCOMPARE(r.status, 1); // one of them failed
        QVERIFY(!r.out.contains(u"\x1b"_s));
        QVERIFY(r.out.contains(a.left(8) + u" succeeded"_s));
        QVERIFY(r.out.contains(b.left(8) + u" failed"_s));
        // --json: the API's task objects, one per line.
        const Run json = run({ u"watch"_s, a, u"--json"_s });
        QCOMPARE(json.status, 0);
        for (const QString &line : json.out.trimmed().split(u'\n'))
            QCOMPARE(QJsonDocument::fromJson(line.toUtf8()).object().value(u"id"_s).toString(), a);
    }

    void watchOnATerminalRedraws()
    {
        const QString id = submitDemo({ u"steps=4"_s, u"delay_ms=150"_s });
        // script(1) gives `headway watch` a pseudo-terminal; its output comes back here.
        QProcess script;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"COLUMNS"_s, u"100"_s);
        env.remove(u"NO_COLOR"_s);
        env.insert(u"TERM"_s, u"xterm"_s);
        script.setProcessEnvironment(env);
        const QString command = u"'%1' watch %2 --data-dir '%3'"_s.arg(bin(), id, m_dir.path());
        script.start(u"script"_s, { u"-q"_s, u"-e"_s, u"-c"_s, command, u"/dev/null"_s });
        QVERIFY(script.waitForFinished(60000));
        QCOMPARE(script.exitCode(), 0);
        const QString out = QString::fromUtf8(script.readAllStandardOutput());
        QVERIFY2(out.contains(u"\x1b[1A"_s), qPrintable(out)); // back up to redraw in place
        QVERIFY(out.contains(u"\r\x1b[2K"_s));
        QVERIFY(out.contains(u"\x1b[32m"_s)); // succeeded in green
        QVERIFY(out.contains(u"100%"_s));
        for (const QString &line : out.split(u'\n'))
            QVERIFY2(line.size() <= 100 + 40, qPrintable(line)); // the width (plus escapes)
    }

    void waitForSeveral()
    {
        const QString a = submitDemo({ u"steps=1"_s, u"delay_ms=1"_s });
        const QString b = submitDemo({ u"steps=2"_s, u"delay_ms=1"_s });
        const Run r = run({ u"wait"_s, a, b });
        QCOMPARE(r.status, 0);
        QVERIFY(r.out.isEmpty());
    }

    void environmentAndUrl()
    {
        // HEADWAY_DATA_DIR instead of --data-dir.
        QCOMPARE(run({ u"list"_s }, { u"HEADWAY_DATA_DIR="_s + m_dir.path() }, false).status, 0);
        // --url with --token-file, and HEADWAY_URL with HEADWAY_TOKEN (another machine's way).
        const QString url = InstanceFile::read(m_dir.path())->url.toString();
        const QString tokenFile = QDir(m_dir.path()).filePath(u"token"_s);
        QCOMPARE(
            run({ u"list"_s, u"--url"_s, url, u"--token-file"_s, tokenFile }, {}, false).status, 0);
        QFile file(tokenFile);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString token = QString::fromLatin1(file.readAll().trimmed());
        QCOMPARE(run({ u"list"_s }, { u"HEADWAY_URL="_s + url, u"HEADWAY_TOKEN="_s + token }, false)
                     .status,
                 0);
        // A wrong token, an address where nothing answers: 4.
        const Run refused
            = run({ u"list"_s }, { u"HEADWAY_URL="_s + url, u"HEADWAY_TOKEN=wrong"_s }, false);
        QCOMPARE(refused.status, 4);
        QVERIFY(refused.err.contains(u"refused the token"_s));
        const Run nobody = run({ u"list"_s, u"--url"_s, u"http://127.0.0.1:1/"_s },
                               { u"HEADWAY_TOKEN=x"_s }, false);
        QCOMPARE(nobody.status, 4);
        QVERIFY(nobody.err.contains(u"Cannot reach Headway"_s));
    }

    void noHeadwayAndStaleInstanceFile()
    {
        QTemporaryDir empty;
        const Run none = run({ u"list"_s, u"--data-dir"_s, empty.path() }, {}, false);
        QCOMPARE(none.status, 4);
        QVERIFY(none.err.contains(u"headway --headless"_s));
        QCOMPARE(none.err.count(u'\n'), 1);
        // A file left by a Headway that crashed: its process is gone, so it is ignored.
        QProcess gone;
        gone.start(u"true"_s, QStringList());
        QVERIFY(gone.waitForFinished());
        const qint64 deadPid = gone.processId() > 0 ? gone.processId() : 999999;
        InstanceFile::Info stale { QUrl(u"http://127.0.0.1:1/"_s), deadPid, u"0"_s,
                                   QDateTime::currentDateTimeUtc() };
        QVERIFY(InstanceFile::write(empty.path(), stale, nullptr));
        QVERIFY(!InstanceFile::read(empty.path()));
        QCOMPARE(run({ u"list"_s, u"--data-dir"_s, empty.path() }, {}, false).status, 4);
        // A Headway started there replaces it.
        QProcess server;
        QVERIFY(startServer(server, empty.path()));
        QCOMPARE(InstanceFile::read(empty.path())->pid, server.processId());
        QCOMPARE(run({ u"list"_s, u"--data-dir"_s, empty.path() }, {}, false).status, 0);
        stopServer(server);
        QVERIFY(!QFile::exists(InstanceFile::path(empty.path())));
    }

    void startOption()
    {
        QTemporaryDir fresh;
        const Run r = run({ u"list"_s, u"--start"_s, u"--data-dir"_s, fresh.path() }, {}, false);
        QCOMPARE(r.status, 0);
        const std::optional<InstanceFile::Info> started = InstanceFile::read(fresh.path());
        QVERIFY(started);
        QVERIFY(QFile::exists(QDir(fresh.path()).filePath(u"headway.log"_s)));
        // Stop the detached Headway it started; it removes its instance file on the way out.
        ::kill(pid_t(started->pid), SIGTERM);
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(InstanceFile::path(fresh.path())), 30000);
    }

    void openUsesTheBrowser()
    {
        QTemporaryDir dir;
        const QString browser = QDir(dir.path()).filePath(u"browser"_s);
        const QString opened = QDir(dir.path()).filePath(u"opened"_s);
        QFile script(browser);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/sh\necho \"$1\" > '" + opened.toUtf8() + "'\n");
        script.close();
        script.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner
                              | QFileDevice::ExeOwner);
        QCOMPARE(run({ u"open"_s }, { u"BROWSER="_s + browser }).status, 0);
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(opened).size() > 0, 20000);
        QFile file(opened);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString url = QString::fromUtf8(file.readAll()).trimmed();
        QVERIFY(url.startsWith(InstanceFile::read(m_dir.path())->url.toString()));
        QVERIFY(url.contains(u"?login="_s));
        QVERIFY(!url.contains(u"token"_s));
        QFile tokenFile(QDir(m_dir.path()).filePath(u"token"_s));
        QVERIFY(tokenFile.open(QIODevice::ReadOnly));
        QVERIFY(!url.contains(QString::fromLatin1(tokenFile.readAll().trimmed())));
    }

    void helpForEverySubcommand_data()
    {
        QTest::addColumn<QString>("command");
        for (const char *c : { "submit", "list", "show", "watch", "wait", "cancel", "pause",
                               "resume", "retry", "remove", "open", "help" })
            QTest::newRow(c) << QString::fromLatin1(c);
    }

    void helpForEverySubcommand()
    {
        QFETCH(QString, command);
        const Run viaHelp = run({ u"help"_s, command }, {}, false);
        QCOMPARE(viaHelp.status, 0);
        QVERIFY2(viaHelp.out.contains(u"Usage: headway "_s + command), qPrintable(viaHelp.out));
        const Run viaOption = run({ command, u"--help"_s }, {}, false);
        QCOMPARE(viaOption.status, 0);
        QCOMPARE(viaOption.out, viaHelp.out);
        const Run overview = run({ u"help"_s }, {}, false);
        QVERIFY(overview.out.contains(u"  "_s + command + u' '));
        QVERIFY(overview.out.contains(u"Exit status"_s));
    }
};

QTEST_GUILESS_MAIN(tst_Cli)
#include "tst_cli.moc"
