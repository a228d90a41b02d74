#include "taskstate.h"

#include <array>

namespace {
constexpr std::array<std::pair<TaskState, const char16_t *>, 8> kNames { {
    { TaskState::Queued, u"queued" },
    { TaskState::Running, u"running" },
    { TaskState::Paused, u"paused" },
    { TaskState::Retrying, u"retrying" },
    { TaskState::Succeeded, u"succeeded" },
    { TaskState::Failed, u"failed" },
    { TaskState::Canceled, u"canceled" },
    { TaskState::Interrupted, u"interrupted" },
} };
} // namespace

QString taskStateName(TaskState state)
{
    for (const auto &[s, name] : kNames) {
        if (s == state)
            return QString::fromUtf16(name);
    }
    return {};
}

std::optional<TaskState> taskStateFromName(QStringView name)
{
    for (const auto &[s, n] : kNames) {
        if (name == QStringView(n))
            return s;
    }
    return std::nullopt;
}

bool isFinished(TaskState state)
{
    switch (state) {
    case TaskState::Succeeded:
    case TaskState::Failed:
    case TaskState::Canceled:
    case TaskState::Interrupted:
        return true;
    default:
        return false;
    }
}

bool isRetryable(TaskState state)
{
    return state == TaskState::Failed || state == TaskState::Canceled
        || state == TaskState::Interrupted;
}

bool isTransitionAllowed(TaskState from, TaskState to)
{
    using S = TaskState;
    switch (from) {
    case S::Queued:
        return to == S::Running || to == S::Canceled;
    case S::Running:
        return to == S::Succeeded || to == S::Failed || to == S::Canceled || to == S::Paused
            || to == S::Retrying || to == S::Interrupted;
    case S::Paused:
        return to == S::Running || to == S::Canceled || to == S::Interrupted;
    case S::Retrying:
        return to == S::Queued || to == S::Canceled;
    case S::Failed:
    case S::Canceled:
        return to == S::Queued;
    case S::Interrupted:
        // Or ended for good by the driver of an external task that cannot resume (an upload
        // whose partial file is gone), with no attempt in between (TaskEngine::endExternal).
        return to == S::Queued || to == S::Failed || to == S::Canceled;
    case S::Succeeded:
        return false;
    }
    return false;
}
