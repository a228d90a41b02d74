#pragma once

#include <QString>
#include <QStringView>

#include <optional>

// The lifecycle of a task and the one place that says which transitions are legal.
enum class TaskState {
    Queued,
    Running,
    Paused,
    Retrying, // waiting out a backoff before the next attempt
    Succeeded,
    Failed,
    Canceled,
    Interrupted, // was running or paused when the process stopped
};

QString taskStateName(TaskState state);
std::optional<TaskState> taskStateFromName(QStringView name);

// Succeeded, failed, canceled or interrupted: nothing runs any more, the task may be removed.
bool isFinished(TaskState state);
// Failed, canceled or interrupted: may be retried as a new attempt.
bool isRetryable(TaskState state);
bool isTransitionAllowed(TaskState from, TaskState to);
