#pragma once

#include "outputtail.h"
#include "taskactions.h"
#include "taskerror.h"
#include "taskprogress.h"
#include "taskstate.h"

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

// A copy of everything known about one task at one moment. The engine owns the live data;
// observers, the store and the API only ever see snapshots, so no lock is ever shared with them.
struct TaskSnapshot
{
    QString id; // UUID without braces
    QString type;
    QString title;
    QJsonObject params;
    TaskState state = TaskState::Queued;
    int priority = 0; // higher runs first
    QDateTime created;
    QDateTime started;
    QDateTime finished;
    int attempt = 1;
    TaskProgress progress;
    QJsonValue result; // null until succeeded
    std::optional<TaskError> error; // set when failed (or canceled/interrupted, with why)
    QString output; // tail of a command's output (stdout and stderr as printed), newest last
    OutputTail::Spans outputStderr; // the parts of `output` that came from stderr
    TaskActions actions; // what a user may do now; kept by the engine (see TaskEngine)

    // Policy, chosen at submit time.
    int maxRetries = 0;
    int backoffMs = 1000;
    int timeoutMs = 0; // 0 = none
    QDateTime retryAt; // while retrying: when the next attempt is queued

    // Whole: the task resource and the store, with "output" and "output_stderr". Summary: the
    // change feeds (sync, WebSocket, SSE, Socket.IO), which leave the output (up to 64 KiB) to
    // whoever asks (GET /api/v1/tasks/ID/output) and say only "output_size" (characters kept)
    // and "stderr_last_line" (the likely cause of a failure), each when there is one.
    enum class Output { Whole, Summary };
    QJsonObject toJson(Output output = Output::Whole) const;
    static std::optional<TaskSnapshot> fromJson(const QJsonObject &json);
};
