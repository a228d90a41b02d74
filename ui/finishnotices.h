#pragma once

#include "app/core/tasksnapshot.h"
#include "toast.h"

#include <QObject>

#include <functional>

class DesktopNotifier;
class TaskListModel;
class ToastStack;
class UiSettings;

// News of finished tasks: a toast each for a few, one summary toast for many finishing in the
// same batch of engine events (200 toasts at once stalled the GUI for 30 ms), and a desktop
// notification when the window is not active. Canceled and interrupted tasks are no news.
class FinishNotices final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FinishNotices)

public:
    // `window` decides whether the desktop hears of it (not while it is the active window).
    FinishNotices(TaskListModel *model, ToastStack *toasts, DesktopNotifier *notifier,
                  const UiSettings &settings, QWidget *window);

    // The page in the Web tab shows its own notices: while it is on screen, no toasts of ours
    // over the page's (one notice per event).
    void setPageShowsNotices(std::function<bool()> shown) { m_pageShown = std::move(shown); }

Q_SIGNALS:
    // "Show" on a notice: the task it is about (the first failure of a summary).
    void showRequested(const QString &id);

private:
    void onTaskFinished(const TaskSnapshot &task);
    void showBatch();
    void showOne(const TaskSnapshot &task);
    void notify(Toast::Kind kind, const QString &title, const QString &text, const QString &target);

    ToastStack *m_toasts;
    DesktopNotifier *m_notifier;
    const UiSettings &m_settings;
    QWidget *m_window;
    std::function<bool()> m_pageShown;
    // Tasks that finished in the current batch of engine events.
    QList<TaskSnapshot> m_batch;
};
