#pragma once

#include "tasksnapshot.h"

#include <QList>
#include <QMetaType>

// One change an observer is told about. Progress events are coalesced; the others never are.
struct TaskEvent
{
    enum class Kind {
        Added, // a new task (or one restored from the store)
        Progress, // progress or message changed; state unchanged
        StateChanged, // state changed; task holds the snapshot right after the transition
        Removed, // task removed; only task.id is meaningful
    };
    Kind kind = Kind::Progress;
    TaskSnapshot task;
    TaskState previousState = TaskState::Queued; // for StateChanged
};

using TaskEvents = QList<TaskEvent>;
Q_DECLARE_METATYPE(TaskEvent)
