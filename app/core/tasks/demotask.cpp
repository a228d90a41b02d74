#include "demotask.h"

#include "app/core/taskcontext.h"

#include <QThread>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
// Cancel and pause react within one slice.
constexpr int kSliceMs = 10;
} // namespace

DemoTask::DemoTask(int steps, int delayMs, int failAtStep)
    : m_steps(std::max(0, steps)), m_delayMs(std::max(0, delayMs)), m_failAtStep(failAtStep)
{
}

TaskOutcome DemoTask::run(TaskContext &context)
{
    const auto canceled = [] { return TaskOutcome::failure(u"canceled"_s, tr("Canceled.")); };

    context.setTotal(m_steps, u"items"_s);
    context.setProcessed(0);
    for (int step = 1; step <= m_steps; ++step) {
        if (!context.checkpoint())
            return canceled();
        context.setMessage(tr("Step %1 of %2").arg(step).arg(m_steps));
        // Count only time actually slept, so a pause does not eat into the step's delay.
        for (int remaining = m_delayMs; remaining > 0; remaining -= kSliceMs) {
            QThread::msleep(std::min(remaining, kSliceMs));
            if (!context.checkpoint())
                return canceled();
        }
        if (step == m_failAtStep) {
            return TaskOutcome::failure(
                u"demo_failure"_s,
                tr("Step %1 of %2 failed, as asked (fail_at_step).").arg(step).arg(m_steps),
                { { u"step"_s, step } });
        }
        context.setProcessed(step);
    }
    return TaskOutcome::success(
        QJsonObject { { u"status"_s, u"Task completed!"_s }, { u"steps"_s, m_steps } });
}
