#pragma once

#include "app/core/taskevent.h"
#include "app/core/tasksnapshot.h"

#include <QAbstractListModel>
#include <QHash>
#include <QList>

#include <array>
#include <memory>

class TaskEngine;
class TaskSource;
class TaskTracker;

// The engine's tasks as a list model for the widgets. It owns a TaskTracker: the engine sends
// it coalesced, ordered event batches (at most `rate` progress updates per task per second), and
// each batch becomes one row insertion per run of new rows, one removal per run of removed rows
// and one dataChanged per run of changed rows, so thousands of tasks updating cost a bounded
// number of signals. An id -> row hash keeps every per-event lookup O(1).
class TaskListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TaskListModel)

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        TypeRole,
        TitleRole,
        StateRole, // int(TaskState)
        StateNameRole, // "running"
        PercentRole, // double 0..100, or -1 when indeterminate
        ProcessedRole,
        TotalRole,
        UnitRole,
        SpeedRole, // double, units per second
        EtaRole, // double seconds, or -1 when unknown
        MessageRole,
        StepRole,
        StepsRole, // QStringList
        CreatedRole, // QDateTime
        AttemptRole,
        PriorityRole,
        ErrorRole, // the error message, empty if none
        MaxRetriesRole,
    };
    Q_ENUM(Role)

    explicit TaskListModel(QObject *parent = nullptr);
    ~TaskListModel() override;

    // Registers the model's tracker with the engine (which sends Added events for its tasks).
    void attach(TaskEngine &engine, int maxUpdatesPerSecond = 30);
    // The same with any read-only source (a screenshot scenario's fixed tasks).
    void attach(TaskSource &source, int maxUpdatesPerSecond = 30);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int rowOf(const QString &id) const { return m_rowById.value(id, -1); }
    const TaskSnapshot *snapshot(int row) const;
    const TaskSnapshot *snapshot(const QString &id) const;
    QModelIndex indexOf(const QString &id) const;
    const QList<TaskSnapshot> &tasks() const { return m_tasks; }

    // Counts kept up to date per event (no O(n) scans).
    int activeCount() const { return m_active; } // queued, running, paused, retrying
    int runningCount() const { return m_running; }
    int finishedCount() const { return m_finished; } // interrupted ones included
    int interruptedCount() const { return m_interrupted; }
    int stateCount(TaskState state) const { return m_byState.at(std::size_t(state)); }
    int indeterminateRunningCount() const { return m_indeterminateRunning; }
    // Mean percent of the active tasks (indeterminate ones count as 0), -1 when none is active.
    // O(n): called on a slow timer by the tray and the launcher entry.
    double overallPercent() const;

    // For tests: how many dataChanged signals the batches produced so far.
    int dataChangedEmissions() const { return m_dataChangedEmissions; }

    // Applies one batch of engine events (the tracker calls it; tests may call it directly).
    void applyEvents(const TaskEvents &events);

    static QVariant roleData(const TaskSnapshot &task, int role);

Q_SIGNALS:
    // A task reached a finished state while this model watched (not for restored tasks).
    void taskFinished(const TaskSnapshot &task, TaskState previousState);
    // After each batch: counts may have changed.
    void countsChanged();

private:
    void count(const TaskSnapshot &task, int sign);
    void removeRows(QList<int> rows);

    std::unique_ptr<TaskTracker> m_tracker;
    QList<TaskSnapshot> m_tasks;
    QHash<QString, int> m_rowById;
    int m_active = 0;
    int m_running = 0;
    int m_finished = 0;
    int m_interrupted = 0;
    std::array<int, std::size_t(TaskState::Interrupted) + 1> m_byState {};
    int m_indeterminateRunning = 0;
    int m_dataChangedEmissions = 0;
};
