#pragma once

#include "speedestimator.h"
#include "taskprogress.h"

// The speed and time left shown for a running task. The speed is the current step's (its own
// unit); the time left covers the whole task, so a pipeline's counts the steps still to come.
class ProgressEstimator final
{
public:
    void reset();
    // Sets p.speed and p.eta for the progress sampled at a monotonic time in ms; true if they
    // changed.
    bool update(qint64 nowMs, TaskProgress &p);

private:
    SpeedEstimator m_step; // the amount of the current step (or of the whole task)
    SpeedEstimator m_whole; // the overall percent, for a pipeline's time left
    int m_stepIndex = -1;
};
