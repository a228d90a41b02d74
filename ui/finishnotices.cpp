#include "finishnotices.h"

#include "desktopnotifier.h"
#include "tasklistmodel.h"
#include "toaststack.h"
#include "uisettings.h"

#include <QWidget>

using namespace Qt::StringLiterals;

FinishNotices::FinishNotices(TaskListModel *model, ToastStack *toasts, DesktopNotifier *notifier,
                             const UiSettings &settings, QWidget *window)
    : QObject(window), m_toasts(toasts), m_notifier(notifier), m_settings(settings),
      m_window(window)
{
    connect(model, &TaskListModel::taskFinished, this,
            [this](const TaskSnapshot &task, TaskState) { onTaskFinished(task); });
}

void FinishNotices::onTaskFinished(const TaskSnapshot &task)
{
    if (task.state != TaskState::Succeeded && task.state != TaskState::Failed)
        return; // canceled by the user, interrupted by a shutdown: no news
    if (m_batch.isEmpty())
        QMetaObject::invokeMethod(this, &FinishNotices::showBatch, Qt::QueuedConnection);
    m_batch.append(task);
}

void FinishNotices::showBatch()
{
    const QList<TaskSnapshot> batch = std::exchange(m_batch, {});
    constexpr int kMaxSingleToasts = 3;
    if (batch.size() > kMaxSingleToasts) {
        int failed = 0;
        QString target = batch.last().id;
        for (const TaskSnapshot &t : batch) {
            if (t.state == TaskState::Failed) {
                if (failed++ == 0)
                    target = t.id; // "Show" leads to the first failure
            }
        }
        notify(failed ? Toast::Kind::Error : Toast::Kind::Success,
               tr("%n task(s) finished", nullptr, int(batch.size())),
               failed ? tr("%n failed.", nullptr, failed) : tr("All succeeded."), target);
        return;
    }
    for (const TaskSnapshot &task : batch)
        showOne(task);
}

void FinishNotices::showOne(const TaskSnapshot &task)
{
    QString text = task.title;
    if (task.state == TaskState::Succeeded) {
        notify(Toast::Kind::Success, tr("Task succeeded"), text, task.id);
    } else if (task.state == TaskState::Failed) {
        if (task.error)
            text += u": "_s + task.error->message;
        notify(Toast::Kind::Error, tr("Task failed"), text, task.id);
    }
}

void FinishNotices::notify(Toast::Kind kind, const QString &title, const QString &text,
                           const QString &target)
{
    if (!m_window->isActiveWindow() && m_settings.notifications())
        m_notifier->notify(title, text, kind == Toast::Kind::Error);
    if (m_pageShown && m_pageShown())
        return;
    Toast *toast = m_toasts->showToast(kind, title, text, tr("Show"));
    connect(toast, &Toast::actionTriggered, this, [this, target] { Q_EMIT showRequested(target); });
}
