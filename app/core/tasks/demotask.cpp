#include "demotask.h"

#include "app/core/taskcontext.h"

#include <QElapsedTimer>
#include <QThread>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
// Cancel and pause react within one slice.
constexpr qint64 kSliceNs = 10'000'000;

DemoTask::Clock monotonicClock()
{
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    return { [timer] { return timer->nsecsElapsed(); },
             [](qint64 ns) { QThread::usleep(static_cast<unsigned long>((ns + 999) / 1000)); } };
}
} // namespace

DemoTask::DemoTask(int steps, int delayMs, int failAtStep, Clock clock)
    : m_steps(std::max(0, steps)), m_delayMs(std::max(0, delayMs)), m_failAtStep(failAtStep),
      m_clock(clock.nowNs && clock.sleepNs ? std::move(clock) : monotonicClock())
{
}

TaskOutcome DemoTask::run(TaskContext &context)
{
    const auto canceled = [] { return TaskOutcome::failure(u"canceled"_s, tr("Canceled.")); };

    // Running time: what the clock says less the time held at a checkpoint by a pause, so a
    // pause does not eat into the step's delay.
    const qint64 startNs = m_clock.nowNs();
    qint64 heldNs = 0;
    const auto checkpoint = [&] {
        const qint64 before = m_clock.nowNs();
        const bool goOn = context.checkpoint();
        heldNs += m_clock.nowNs() - before;
        return goOn;
    };
    context.setTotal(m_steps, u"items"_s);
    context.setProcessed(0);
    for (int step = 1; step <= m_steps; ++step) {
        if (!checkpoint())
            return canceled();
        context.setMessage(tr("Step %1 of %2").arg(step).arg(m_steps));
        const qint64 dueNs = qint64(step) * m_delayMs * 1'000'000;
        for (qint64 left; (left = dueNs - (m_clock.nowNs() - startNs - heldNs)) > 0;) {
            m_clock.sleepNs(std::min(left, kSliceNs));
            if (!checkpoint())
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
