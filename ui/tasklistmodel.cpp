#include "tasklistmodel.h"

#include "app/core/taskengine.h"
#include "app/core/tasksource.h"
#include "app/core/tasktracker.h"
#include "taskformat.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
// Forwards the engine's batches to the model; lives in the model's thread.
class ModelTracker final : public TaskTracker
{
public:
    explicit ModelTracker(TaskListModel *model) : m_model(model) { }
    void tasksChanged(const TaskEvents &events) override { m_model->applyEvents(events); }

private:
    TaskListModel *m_model;
};

bool isActive(TaskState s)
{
    return !isFinished(s);
}
} // namespace

TaskListModel::TaskListModel(QObject *parent)
    : QAbstractListModel(parent), m_tracker(std::make_unique<ModelTracker>(this))
{
}

TaskListModel::~TaskListModel() = default;

void TaskListModel::attach(TaskEngine &engine, int maxUpdatesPerSecond)
{
    engine.addTracker(m_tracker.get(), maxUpdatesPerSecond);
}

void TaskListModel::attach(TaskSource &source, int maxUpdatesPerSecond)
{
    source.addTracker(m_tracker.get(), maxUpdatesPerSecond);
}

int TaskListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tasks.size());
}

QVariant TaskListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    return roleData(m_tasks.at(index.row()), role);
}

QVariant TaskListModel::roleData(const TaskSnapshot &t, int role)
{
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole:
        return t.title;
    case Qt::ToolTipRole: {
        const QString message = TaskFormat::liveMessage(t.state, t.progress.message);
        return message.isEmpty() ? t.title : t.title + u'\n' + message;
    }
    case Qt::AccessibleTextRole: {
        QString text = t.title + u", "_s + TaskFormat::stateLabel(t.state);
        if (t.progress.percent && !isFinished(t.state))
            text += u", "_s + QString::number(qRound(*t.progress.percent)) + u'%';
        return text;
    }
    case IdRole:
        return t.id;
    case TypeRole:
        return t.type;
    case StateRole:
        return int(t.state);
    case StateNameRole:
        return taskStateName(t.state);
    case PercentRole:
        return t.progress.percent ? *t.progress.percent : -1.0;
    case ProcessedRole:
        return t.progress.processed;
    case TotalRole:
        return t.progress.total;
    case UnitRole:
        return t.progress.unit;
    case SpeedRole:
        return t.progress.speed;
    case EtaRole:
        return t.progress.eta ? *t.progress.eta : -1.0;
    case MessageRole:
        return t.progress.message;
    case StepRole:
        return t.progress.step;
    case StepsRole:
        return t.progress.steps;
    case CreatedRole:
        return t.created;
    case AttemptRole:
        return t.attempt;
    case PriorityRole:
        return t.priority;
    case MaxRetriesRole:
        return t.maxRetries;
    case ErrorRole:
        return t.error ? t.error->message : QString();
    default:
        return {};
    }
}

QHash<int, QByteArray> TaskListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert({ { IdRole, "id" },
                   { TypeRole, "type" },
                   { TitleRole, "title" },
                   { StateRole, "state" },
                   { StateNameRole, "stateName" },
                   { PercentRole, "percent" },
                   { ProcessedRole, "processed" },
                   { TotalRole, "total" },
                   { UnitRole, "unit" },
                   { SpeedRole, "speed" },
                   { EtaRole, "eta" },
                   { MessageRole, "message" },
                   { StepRole, "step" },
                   { StepsRole, "steps" },
                   { CreatedRole, "created" },
                   { AttemptRole, "attempt" },
                   { PriorityRole, "priority" },
                   { MaxRetriesRole, "maxRetries" },
                   { ErrorRole, "error" } });
    return names;
}

const TaskSnapshot *TaskListModel::snapshot(int row) const
{
    return row >= 0 && row < m_tasks.size() ? &m_tasks.at(row) : nullptr;
}

const TaskSnapshot *TaskListModel::snapshot(const QString &id) const
{
    return snapshot(rowOf(id));
}

QModelIndex TaskListModel::indexOf(const QString &id) const
{
    const int row = rowOf(id);
    return row < 0 ? QModelIndex() : index(row);
}

double TaskListModel::overallPercent() const
{
    if (m_active == 0)
        return -1;
    double sum = 0;
    int n = 0;
    for (const TaskSnapshot &t : m_tasks) {
        if (!isActive(t.state))
            continue;
        sum += t.progress.percent.value_or(0);
        ++n;
    }
    return n ? sum / n : -1;
}

void TaskListModel::count(const TaskSnapshot &t, int sign)
{
    m_byState.at(std::size_t(t.state)) += sign;
    if (isActive(t.state))
        m_active += sign;
    else
        m_finished += sign;
    if (t.state == TaskState::Interrupted)
        m_interrupted += sign;
    if (t.state == TaskState::Running) {
        m_running += sign;
        if (!t.progress.percent)
            m_indeterminateRunning += sign;
    }
}

void TaskListModel::applyEvents(const TaskEvents &events)
{
    QList<int> changed; // rows touched by this batch (before removals)
    QList<int> removed;
    qsizetype firstNew = m_tasks.size();
    QList<std::pair<TaskSnapshot, TaskState>> finishedNow;

    // New rows are appended in one insertion at the end; events for them that follow in the
    // same batch update the pending copies.
    QList<TaskSnapshot> added;
    QHash<QString, qsizetype> addedIndex;

    for (const TaskEvent &e : events) {
        const QString &id = e.task.id;
        switch (e.kind) {
        case TaskEvent::Kind::Added: {
            if (m_rowById.contains(id) || addedIndex.contains(id))
                break; // already known (e.g. a re-sent snapshot): treat as an update below
            addedIndex.insert(id, added.size());
            added.append(e.task);
            continue;
        }
        case TaskEvent::Kind::Removed: {
            if (const auto it = addedIndex.constFind(id); it != addedIndex.cend()) {
                added[*it].id.clear(); // added and removed in one batch: drop it
                addedIndex.erase(it);
            } else if (const int row = m_rowById.value(id, -1); row >= 0) {
                removed.append(row);
            }
            continue;
        }
        case TaskEvent::Kind::Progress:
        case TaskEvent::Kind::StateChanged:
            break;
        }
        // Added for a known id, Progress, StateChanged: replace the snapshot.
        if (e.kind == TaskEvent::Kind::StateChanged && isFinished(e.task.state)
            && !isFinished(e.previousState)) {
            finishedNow.append({ e.task, e.previousState });
        }
        if (const auto it = addedIndex.constFind(id); it != addedIndex.cend()) {
            added[*it] = e.task;
        } else if (const int row = m_rowById.value(id, -1); row >= 0) {
            count(m_tasks.at(row), -1);
            m_tasks[row] = e.task;
            count(e.task, +1);
            changed.append(row);
        }
    }

    // dataChanged per contiguous run of changed rows.
    if (!changed.isEmpty()) {
        std::sort(changed.begin(), changed.end());
        changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
        int start = changed.first();
        int prev = start;
        const auto flush = [this](int a, int b) {
            ++m_dataChangedEmissions;
            Q_EMIT dataChanged(index(a), index(b));
        };
        for (qsizetype i = 1; i < changed.size(); ++i) {
            if (changed.at(i) != prev + 1) {
                flush(start, prev);
                start = changed.at(i);
            }
            prev = changed.at(i);
        }
        flush(start, prev);
    }

    if (!removed.isEmpty())
        removeRows(std::move(removed));

    added.removeIf([](const TaskSnapshot &t) { return t.id.isEmpty(); });
    if (!added.isEmpty()) {
        firstNew = m_tasks.size();
        beginInsertRows({}, int(firstNew), int(firstNew + added.size() - 1));
        m_tasks.reserve(m_tasks.size() + added.size());
        for (TaskSnapshot &t : added) {
            m_rowById.insert(t.id, int(m_tasks.size()));
            count(t, +1);
            m_tasks.append(std::move(t));
        }
        endInsertRows();
    }

    for (const auto &[task, previous] : std::as_const(finishedNow))
        Q_EMIT taskFinished(task, previous);
    Q_EMIT countsChanged();
}

void TaskListModel::removeRows(QList<int> rows)
{
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    // From the bottom up, one removal per contiguous run, then one index rebuild.
    qsizetype i = rows.size() - 1;
    while (i >= 0) {
        const int last = rows.at(i);
        int first = last;
        while (i > 0 && rows.at(i - 1) == first - 1) {
            --i;
            --first;
        }
        --i;
        beginRemoveRows({}, first, last);
        for (int r = first; r <= last; ++r) {
            count(m_tasks.at(r), -1);
            m_rowById.remove(m_tasks.at(r).id);
        }
        m_tasks.remove(first, last - first + 1);
        endRemoveRows();
    }
    for (int r = rows.first(); r < m_tasks.size(); ++r)
        m_rowById.insert(m_tasks.at(r).id, r);
}
