#include "progresstesthelpers.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
// No display: the terminal mode, which must work without any. Nothing shown in a Headway the
// user may be running (tst_progressregistration tests that).
QProcessEnvironment noDisplay()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"DISPLAY"_s);
    env.remove(u"WAYLAND_DISPLAY"_s);
    env.remove(u"QT_QPA_PLATFORM"_s);
    env.insert(u"HEADWAY_NO_REGISTER"_s, u"1"_s);
    return env;
}

HeadwayRun runHeadway(const QStringList &args, const QByteArray &input = {})
{
    return runHeadway(noDisplay(), args, input);
}

QByteArray threeSteps(const QByteArray &third)
{
    return R"({"title": "Install Demo", "finish_text": "Demo is installed.", "steps": [
        {"label": "Download", "type": "command", "params": {"program": "sh", "arguments": ["-c", "echo 50; echo fetched"]}},
        {"label": "Unpack", "type": "command", "params": {"program": "true"}},
        {"label": "Configure", "type": "command", "params": {"program": "sh", "arguments": ["-c", ")"
        + third + R"("]}}]})";
}
} // namespace

// The headway binary's `progress` and `run` subcommands without a display: plain lines on a
// pipe, a bar redrawn in place on a pseudo-terminal, --json on stdout, and the exit statuses.
class TestProgressCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exitStatus_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("stderrHas");
        QTest::newRow("zenity loop to EOF")
            << QStringList { u"progress"_s } << QByteArray("10\n# Copying\n50\n100\n") << 0
            << u"50%  Copying"_s;
        QTest::newRow("early EOF") << QStringList { u"progress"_s, u"--fail-on-early-eof"_s }
                                   << QByteArray("30\n") << 3 << u"The input ended at 30 %"_s;
        QTest::newRow("unknown option") << QStringList { u"progress"_s, u"--colour=red"_s }
                                        << QByteArray() << 2 << u"unknown option --colour"_s;
        QTest::newRow("cannot run") << QStringList { u"progress"_s, u"--"_s, u"/nonexistent/x"_s }
                                    << QByteArray() << 127 << u"cannot run /nonexistent/x"_s;
        QTest::newRow("command status") << QStringList { u"progress"_s, u"--"_s, u"sh"_s, u"-c"_s,
                                                         u"echo 40; echo bad >&2; exit 6"_s }
                                        << QByteArray() << 6 << u"bad"_s;
        QTest::newRow("apt lines") << QStringList {
            u"progress"_s, u"--parse=apt"_s, u"--"_s, u"printf"_s,
            u"dlstatus:1:0.0000:Retrieving file 1 of 2\npmstatus:xdotool:80.0000:Installed xdotool (amd64)\n"_s
        } << QByteArray() << 0 << u"80%  Installed xdotool (amd64)"_s;
        QTest::newRow("timeout") << QStringList { u"progress"_s, u"--timeout=1"_s, u"--"_s,
                                                  u"sleep"_s, u"600"_s }
                                 << QByteArray() << 5 << QString();
    }

    void exitStatus()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, input);
        QFETCH(int, status);
        QFETCH(QString, stderrHas);
        const HeadwayRun r = runHeadway(args, input);
        QCOMPARE(r.status, status);
        QVERIFY2(QString::fromUtf8(r.err).contains(stderrHas), r.err.constData());
        QVERIFY(!r.err.contains('\r')); // a pipe gets plain lines, never redraws
    }

    void json()
    {
        const HeadwayRun r
            = runHeadway({ u"progress"_s, u"--json"_s, u"--log"_s }, "20\n# Half\nnoise\n100\n");
        QCOMPARE(r.status, 0);
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QVERIFY(lines.size() >= 3);
        bool sawLog = false;
        for (const QByteArray &line : lines) {
            QJsonParseError e;
            const QJsonObject o = QJsonDocument::fromJson(line, &e).object();
            QCOMPARE(e.error, QJsonParseError::NoError);
            sawLog = sawLog || o.value(u"log"_s).toString() == u"noise";
        }
        QVERIFY(sawLog);
        const QJsonObject last = QJsonDocument::fromJson(lines.constLast()).object();
        QCOMPARE(last.value(u"exit"_s).toInt(-1), 0);
        QCOMPARE(last.value(u"state"_s).toString(), u"succeeded"_s);
        QCOMPARE(last.value(u"percent"_s).toDouble(), 100.0);
        QCOMPARE(last.value(u"text"_s).toString(), u"Half"_s);
    }

    // On a terminal the bar is drawn in place (carriage returns, erase sequences). script(1)
    // gives the command a pseudo-terminal.
    void terminalBar()
    {
        const QString command
            = u"printf '30\\n# Copying\\n60\\n' | '%1' progress --steps A,B"_s.arg(
                QStringLiteral(HEADWAY_BINARY));
        QProcess p;
        p.setProcessEnvironment(noDisplay());
        p.start(u"script"_s, { u"-qfec"_s, command, u"/dev/null"_s });
        QVERIFY(p.waitForStarted());
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const QByteArray out = p.readAllStandardOutput();
        QVERIFY2(out.contains("\x1b[J"), out.constData());
        QVERIFY2(out.contains("[####"), out.constData());
        QVERIFY2(out.contains("100 %"), out.constData());
        QVERIFY2(out.contains("Copying"), out.constData());
    }

    void runManifest_data()
    {
        QTest::addColumn<QByteArray>("third");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("stderrHas");
        QTest::newRow("success") << QByteArray("echo configured") << 0 << u"Demo is installed."_s;
        QTest::newRow("failure") << QByteArray("echo no disk >&2; exit 3") << 1
                                 << u"Step 3 of 3 (Configure) failed"_s;
    }

    void runManifest()
    {
        QFETCH(QByteArray, third);
        QFETCH(int, status);
        QFETCH(QString, stderrHas);
        QTemporaryDir dir;
        const QString manifest = writeManifest(dir, u"m.json"_s, threeSteps(third));
        const HeadwayRun r = runHeadway({ u"run"_s, manifest });
        QCOMPARE(r.status, status);
        QVERIFY2(QString::fromUtf8(r.err).contains(stderrHas), r.err.constData());
        QVERIFY2(r.err.contains("fetched"), r.err.constData()); // the steps' output
    }

    void runCancel()
    {
        QTemporaryDir dir;
        const QString manifest
            = writeManifest(dir, u"m.json"_s, threeSteps("echo 20; echo waiting; exec sleep 600"));
        QProcess p;
        p.setProcessEnvironment(noDisplay());
        p.start(QStringLiteral(HEADWAY_BINARY), { u"run"_s, manifest });
        QVERIFY(p.waitForStarted());
        QByteArray err;
        QTRY_VERIFY_WITH_TIMEOUT((err += p.readAllStandardError()).contains("waiting"), 30000);
        p.terminate(); // SIGTERM: Cancel
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 3);
    }

    void runBadManifest()
    {
        QTemporaryDir dir;
        const QString manifest = writeManifest(dir, u"bad.json"_s, R"({"title": 5, "colour": "red",
            "confirm_cancel": "yes", "steps": [{"type": "command", "params": {}}, {"type": "nope"}]})");
        const HeadwayRun r = runHeadway({ u"run"_s, manifest });
        QCOMPARE(r.status, 2);
        const QString err = QString::fromUtf8(r.err);
        for (const QString &field : { u"title:"_s, u"colour:"_s, u"confirm_cancel:"_s,
                                      u"steps[0].params.program"_s, u"steps[1].type"_s })
            QVERIFY2(err.contains(field), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestProgressCli)
#include "tst_progresscli.moc"
