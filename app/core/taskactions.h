#pragma once

#include "taskstate.h"

#include <QFlags>
#include <QJsonArray>
#include <QStringList>

// What a user may do with a task now. The engine works it out from the task's state and its
// runner (TaskEngine keeps TaskSnapshot::actions current) and every view reads it from the
// task, so no view keeps its own copy of the state machine.
enum class TaskAction {
    Cancel = 0x1,
    Pause = 0x2,
    Resume = 0x4,
    Retry = 0x8,
    Remove = 0x10,
};
Q_DECLARE_FLAGS(TaskActions, TaskAction)
Q_DECLARE_OPERATORS_FOR_FLAGS(TaskActions)

// What the runner of a task can do, whatever its state.
struct TaskCapabilities
{
    bool pausable = true; // false: runs outside the workers (cluster, upload, external reporter)
    bool retryable = true; // false: nothing in Headway could run it again
};

// state + runner -> actions. `canceling`: a cancel was asked and has not ended the task yet.
TaskActions allowedTaskActions(TaskState state, TaskCapabilities capabilities, bool canceling);

QString taskActionName(TaskAction action);
QJsonArray taskActionsToJson(TaskActions actions);
TaskActions taskActionsFromJson(const QJsonArray &names);
