#pragma once

#include "tasksource.h"

class TaskEngine;

// The live tasks of an engine as a read-only TaskSource: what the window's views read.
class EngineTaskSource final : public TaskSource
{
public:
    explicit EngineTaskSource(TaskEngine &engine) : m_engine(engine) { }

    QList<TaskSnapshot> tasks() const override;
    std::optional<TaskSnapshot> task(const QString &id) const override;
    void addTracker(TaskTracker *tracker, int maxUpdatesPerSecond,
                    int outputPerSecond = 0) override;
    void removeTracker(TaskTracker *tracker) override;

private:
    TaskEngine &m_engine;
};
