#pragma once

#include "taskerror.h"
#include "taskprogress.h"
#include "taskstate.h"

#include <QJsonValue>

#include <optional>

struct TaskSnapshot;

// Runs tasks of one type somewhere else (a Celery cluster) instead of on the engine's workers.
// The engine calls startTask() when such a task leaves the queue (no worker slot is taken) and
// cancelTask() when a user cancels it; the driver reports back with
// TaskEngine::updateExternal(). Called in the engine's thread.
class ExternalTaskDriver
{
public:
    virtual ~ExternalTaskDriver();
    virtual void startTask(const TaskSnapshot &task) = 0;
    virtual void cancelTask(const TaskSnapshot &task) = 0;
};

// What a driver learned about one of its tasks; unset fields stay as they are.
struct ExternalUpdate
{
    std::optional<TaskState> state;
    std::optional<TaskProgress> progress;
    std::optional<QJsonValue> result;
    std::optional<TaskError> error;
    QString output; // appended to the task's output tail
};
