#pragma once

#include "progressestimator.h"
#include "taskcontext.h"
#include "taskrunner.h"
#include "tasksnapshot.h"

#include <memory>

struct EngineTask;

// One attempt of a task as handed to a worker: the runner and context live exactly as long as
// the attempt, so a late-finishing old attempt can never touch a newer one.
struct TaskAttempt
{
    std::shared_ptr<EngineTask> task;
    std::shared_ptr<TaskContext> context;
    std::shared_ptr<TaskRunner> runner;
    quint64 sequence = 0; // FIFO order within a priority
    int priority = 0;
    TaskOutcome outcome; // written by the worker before it reports the end
};

// The engine's live record of one task (engine thread only, except the attempt's context).
struct EngineTask
{
    TaskSnapshot snapshot;
    std::shared_ptr<TaskAttempt> attempt; // the current attempt, if any
    TaskContext::Sample sample;
    ProgressEstimator speed;
    qint64 startedMs = -1; // monotonic, current attempt
    qint64 cancelDeadlineMs = -1; // cancel requested: abandon the attempt after this
    qint64 retryAtMs = -1;
    bool timedOut = false;
    bool interrupting = false; // shutting down: end as interrupted
    bool external = false; // run by an ExternalTaskDriver
    bool dispatched = false; // a worker has taken the attempt
    TaskCapabilities capabilities; // from the type (and external: not pausable)
    bool estimateSpeed = true; // the engine works out speed and ETA (its own and some external)
};
