#include "app/progress/progresssession.h"
#include "tests/progress/progresstesthelpers.h"
#include "ui/detailslog.h"
#include "ui/progresswindow.h"
#include "ui/stepindicator.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
// The window fed by a command (a QProcess the session runs: `sh -c SCRIPT`).
QStringList feeding(const QString &script, const QStringList &before = {})
{
    return before + QStringList { u"--"_s, u"sh"_s, u"-c"_s, script };
}

} // namespace

// The `headway progress` window under offscreen, driven by a feeding process: what it shows,
// and the exit status each button, key and end of input gives.
class TestProgressWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsInput()
    {
        ProgressSession session(progressOptions(
            feeding(u"echo '# Tom & <Jerry>'; echo 42; echo step:2; echo 1:30; echo 2:#verify; "
                    "echo chatter; echo oops >&2; exec sleep 600"_s,
                    { u"--steps=Get,Check,Done"_s, u"--bar=Download"_s, u"--bar=Verify"_s,
                      u"--time-remaining"_s })));
        ProgressWindow window(session);
        window.show();
        QString error;
        QVERIFY(session.start(&error));
        QTRY_COMPARE(window.bar(1)->value(), 0);
        QTRY_COMPARE(window.bar(0)->value(), 300);
        QTRY_COMPARE(window.stepIndicator()->stepState(1), StepIndicator::StepState::Active);
        QCOMPARE(window.stepIndicator()->stepState(0), StepIndicator::StepState::Done);
        QVERIFY(window.findChild<QLabel *>() != nullptr);
        bool plainText = false;
        for (QLabel *label : window.findChildren<QLabel *>())
            plainText = plainText || label->text() == u"Tom & <Jerry>";
        QVERIFY(plainText);
        QTRY_VERIFY(window.details()->view()->toPlainText().contains(u"oops"_s));
        QVERIFY(window.details()->view()->toPlainText().contains(u"chatter"_s));
        QVERIFY(!window.details()->isExpanded());
        QVERIFY(window.etaLabel()->isVisible());
        QVERIFY(!window.okButton()->isEnabled());
        QVERIFY(window.cancelButton()->isVisible());
        session.cancel();
    }

    void exitStatus_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("action"); // ok, cancel, escape, close, none
        QTest::addColumn<int>("status");
        QTest::newRow("EOF then OK") << feeding(u"echo 30"_s) << u"ok"_s << 0;
        QTest::newRow("EOF auto-close")
            << feeding(u"echo 30"_s, { u"--auto-close"_s }) << u"none"_s << 0;
        QTest::newRow("pulsate auto-close at EOF")
            << feeding(u"echo '# busy'"_s, { u"--pulsate"_s, u"--auto-close"_s }) << u"none"_s << 0;
        QTest::newRow("early EOF")
            << feeding(u"echo 30"_s, { u"--fail-on-early-eof"_s }) << u"none"_s << 3;
        QTest::newRow("cancel") << feeding(u"echo 30; exec sleep 600"_s) << u"cancel"_s << 1;
        QTest::newRow("escape") << feeding(u"echo 30; exec sleep 600"_s) << u"escape"_s << 1;
        QTest::newRow("close") << feeding(u"echo 30; exec sleep 600"_s) << u"close"_s << 1;
        QTest::newRow("timeout") << feeding(u"exec sleep 600"_s, { u"--timeout=1"_s }) << u"none"_s
                                 << 5;
        QTest::newRow("command failed then OK") << feeding(u"echo 10; exit 9"_s) << u"ok"_s << 9;
    }

    void exitStatus()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, action);
        QFETCH(int, status);
        ProgressSession session(progressOptions(args));
        session.setCancelGraceMs(500);
        ProgressWindow window(session);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy finished(&session, &ProgressSession::finished);
        QString error;
        QVERIFY(session.start(&error));
        if (action == u"ok") {
            QTRY_VERIFY(window.okButton()->isEnabled());
            QCOMPARE(window.bar(0)->value(), status == 0 ? 1000 : 100);
            QTest::mouseClick(window.okButton(), Qt::LeftButton);
        } else if (action == u"cancel") {
            QTRY_COMPARE(window.bar(0)->value(), 300);
            QTest::mouseClick(window.cancelButton(), Qt::LeftButton);
        } else if (action == u"escape") {
            QTRY_COMPARE(window.bar(0)->value(), 300);
            QTest::keyClick(&window, Qt::Key_Escape);
        } else if (action == u"close") {
            QTRY_COMPARE(window.bar(0)->value(), 300);
            window.close();
        }
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
        QCOMPARE(finished.at(0).at(0).toInt(), status);
    }

    // With a command, 100 % enables OK even with --auto-close: its exit status decides.
    void okAfterHundred()
    {
        ProgressSession session(progressOptions(
            feeding(u"echo 50; echo 100; exec sleep 600"_s, { u"--auto-close"_s })));
        ProgressWindow window(session);
        window.show();
        QSignalSpy finished(&session, &ProgressSession::finished);
        QString error;
        QVERIFY(session.start(&error));
        QTRY_VERIFY(window.okButton()->isEnabled());
        QCOMPARE(window.bar(0)->value(), 1000);
        QCOMPARE(finished.size(), 0);
        session.cancel();
        QTRY_COMPARE(finished.size(), 1);
    }

    void noCancel()
    {
        ProgressSession session(
            progressOptions(feeding(u"echo 30; exec sleep 600"_s, { u"--no-cancel"_s })));
        ProgressWindow window(session);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy finished(&session, &ProgressSession::finished);
        QString error;
        QVERIFY(session.start(&error));
        QTRY_COMPARE(window.bar(0)->value(), 300);
        QVERIFY(!window.cancelButton()->isVisible());
        QTest::keyClick(&window, Qt::Key_Escape);
        window.close();
        QVERIFY(window.isVisible());
        QVERIFY(!session.isCanceling());
        QCOMPARE(finished.size(), 0);
        session.cancel(); // as SIGTERM would
        QTRY_COMPARE(finished.size(), 1);
    }

    void labelsAndSize()
    {
        ProgressSession session(progressOptions(
            { u"--ok-label=Done"_s, u"--cancel-label=Stop"_s, u"--width=520"_s, u"--height=240"_s,
              u"--title=Copying"_s, u"--window-icon=warning"_s }));
        ProgressWindow window(session);
        QCOMPARE(window.okButton()->text(), u"Done"_s);
        QCOMPARE(window.cancelButton()->text(), u"Stop"_s);
        QCOMPARE(window.size(), QSize(520, 240));
        QCOMPARE(window.windowTitle(), u"Copying"_s);
        QVERIFY(!window.windowIcon().isNull());
    }

    // Cancel ends the wrapped command's whole process group, the grandchild included.
    void cancelStopsGrandchild()
    {
        QTemporaryDir dir;
        const QString pidFile = dir.filePath(u"pid"_s);
        ProgressSession session(
            progressOptions(feeding(u"sleep 600 & echo $! > '%1'; echo 10; wait"_s.arg(pidFile))));
        ProgressWindow window(session);
        window.show();
        QSignalSpy finished(&session, &ProgressSession::finished);
        QString error;
        QVERIFY(session.start(&error));
        QTRY_COMPARE(window.bar(0)->value(), 100);
        QTRY_VERIFY(QFile(pidFile).size() > 0);
        QFile file(pidFile);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const qint64 grandchild = file.readAll().trimmed().toLongLong();
        QVERIFY(grandchild > 0 && !processGone(grandchild));
        QTest::mouseClick(window.cancelButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
        QCOMPARE(finished.at(0).at(0).toInt(), 1);
        QVERIFY(processGone(grandchild));
    }

    void failureOpensDetails()
    {
        ProgressSession session(
            progressOptions(feeding(u"echo 20; echo 'disk full' >&2; exit 2"_s)));
        ProgressWindow window(session);
        window.show();
        QString error;
        QVERIFY(session.start(&error));
        QTRY_VERIFY(window.okButton()->isEnabled());
        QTRY_VERIFY(window.details()->isExpanded());
        QVERIFY(window.details()->view()->toPlainText().contains(u"disk full"_s));
    }
};

QTEST_MAIN(TestProgressWindow)
#include "tst_progresswindow.moc"
