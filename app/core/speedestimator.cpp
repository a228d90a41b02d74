#include "speedestimator.h"

#include <cmath>

namespace {
constexpr qint64 kMinWindowMs = 250;
}

SpeedEstimator::SpeedEstimator(double warmupSeconds, double timeConstantSeconds)
    : m_warmupMs(warmupSeconds * 1000.0), m_tauMs(timeConstantSeconds * 1000.0)
{
}

void SpeedEstimator::reset()
{
    m_startMs = m_lastMs = m_latestMs = -1;
    m_lastAmount = 0;
    m_ema = 0;
    m_haveRate = false;
}

void SpeedEstimator::update(qint64 nowMs, qint64 amount)
{
    m_latestMs = nowMs;
    if (m_startMs < 0) {
        m_startMs = m_lastMs = nowMs;
        m_lastAmount = amount;
        return;
    }
    const qint64 dt = nowMs - m_lastMs;
    if (dt < kMinWindowMs)
        return;
    const double rate = double(amount - m_lastAmount) * 1000.0 / double(dt);
    if (!m_haveRate) {
        m_ema = rate;
        m_haveRate = true;
    } else {
        const double alpha = 1.0 - std::exp(-double(dt) / m_tauMs);
        m_ema += alpha * (rate - m_ema);
    }
    m_lastMs = nowMs;
    m_lastAmount = amount;
}

double SpeedEstimator::speed() const
{
    if (!m_haveRate || double(m_latestMs - m_startMs) < m_warmupMs)
        return 0;
    return std::max(0.0, m_ema);
}

std::optional<double> SpeedEstimator::eta(qint64 remaining) const
{
    const double s = speed();
    if (s <= 0 || remaining < 0)
        return std::nullopt;
    return double(remaining) / s;
}
