#include "taskactions.h"

#include <array>

namespace {
constexpr std::array<std::pair<TaskAction, const char16_t *>, 5> kNames { {
    { TaskAction::Cancel, u"cancel" },
    { TaskAction::Pause, u"pause" },
    { TaskAction::Resume, u"resume" },
    { TaskAction::Retry, u"retry" },
    { TaskAction::Remove, u"remove" },
} };
} // namespace

TaskActions allowedTaskActions(TaskState state, TaskCapabilities capabilities, bool canceling)
{
    TaskActions actions;
    if (isFinished(state)) {
        actions |= TaskAction::Remove;
        if (isRetryable(state) && capabilities.retryable)
            actions |= TaskAction::Retry;
        return actions;
    }
    if (canceling)
        return actions; // the cancel is on its way: nothing else makes sense meanwhile
    actions |= TaskAction::Cancel;
    if (state == TaskState::Running && capabilities.pausable)
        actions |= TaskAction::Pause;
    if (state == TaskState::Paused)
        actions |= TaskAction::Resume;
    return actions;
}

QString taskActionName(TaskAction action)
{
    for (const auto &[a, name] : kNames) {
        if (a == action)
            return QString::fromUtf16(name);
    }
    return {};
}

QJsonArray taskActionsToJson(TaskActions actions)
{
    QJsonArray list;
    for (const auto &[a, name] : kNames) {
        if (actions.testFlag(a))
            list.append(QString::fromUtf16(name));
    }
    return list;
}

TaskActions taskActionsFromJson(const QJsonArray &names)
{
    TaskActions actions;
    for (const QJsonValue &v : names) {
        for (const auto &[a, name] : kNames) {
            if (v.toString() == QStringView(name))
                actions |= a;
        }
    }
    return actions;
}
