#include "changingtasksource.h"

#include "app/core/taskactions.h"
#include "app/core/taskcapabilities.h"
#include "app/core/tasktracker.h"
#include "app/core/tasktyperegistry.h"
#include "app/core/trackerhub.h"

#include <algorithm>

std::optional<TaskSnapshot> ChangingTaskSource::task(const QString &id) const
{
    for (const TaskSnapshot &t : m_tasks) {
        if (t.id == id)
            return t;
    }
    return std::nullopt;
}

void ChangingTaskSource::addTracker(TaskTracker *tracker, int /*maxUpdatesPerSecond*/,
                                    int /*outputPerSecond*/)
{
    m_trackers.append(tracker);
    TaskEvents events;
    for (const TaskSnapshot &t : std::as_const(m_tasks))
        events.append({ TaskEvent::Kind::Added, t, t.state });
    if (!events.isEmpty())
        TrackerHub::deliver(tracker, events);
}

void ChangingTaskSource::removeTracker(TaskTracker *tracker)
{
    m_trackers.removeAll(tracker);
}

void ChangingTaskSource::put(TaskSnapshot task)
{
    const TaskType *type = m_registry.find(task.type);
    const bool external = type && !type->create; // run by a driver elsewhere
    task.actions = allowedTaskActions(task.state, taskCapabilities(type, external), false);
    TaskEvent event { TaskEvent::Kind::Added, task, task.state };
    auto it = std::find_if(m_tasks.begin(), m_tasks.end(),
                           [&](const TaskSnapshot &t) { return t.id == task.id; });
    if (it == m_tasks.end()) {
        m_tasks.append(task);
    } else {
        event.kind
            = it->state == task.state ? TaskEvent::Kind::Progress : TaskEvent::Kind::StateChanged;
        event.previousState = it->state;
        *it = task;
    }
    for (const QPointer<TaskTracker> &tracker : std::as_const(m_trackers)) {
        if (tracker)
            TrackerHub::deliver(tracker, { event });
    }
}
