#include "ui/stepindicator.h"
#include "ui/taskdetailpane.h"
#include "uitesthelpers.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QTest>

class tst_TaskDetailPane : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsTask()
    {
        TaskDetailPane pane;
        pane.resize(400, 600);
        pane.show();
        pane.setTask(std::nullopt);
        QVERIFY(pane.taskId().isEmpty());

        TaskSnapshot t = makeSnapshot(u"Pipeline"_s, TaskState::Running, 40, u"pipeline"_s);
        t.progress.steps = QStringList { u"Fetch"_s, u"Build"_s, u"Ship"_s };
        t.progress.step = 1;
        pane.setTask(t);
        QCOMPARE(pane.taskId(), t.id);
        QVERIFY(pane.stepIndicator()->isVisible());
        QCOMPARE(pane.stepIndicator()->stepState(0), StepIndicator::StepState::Done);
        QCOMPARE(pane.stepIndicator()->stepState(1), StepIndicator::StepState::Active);
        QVERIFY(pane.stateText().startsWith(u"Running"_s));

        t.state = TaskState::Failed;
        t.error = TaskError { u"step_failed"_s, u"Build broke"_s, {} };
        pane.setTask(t);
        QCOMPARE(pane.stepIndicator()->stepState(1), StepIndicator::StepState::Failed);
        QVERIFY(pane.resultText().contains(u"Build broke"_s));

        TaskSnapshot cmd = makeSnapshot(u"ls"_s, TaskState::Succeeded, 100, u"command"_s);
        cmd.output = u"line 1\nline 2\n"_s;
        cmd.result = QJsonObject { { u"exitCode"_s, 0 } };
        pane.setTask(cmd);
        QVERIFY(!pane.stepIndicator()->isVisible());
        QCOMPARE(pane.outputText(), cmd.output);
        QVERIFY(pane.resultText().contains(u"exitCode"_s));
    }

    // The output in the order printed, the stderr lines marked; the error box wraps.
    void outputMarksStderr()
    {
        TaskDetailPane pane;
        TaskSnapshot c = makeSnapshot(u"tar"_s, TaskState::Failed, 0, u"command"_s);
        c.output = u"Unpacking payload\ntar: Unexpected EOF in archive\nCleaning up\n"_s;
        c.outputStderr = { { 18, 31 } };
        c.error = TaskError { u"exit_code"_s, u"tar exited with code 2."_s, {} };
        pane.setTask(c);
        QCOMPARE(pane.outputText(), c.output);
        QCOMPARE(pane.stderrLines(), QStringList { u"tar: Unexpected EOF in archive"_s });
        // The error names the cause: the last line written to stderr.
        QVERIFY2(pane.resultText().contains(u"\nCause: tar: Unexpected EOF in archive\n"_s),
                 qPrintable(pane.resultText()));
        const auto *result = pane.findChild<QPlainTextEdit *>();
        QVERIFY(result);
        for (auto *box : pane.findChildren<QPlainTextEdit *>()) {
            if (box->accessibleName() == u"Result"_s || box->accessibleName() == u"Output"_s)
                QCOMPARE(box->lineWrapMode(), QPlainTextEdit::WidgetWidth);
        }
    }

    // The line under the bar is the task's running message only while it runs: a failed or
    // finished task does not keep saying "Unpacking payload".
    void messageOnlyWhileUnderWay_data()
    {
        QTest::addColumn<TaskState>("state");
        QTest::addColumn<bool>("shown");
        QTest::newRow("running") << TaskState::Running << true;
        QTest::newRow("paused") << TaskState::Paused << true;
        QTest::newRow("retrying") << TaskState::Retrying << true;
        QTest::newRow("succeeded") << TaskState::Succeeded << false;
        QTest::newRow("failed") << TaskState::Failed << false;
        QTest::newRow("canceled") << TaskState::Canceled << false;
        QTest::newRow("interrupted") << TaskState::Interrupted << false;
    }
    void messageOnlyWhileUnderWay()
    {
        QFETCH(TaskState, state);
        QFETCH(bool, shown);
        TaskDetailPane pane;
        pane.resize(400, 600);
        pane.show();
        TaskSnapshot t = makeSnapshot(u"Install"_s, state, 40, u"command"_s);
        t.progress.message = u"Unpacking payload"_s;
        pane.setTask(t);
        bool found = false;
        for (const QLabel *label : pane.findChildren<QLabel *>())
            found |= label->isVisible() && label->text() == u"Unpacking payload"_s;
        QCOMPARE(found, shown);
    }

    // A failed command's error reads as words with the output's real lines, not as JSON.
    void errorInWords()
    {
        const TaskError inner {
            u"exit_code"_s, u"tar exited with code 2."_s,
            QJsonObject {
                { u"exit_code"_s, 2 },
                { u"output_tail"_s, u"Unpacking payload\ntar: Unexpected EOF in archive\n"_s } }
        };
        const TaskError error { u"step_failed"_s,
                                u"Step 2 of 3 (Unpack) failed: tar exited with code 2."_s,
                                QJsonObject { { u"step_index"_s, 1 },
                                              { u"label"_s, u"Unpack"_s },
                                              { u"type"_s, u"command"_s },
                                              { u"error"_s, inner.toJson() } } };
        TaskDetailPane pane;
        TaskSnapshot t = makeSnapshot(u"Install"_s, TaskState::Failed, 50, u"pipeline"_s);
        t.error = error;
        pane.setTask(t);
        const QString text = pane.resultText();
        QVERIFY2(text.startsWith(error.message), qPrintable(text));
        QVERIFY2(text.contains(u"Failed step: Unpack (step 2)"_s), qPrintable(text));
        QVERIFY2(text.contains(u"\ntar: Unexpected EOF in archive"_s), qPrintable(text));
        QVERIFY2(!text.contains(u'{') && !text.contains(u"\\n"_s), qPrintable(text));

        TaskSnapshot c = makeSnapshot(u"tar"_s, TaskState::Failed, 0, u"command"_s);
        c.error = inner;
        pane.setTask(c);
        QVERIFY2(pane.resultText().contains(u"Exit code: 2"_s), qPrintable(pane.resultText()));
    }
};

QTEST_MAIN(tst_TaskDetailPane)
#include "tst_taskdetailpane.moc"
