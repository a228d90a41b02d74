#pragma once

#include "app/core/tasksnapshot.h"

#include <QObject>

class QAction;
class QListView;
class QWidget;
class TaskEngine;
class TaskListModel;

// The window's task commands (Cancel, Pause, Resume, Retry, Remove, Remove finished) as QActions
// for the menus, the toolbar and the list's context menu. They are enabled from what the
// selected tasks allow (TaskSnapshot::actions, decided by the engine) and applied through the
// engine's commands, each only to the selected tasks that allow it.
class TaskActionGroup final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TaskActionGroup)

public:
    // `view` shows `model` through a proxy; `parent` gives the actions their style and shortcuts.
    TaskActionGroup(TaskEngine &engine, TaskListModel *model, QListView *view, QWidget *parent);

    QAction *action(TaskAction action) const; // Cancel, Pause, Resume, Retry or Remove
    QAction *clearFinished() const { return m_clear; }
    QStringList selectedIds() const;

    // Called on selection and count changes; public for a caller that changes what is shown.
    void updateEnabled();

Q_SIGNALS:
    void failed(const QString &what, const QString &message);
    // After Remove: the row that took the removed ones' place, so the details stay.
    void selectRequested(const QString &id);

private:
    void forEachSelected(TaskAction action, const std::function<void(const QString &)> &apply);
    void removeSelected();

    TaskEngine &m_engine;
    TaskListModel *m_model;
    QListView *m_view;
    QAction *m_cancel;
    QAction *m_pause;
    QAction *m_resume;
    QAction *m_retry;
    QAction *m_remove;
    QAction *m_clear;
};
