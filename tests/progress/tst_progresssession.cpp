#include "app/progress/progresssession.h"
#include "tests/progress/progresstesthelpers.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {
// A pipe whose read end is the session's stdin.
struct Pipe
{
    int fds[2] = { -1, -1 };
    Pipe() { QVERIFY(::pipe(fds) == 0); }
    ~Pipe()
    {
        closeWrite();
        ::close(fds[0]);
    }
    void write(const QByteArray &data)
    {
        QCOMPARE(::write(fds[1], data.constData(), data.size()), data.size());
    }
    void closeWrite()
    {
        if (fds[1] >= 0)
            ::close(fds[1]);
        fds[1] = -1;
    }
};

} // namespace

// The session's exit status rules without a window: stdin fed through a pipe, commands run for
// real (sh), cancel checked on the whole process group.
class TestProgressSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stdinStatus_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<bool>("closeInput");
        QTest::addColumn<int>("status"); // -1: still waiting for OK
        QTest::addColumn<bool>("acceptable"); // OK enabled (auto-close exits instead)
        QTest::newRow("100 with auto-close")
            << QStringList { u"--auto-close"_s } << QByteArray("10\n100\n") << false << 0 << false;
        QTest::newRow("100 without auto-close enables OK")
            << QStringList {} << QByteArray("10\n100\n") << false << -1 << true;
        QTest::newRow("EOF fills and enables OK")
            << QStringList {} << QByteArray("30\n") << true << -1 << true;
        QTest::newRow("EOF with auto-close")
            << QStringList { u"--auto-close"_s } << QByteArray("30\n") << true << 0 << false;
        QTest::newRow("pulsate until EOF with auto-close")
            << QStringList { u"--pulsate"_s, u"--auto-close"_s } << QByteArray("# working\n")
            << true << 0 << false;
        QTest::newRow("early EOF fails")
            << QStringList { u"--fail-on-early-eof"_s } << QByteArray("30\n") << true << 3 << false;
        QTest::newRow("EOF at 100 with fail-on-early-eof")
            << QStringList { u"--fail-on-early-eof"_s } << QByteArray("100") << true << -1 << true;
        QTest::newRow("running") << QStringList {} << QByteArray("50\n") << false << -1 << false;
    }

    void stdinStatus()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, input);
        QFETCH(bool, closeInput);
        QFETCH(int, status);
        QFETCH(bool, acceptable);
        Pipe pipe;
        ProgressSession session(progressOptions(args));
        QSignalSpy finished(&session, &ProgressSession::finished);
        QSignalSpy changed(&session.model(), &ProgressModel::changed);
        QString error;
        QVERIFY(session.start(&error, pipe.fds[0]));
        pipe.write(input);
        if (closeInput)
            pipe.closeWrite();
        if (status >= 0) {
            QTRY_COMPARE(finished.size(), 1);
            QCOMPARE(finished.at(0).at(0).toInt(), status);
        } else {
            QTRY_COMPARE(session.canAccept(), acceptable);
            if (!acceptable)
                QTRY_COMPARE(session.model().overallPercent(), 50.0);
            QCOMPARE(finished.size(), 0);
            session.accept();
            QCOMPARE(finished.size(), acceptable ? 1 : 0);
            if (acceptable)
                QCOMPARE(finished.at(0).at(0).toInt(), 0);
        }
        QCOMPARE(session.canAccept(), acceptable);
    }

    void textAndSteps()
    {
        Pipe pipe;
        ProgressSession session(progressOptions({ u"--steps=Download,Unpack"_s, u"--log"_s }));
        QString error;
        QVERIFY(session.start(&error, pipe.fds[0]));
        pipe.write("# Tom & <Jerry>\nstep:Unpack\n42%\nnot a progress line\n");
        QTRY_COMPARE(session.model().overallPercent(), 42.0);
        QCOMPARE(session.model().text(), u"Tom & <Jerry>"_s);
        QCOMPARE(session.model().step(), 1);
        QTRY_COMPARE(session.model().log(), QStringList { u"not a progress line"_s });
    }

    void cancelAndAutoKill()
    {
        // --auto-kill's SIGHUP goes to a stand-in for the parent shell.
        QProcess parent;
        parent.start(u"sleep"_s, { u"600"_s });
        QVERIFY(parent.waitForStarted());
        Pipe pipe;
        ProgressSession session(progressOptions({ u"--auto-kill"_s }));
        session.setAutoKillTarget(parent.processId());
        QSignalSpy finished(&session, &ProgressSession::finished);
        QString error;
        QVERIFY(session.start(&error, pipe.fds[0]));
        session.cancel();
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.at(0).at(0).toInt(), 1);
        QVERIFY(parent.waitForFinished(10000));
        QCOMPARE(parent.exitStatus(), QProcess::CrashExit);
        QCOMPARE(parent.exitCode(), SIGHUP);
    }

    void timeout()
    {
        Pipe pipe;
        ProgressSession session(progressOptions({ u"--timeout=1"_s }));
        QSignalSpy finished(&session, &ProgressSession::finished);
        QString error;
        QVERIFY(session.start(&error, pipe.fds[0]));
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.at(0).at(0).toInt(), 5);
    }

    void commandStatus_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<bool>("autoClose");
        QTest::addColumn<int>("status");
        QTest::newRow("success") << u"echo 50; echo '# half'; echo 100"_s << true << 0;
        QTest::newRow("failure status") << u"echo 50; echo broken >&2; exit 4"_s << true << 4;
        QTest::newRow("failure waits for OK") << u"exit 7"_s << false << 7;
        QTest::newRow("killed by a signal") << u"kill -9 $$"_s << true << 128 + 9;
    }

    void commandStatus()
    {
        QFETCH(QString, script);
        QFETCH(bool, autoClose);
        QFETCH(int, status);
        QStringList args { u"--"_s, u"sh"_s, u"-c"_s, script };
        if (autoClose)
            args.prepend(u"--auto-close"_s);
        ProgressSession session(progressOptions(args));
        QSignalSpy finished(&session, &ProgressSession::finished);
        QString error;
        QVERIFY(session.start(&error));
        if (!autoClose) {
            QTRY_VERIFY(session.canAccept());
            QCOMPARE(finished.size(), 0);
            session.accept();
        }
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(finished.at(0).at(0).toInt(), status);
        if (status == 4)
            QCOMPARE(session.model().log(), QStringList { u"broken"_s });
    }

    void commandCannotStart()
    {
        ProgressSession session(progressOptions({ u"--"_s, u"/nonexistent/program"_s }));
        QString error;
        QVERIFY(!session.start(&error));
        QVERIFY2(error.contains(u"/nonexistent/program"_s), qPrintable(error));
    }

    // Cancel ends the command's whole process group: a grandchild that ignores SIGTERM is
    // killed after the grace period, and the session exits 1 only once it is gone.
    void cancelStopsProcessGroup()
    {
        QTemporaryDir dir;
        const QString pidFile = dir.filePath(u"grandchild"_s);
        ProgressSession session(progressOptions(
            { u"--"_s, u"sh"_s, u"-c"_s,
              u"sh -c 'trap \"\" TERM; exec sleep 600' & echo $! > '%1'; echo 10; wait"_s.arg(
                  pidFile) }));
        session.setCancelGraceMs(300);
        QSignalSpy finished(&session, &ProgressSession::finished);
        QString error;
        QVERIFY(session.start(&error));
        QTRY_COMPARE(session.model().overallPercent(), 10.0);
        QTRY_VERIFY(QFile(pidFile).size() > 0);
        QFile file(pidFile);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const qint64 grandchild = file.readAll().trimmed().toLongLong();
        QVERIFY(grandchild > 0);
        QVERIFY(!processGone(grandchild));
        session.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
        QCOMPARE(finished.at(0).at(0).toInt(), 1);
        QVERIFY(processGone(grandchild));
        QVERIFY(processGone(session.input().processId()));
    }
};

QTEST_GUILESS_MAIN(TestProgressSession)
#include "tst_progresssession.moc"
