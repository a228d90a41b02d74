#pragma once

#include "tasksource.h"

class TaskTypeRegistry;

// A fixed set of tasks as a TaskSource (a screenshot scenario's): a tracker gets them as one
// batch of Added events, queued in its thread like the engine's, and never a change after.
// What each task allows is decided as the engine decides it (its state and its type's runner).
class StaticTaskSource final : public TaskSource
{
public:
    StaticTaskSource(QList<TaskSnapshot> tasks, const TaskTypeRegistry &registry);

    QList<TaskSnapshot> tasks() const override { return m_tasks; }
    std::optional<TaskSnapshot> task(const QString &id) const override;
    void addTracker(TaskTracker *tracker, int maxUpdatesPerSecond,
                    int outputPerSecond = 0) override;
    void removeTracker(TaskTracker *tracker) override;

private:
    QList<TaskSnapshot> m_tasks;
};
