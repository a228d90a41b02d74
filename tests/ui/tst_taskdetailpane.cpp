#include "ui/stepindicator.h"
#include "ui/taskdetailpane.h"
#include "uitesthelpers.h"

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
};

QTEST_MAIN(tst_TaskDetailPane)
#include "tst_taskdetailpane.moc"
