#include "progressestimator.h"

#include <cmath>

void ProgressEstimator::reset()
{
    m_step.reset();
    m_whole.reset();
    m_stepIndex = -1;
}

bool ProgressEstimator::update(qint64 nowMs, TaskProgress &p)
{
    if (p.step != m_stepIndex) { // a new step counts in its own unit from its own start
        m_step.reset();
        m_stepIndex = p.step;
    }
    const bool byAmount = p.total > 0 || (p.total < 0 && !p.percent);
    const qint64 amount = byAmount ? p.processed : qint64(p.percent.value_or(0) * 1000.0);
    m_step.update(nowMs, amount);
    const double speed = byAmount ? m_step.speed() : 0.0;
    std::optional<double> eta;
    if (p.steps.size() > 1 && p.percent) {
        m_whole.update(nowMs, qint64(*p.percent * 1000.0));
        eta = m_whole.eta(qint64((100.0 - *p.percent) * 1000.0));
    } else if (p.total > 0) {
        eta = m_step.eta(p.total - p.processed);
    } else if (p.percent) {
        eta = m_step.eta(qint64((100.0 - *p.percent) * 1000.0));
    }
    if (std::abs(speed - p.speed) <= 1e-9 && eta == p.eta)
        return false;
    p.speed = speed;
    p.eta = eta;
    return true;
}
