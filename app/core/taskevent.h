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
    // False: task.output and task.outputStderr were left out of this Progress event (the
    // tracker takes output at its own slower rate; see TrackerHub::add). True in every other
    // event, and in the Progress event that tells a tracker its task's output changed.
    bool withOutput = true;
};

using TaskEvents = QList<TaskEvent>;
Q_DECLARE_METATYPE(TaskEvent)
