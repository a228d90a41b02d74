#pragma once

#include "app/core/taskrunner.h"

#include <QCoreApplication>

// The classic demo task: N steps with a delay each, optionally failing at one of them. Used by
// demos, screenshots, the benchmark and tests of every view. Sleeps in short slices and calls
// the checkpoint between them, so cancel and pause take effect within ~10 ms.
class DemoTask final : public TaskRunner
{
    Q_DECLARE_TR_FUNCTIONS(DemoTask)

public:
    // failAtStep: 1-based step that fails; 0 = none.
    DemoTask(int steps, int delayMs, int failAtStep);
    TaskOutcome run(TaskContext &context) override;

private:
    const int m_steps;
    const int m_delayMs;
    const int m_failAtStep;
};
