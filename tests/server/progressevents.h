#pragma once

#include "app/core/taskevent.h"

// One progress event of a running task, as the hub hands them to the push clients.
inline TaskEvents progressEvents(const QString &id, double percent)
{
    TaskEvent e;
    e.kind = TaskEvent::Kind::Progress;
    e.task.id = id;
    e.task.state = TaskState::Running;
    e.task.progress.percent = percent;
    return { e };
}
