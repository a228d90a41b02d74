#pragma once

#include "app/core/tasksource.h"

#include <QList>
#include <QPointer>

class TaskTypeRegistry;

// A read-only TaskSource whose tasks a test changes: put() adds a task or replaces it and
// tells every tracker (Added, or StateChanged / Progress), queued in its thread as the engine
// delivers. What each task allows is decided as the engine decides it (its state and its
// type's runner). The window's tests show tasks in any state through it, where an engine
// would have to run them there.
class ChangingTaskSource final : public TaskSource
{
public:
    explicit ChangingTaskSource(const TaskTypeRegistry &registry) : m_registry(registry) { }

    QList<TaskSnapshot> tasks() const override { return m_tasks; }
    std::optional<TaskSnapshot> task(const QString &id) const override;
    void addTracker(TaskTracker *tracker, int maxUpdatesPerSecond,
                    int outputPerSecond = 0) override;
    void removeTracker(TaskTracker *tracker) override;

    void put(TaskSnapshot task);

private:
    const TaskTypeRegistry &m_registry;
    QList<TaskSnapshot> m_tasks;
    QList<QPointer<TaskTracker>> m_trackers;
};
