#include "app/core/taskactions.h"
#include "app/core/tasksnapshot.h"

#include <QTest>

using namespace Qt::StringLiterals;

// What a task allows, from its state and its runner: the one table the window, the page and the
// CLI read through TaskSnapshot::actions.
class tst_TaskActions final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void allowed_data();
    void allowed();
    void json();
};

void tst_TaskActions::allowed_data()
{
    QTest::addColumn<int>("state");
    QTest::addColumn<bool>("pausable");
    QTest::addColumn<bool>("retryable");
    QTest::addColumn<bool>("canceling");
    QTest::addColumn<QStringList>("expected");
    using S = TaskState;
    const auto row = [](const char *name, S state, bool pausable, bool retryable, bool canceling,
                        const QStringList &expected) {
        QTest::newRow(name) << int(state) << pausable << retryable << canceling << expected;
    };
    row("queued", S::Queued, true, true, false, { u"cancel"_s });
    row("running", S::Running, true, true, false, { u"cancel"_s, u"pause"_s });
    row("running, not pausable", S::Running, false, true, false, { u"cancel"_s });
    row("running, canceling", S::Running, true, true, true, {});
    row("paused", S::Paused, true, true, false, { u"cancel"_s, u"resume"_s });
    row("paused, canceling", S::Paused, true, true, true, {});
    row("retrying", S::Retrying, true, true, false, { u"cancel"_s });
    row("succeeded", S::Succeeded, true, true, false, { u"remove"_s });
    row("failed", S::Failed, true, true, false, { u"retry"_s, u"remove"_s });
    row("failed, not retryable", S::Failed, true, false, false, { u"remove"_s });
    row("canceled", S::Canceled, false, true, false, { u"retry"_s, u"remove"_s });
    row("interrupted", S::Interrupted, true, true, false, { u"retry"_s, u"remove"_s });
    row("interrupted, not retryable", S::Interrupted, false, false, false, { u"remove"_s });
}

void tst_TaskActions::allowed()
{
    QFETCH(int, state);
    QFETCH(bool, pausable);
    QFETCH(bool, retryable);
    QFETCH(bool, canceling);
    QFETCH(QStringList, expected);
    const TaskActions actions
        = allowedTaskActions(TaskState(state), TaskCapabilities { pausable, retryable }, canceling);
    QStringList names;
    for (const QJsonValue &v : taskActionsToJson(actions))
        names.append(v.toString());
    QCOMPARE(names, expected);
    QCOMPARE(taskActionsFromJson(taskActionsToJson(actions)), actions);
}

void tst_TaskActions::json()
{
    TaskSnapshot t;
    t.id = u"x"_s;
    t.state = TaskState::Running;
    t.actions = TaskAction::Cancel | TaskAction::Pause;
    const QJsonObject json = t.toJson();
    QCOMPARE(json.value(u"actions"_s).toArray(), (QJsonArray { u"cancel"_s, u"pause"_s }));
    QCOMPARE(TaskSnapshot::fromJson(json)->actions, t.actions);
    QCOMPARE(taskActionsFromJson(QJsonArray { u"explode"_s, 3 }), TaskActions());
}

QTEST_GUILESS_MAIN(tst_TaskActions)
#include "tst_taskactions.moc"
