#include "enginetasksource.h"

#include "taskengine.h"

QList<TaskSnapshot> EngineTaskSource::tasks() const
{
    return m_engine.tasks();
}

std::optional<TaskSnapshot> EngineTaskSource::task(const QString &id) const
{
    return m_engine.task(id);
}

void EngineTaskSource::addTracker(TaskTracker *tracker, int maxUpdatesPerSecond,
                                  int outputPerSecond)
{
    m_engine.addTracker(tracker, maxUpdatesPerSecond, true, outputPerSecond);
}

void EngineTaskSource::removeTracker(TaskTracker *tracker)
{
    m_engine.removeTracker(tracker);
}
