#pragma once

#include "app/core/taskrunner.h"

#include <QCoreApplication>

#include <functional>

// The classic demo task: N steps with a delay each, optionally failing at one of them. Used by
// demos, screenshots, the benchmark and tests of every view. Sleeps in short slices and calls
// the checkpoint between them, so cancel and pause take effect within ~10 ms. Step k ends at
// k x delay of running time (paused time not counted): a schedule, so the overshoot of every
// sleep does not add up and N steps of D ms take N x D ms, as the benchmarks' ideal says.
class DemoTask final : public TaskRunner
{
    Q_DECLARE_TR_FUNCTIONS(DemoTask)

public:
    // Time as the task sees it; the default is the monotonic clock and QThread's sleep.
    struct Clock
    {
        std::function<qint64()> nowNs;
        std::function<void(qint64 ns)> sleepNs;
    };
    // failAtStep: 1-based step that fails; 0 = none.
    DemoTask(int steps, int delayMs, int failAtStep, Clock clock = {});
    TaskOutcome run(TaskContext &context) override;

private:
    const int m_steps;
    const int m_delayMs;
    const int m_failAtStep;
    Clock m_clock;
};
