#pragma once

#include "taskerror.h"

#include <QJsonValue>

class TaskContext;

// How one attempt of a task ended, as the task's code saw it.
struct TaskOutcome
{
    bool ok = false;
    QJsonValue result;
    TaskError error;

    static TaskOutcome success(QJsonValue result = {}) { return { true, std::move(result), {} }; }
    static TaskOutcome failure(QString code, QString message, QJsonObject details = {})
    {
        return { false, {}, TaskError { std::move(code), std::move(message), std::move(details) } };
    }
};

// The code of one task type, run on a worker thread. It reports through the context, calls
// context.checkpoint() often, and returns when done, failed or asked to stop. When the context
// was canceled, whatever it returns counts as canceled.
class TaskRunner
{
public:
    virtual ~TaskRunner();
    virtual TaskOutcome run(TaskContext &context) = 0;
};
