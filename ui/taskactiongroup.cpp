#include "taskactiongroup.h"

#include "actionfactory.h"
#include "app/core/taskengine.h"
#include "tasklistmodel.h"

#include <QAction>
#include <QListView>

using namespace Qt::StringLiterals;

TaskActionGroup::TaskActionGroup(TaskEngine &engine, TaskListModel *model, QListView *view,
                                 QWidget *parent)
    : QObject(parent), m_engine(engine), m_model(model), m_view(view)
{
    m_cancel = makeAction(parent, this, tr("&Cancel"), u"actionCancel"_s, QKeySequence(u"Ctrl+."_s),
                          QStyle::SP_BrowserStop, u"process-stop"_s);
    m_pause = makeAction(parent, this, tr("&Pause"), u"actionPause"_s, QKeySequence(u"Ctrl+P"_s),
                         QStyle::SP_MediaPause, u"media-playback-pause"_s);
    m_resume = makeAction(parent, this, tr("Res&ume"), u"actionResume"_s, QKeySequence(u"Ctrl+R"_s),
                          QStyle::SP_MediaPlay, u"media-playback-start"_s);
    m_retry
        = makeAction(parent, this, tr("Re&try"), u"actionRetry"_s, QKeySequence(u"Ctrl+Shift+R"_s),
                     QStyle::SP_BrowserReload, u"view-refresh"_s);
    m_remove = makeAction(parent, this, tr("Re&move"), u"actionRemove"_s, QKeySequence::Delete,
                          QStyle::SP_TrashIcon, u"edit-delete"_s);
    m_clear = makeAction(parent, this, tr("Remove &finished"), u"actionClearFinished"_s,
                         QKeySequence(u"Ctrl+Shift+Del"_s), QStyle::SP_DialogResetButton,
                         u"edit-clear-all"_s);

    const auto command = [this](QAction *a, TaskAction action, const QString &what,
                                EngineError (TaskEngine::*apply)(const QString &)) {
        connect(a, &QAction::triggered, this, [this, action, what, apply] {
            forEachSelected(action, [this, what, apply](const QString &id) {
                if (const EngineError e = (m_engine.*apply)(id))
                    Q_EMIT failed(what, e.message);
            });
        });
    };
    command(m_cancel, TaskAction::Cancel, tr("Could not cancel"), &TaskEngine::cancel);
    command(m_pause, TaskAction::Pause, tr("Could not pause"), &TaskEngine::pause);
    command(m_resume, TaskAction::Resume, tr("Could not resume"), &TaskEngine::resume);
    command(m_retry, TaskAction::Retry, tr("Could not retry"), &TaskEngine::retry);
    connect(m_remove, &QAction::triggered, this, &TaskActionGroup::removeSelected);
    connect(m_clear, &QAction::triggered, this, [this] { m_engine.removeFinished(); });

    connect(m_model, &TaskListModel::countsChanged, this, &TaskActionGroup::updateEnabled);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TaskActionGroup::updateEnabled);
    updateEnabled();
}

QAction *TaskActionGroup::action(TaskAction action) const
{
    switch (action) {
    case TaskAction::Cancel:
        return m_cancel;
    case TaskAction::Pause:
        return m_pause;
    case TaskAction::Resume:
        return m_resume;
    case TaskAction::Retry:
        return m_retry;
    case TaskAction::Remove:
        return m_remove;
    }
    return nullptr;
}

QStringList TaskActionGroup::selectedIds() const
{
    QStringList ids;
    for (const QModelIndex &i : m_view->selectionModel()->selectedIndexes())
        ids.append(i.data(TaskListModel::IdRole).toString());
    return ids;
}

void TaskActionGroup::updateEnabled()
{
    // The engine says what each task allows (TaskSnapshot::actions): any selected task will do.
    TaskActions allowed;
    for (const QString &id : selectedIds()) {
        if (const TaskSnapshot *t = m_model->snapshot(id))
            allowed |= t->actions;
    }
    m_cancel->setEnabled(allowed.testFlag(TaskAction::Cancel));
    m_pause->setEnabled(allowed.testFlag(TaskAction::Pause));
    m_resume->setEnabled(allowed.testFlag(TaskAction::Resume));
    m_retry->setEnabled(allowed.testFlag(TaskAction::Retry));
    m_remove->setEnabled(allowed.testFlag(TaskAction::Remove));
    // Remove finished keeps interrupted tasks (the engine does): nothing else, nothing to remove.
    m_clear->setEnabled(m_model->finishedCount() > m_model->interruptedCount());
}

void TaskActionGroup::forEachSelected(TaskAction action,
                                      const std::function<void(const QString &)> &apply)
{
    for (const QString &id : selectedIds()) {
        const TaskSnapshot *t = m_model->snapshot(id);
        if (t && t->actions.testFlag(action))
            apply(id);
    }
}

void TaskActionGroup::removeSelected()
{
    // The row that takes the removed ones' place stays selected, so the details stay.
    const QAbstractItemModel *shown = m_view->model();
    int last = -1;
    int first = shown->rowCount();
    for (const QModelIndex &i : m_view->selectionModel()->selectedIndexes()) {
        last = std::max(last, i.row());
        first = std::min(first, i.row());
    }
    QString next;
    for (int row : { last + 1, first - 1 }) {
        const QModelIndex i = shown->index(row, 0);
        if (i.isValid() && !m_view->selectionModel()->isSelected(i)) {
            next = i.data(TaskListModel::IdRole).toString();
            break;
        }
    }
    bool removed = false;
    forEachSelected(TaskAction::Remove, [this, &removed](const QString &id) {
        if (const EngineError e = m_engine.remove(id))
            Q_EMIT failed(tr("Could not remove"), e.message);
        else
            removed = true;
    });
    if (removed && !next.isEmpty())
        Q_EMIT selectRequested(next);
}
