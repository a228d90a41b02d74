#include "app/core/tasktyperegistry.h"
#include "app/progress/installersession.h"
#include "ui/detailslog.h"
#include "ui/installerwindow.h"
#include "ui/stepindicator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
QJsonObject commandStep(const QString &label, const QString &script)
{
    return QJsonObject {
        { u"label"_s, label },
        { u"type"_s, u"command"_s },
        { u"params"_s,
          QJsonObject { { u"program"_s, u"sh"_s },
                        { u"arguments"_s, QJsonArray { u"-c"_s, script } } } },
    };
}

InstallerManifest manifest(const QString &third, bool confirmCancel = false)
{
    InstallerManifest m;
    m.title = u"Install Demo"_s;
    m.finishText = u"Demo is installed."_s;
    m.confirmCancel = confirmCancel;
    m.steps
        = QJsonArray { commandStep(u"Download"_s, u"echo 50; echo fetched"_s),
                       commandStep(u"Unpack"_s, u"true"_s), commandStep(u"Configure"_s, third) };
    return m;
}
} // namespace

// `headway run`'s window with a three-step manifest run by the engine: success, failure and
// cancel (with and without confirm_cancel), and the result page each leaves.
class TestInstallerWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { registerBuiltinTaskTypes(m_registry); }

    void success()
    {
        InstallerSession session(m_registry, manifest(u"echo configured"_s));
        InstallerWindow window(session);
        window.show();
        QSignalSpy finished(&session, &InstallerSession::finished);
        QString error;
        QVERIFY(session.start(&error));
        QTRY_VERIFY_WITH_TIMEOUT(window.isShowingResult(), 30000);
        QCOMPARE(session.exitStatus(), 0);
        QCOMPARE(window.resultLabel()->text(), u"Demo is installed."_s);
        QCOMPARE(window.stepIndicator()->stepState(2), StepIndicator::StepState::Done);
        QCOMPARE(window.bar()->value(), 1000);
        QVERIFY(!window.details()->isExpanded());
        QVERIFY(window.details()->view()->toPlainText().contains(u"configured"_s));
        QVERIFY(window.closeButton()->isVisible());
        QVERIFY(!window.cancelButton()->isVisible());
        QCOMPARE(finished.size(), 0); // the result stays until Close
        QTest::mouseClick(window.closeButton(), Qt::LeftButton);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.at(0).at(0).toInt(), 0);
    }

    void failure()
    {
        InstallerSession session(m_registry, manifest(u"echo 'no space left' >&2; exit 4"_s));
        InstallerWindow window(session);
        window.show();
        QSignalSpy finished(&session, &InstallerSession::finished);
        QString error;
        QVERIFY(session.start(&error));
        QTRY_VERIFY_WITH_TIMEOUT(window.isShowingResult(), 30000);
        QCOMPARE(session.exitStatus(), 1);
        QCOMPARE(session.failedStep(), 2);
        QVERIFY2(window.resultLabel()->text().contains(u"Step 3 of 3 (Configure) failed"_s),
                 qPrintable(window.resultLabel()->text()));
        QCOMPARE(window.stepIndicator()->stepState(2), StepIndicator::StepState::Failed);
        QVERIFY(window.details()->isExpanded());
        QVERIFY(window.details()->view()->toPlainText().contains(u"no space left"_s));
        window.close(); // closing the result page is Close
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.at(0).at(0).toInt(), 1);
    }

    void cancel_data()
    {
        QTest::addColumn<bool>("confirm");
        QTest::newRow("at once") << false;
        QTest::newRow("confirm_cancel") << true;
    }

    void cancel()
    {
        QFETCH(bool, confirm);
        InstallerSession session(m_registry,
                                 manifest(u"echo 10; echo waiting; exec sleep 600"_s, confirm));
        InstallerWindow window(session);
        window.show();
        QSignalSpy finished(&session, &InstallerSession::finished);
        QString error;
        QVERIFY(session.start(&error));
        QTRY_VERIFY_WITH_TIMEOUT(window.details()->view()->toPlainText().contains(u"waiting"_s),
                                 30000);
        QCOMPARE(window.stepIndicator()->stepState(2), StepIndicator::StepState::Active);
        QTest::mouseClick(window.cancelButton(), Qt::LeftButton);
        if (confirm) {
            QTRY_VERIFY(window.cancelQuestion() != nullptr);
            QVERIFY(!window.isShowingResult());
            QPushButton *stop = nullptr;
            for (QAbstractButton *b : window.cancelQuestion()->buttons()) {
                if (b->text() == u"Stop")
                    stop = qobject_cast<QPushButton *>(b);
            }
            QVERIFY(stop);
            stop->click();
        }
        QTRY_VERIFY_WITH_TIMEOUT(window.isShowingResult(), 30000);
        QCOMPARE(session.exitStatus(), 3);
        QTest::mouseClick(window.closeButton(), Qt::LeftButton);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.at(0).at(0).toInt(), 3);
    }

private:
    TaskTypeRegistry m_registry;
};

QTEST_MAIN(TestInstallerWindow)
#include "tst_installerwindow.moc"
