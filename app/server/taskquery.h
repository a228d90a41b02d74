#pragma once

#include "app/core/engineerror.h"
#include "app/core/taskstate.h"

#include <QList>
#include <QStringList>
#include <QUrlQuery>

struct TaskSnapshot;

// The query strings of GET /api/v1/tasks (limit, offset, state, type) and GET /api/v1/sync
// (rid), parsed as pure functions (fuzzed by tests/fuzz). Every wrong field is named.
class TaskQuery final
{
public:
    static constexpr int DefaultLimit = 100;
    static constexpr int MaxLimit = 1000;

    int limit = DefaultLimit;
    int offset = 0;
    QList<TaskState> states; // state=running,queued
    bool wantActive = false; // the groups state=active and state=finished
    bool wantFinished = false;
    QStringList types; // type=demo,copy

    // The filter of /tasks; *errors gets one entry per wrong field.
    static TaskQuery parse(const QUrlQuery &query, QList<FieldError> *errors);
    // rid of /sync (0 when absent); nullopt if it is not a non-negative integer.
    static std::optional<qint64> parseSyncRid(const QUrlQuery &query);

    // Whether a task passes the state and type filters (limit and offset are the caller's).
    bool matches(const TaskSnapshot &task) const;
};
