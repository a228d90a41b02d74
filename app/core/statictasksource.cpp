#include "statictasksource.h"

#include "taskcapabilities.h"
#include "tasktracker.h"
#include "tasktyperegistry.h"
#include "trackerhub.h"

StaticTaskSource::StaticTaskSource(QList<TaskSnapshot> tasks, const TaskTypeRegistry &registry)
    : m_tasks(std::move(tasks))
{
    for (TaskSnapshot &t : m_tasks) {
        const TaskType *type = registry.find(t.type);
        const bool external = type && !type->create; // run by a driver elsewhere
        t.actions = allowedTaskActions(t.state, taskCapabilities(type, external), false);
    }
}

std::optional<TaskSnapshot> StaticTaskSource::task(const QString &id) const
{
    for (const TaskSnapshot &t : m_tasks) {
        if (t.id == id)
            return t;
    }
    return std::nullopt;
}

void StaticTaskSource::addTracker(TaskTracker *tracker, int /*maxUpdatesPerSecond*/,
                                  int /*outputPerSecond*/)
{
    if (!tracker || m_tasks.isEmpty())
        return;
    TaskEvents events;
    events.reserve(m_tasks.size());
    for (const TaskSnapshot &t : std::as_const(m_tasks))
        events.append({ TaskEvent::Kind::Added, t, t.state });
    TrackerHub::deliver(tracker, events); // queued, as the engine delivers
}

void StaticTaskSource::removeTracker(TaskTracker * /*tracker*/)
{
    // Nothing is ever told after the first batch, and that one checks the tracker is alive.
}
