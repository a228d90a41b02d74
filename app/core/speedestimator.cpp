#include "speedestimator.h"

#include <algorithm>

namespace {
// With no change for this long (and several usual intervals) the work counts as stalled.
constexpr double kStallMs = 5000;
constexpr double kStallIntervals = 4;
// Waiting a little longer than the longest interval is still a steady rate (the sampling
// clock's jitter makes some intervals look longer).
constexpr double kLateIntervals = 1.25;
} // namespace

SpeedEstimator::SpeedEstimator(double warmupSeconds, double windowSeconds)
    : m_warmupMs(warmupSeconds * 1000.0), m_windowMs(windowSeconds * 1000.0)
{
}

void SpeedEstimator::reset()
{
    m_startMs = m_latestMs = -1;
    m_base = { -1, 0 };
    m_changes.clear();
}

void SpeedEstimator::update(qint64 nowMs, qint64 amount)
{
    const qint64 last = m_changes.isEmpty() ? m_base.amount : m_changes.constLast().amount;
    if (m_startMs < 0 || amount < last) {
        reset();
        m_startMs = nowMs;
        m_base = { nowMs, amount };
    }
    m_latestMs = nowMs;
    if (amount == (m_changes.isEmpty() ? m_base.amount : m_changes.constLast().amount))
        return;
    m_changes.append({ nowMs, amount });
    // Keep the changes of the last window (pruned only when a change comes, so a stall keeps
    // the rate it decays from), but always two to measure between.
    while (m_changes.size() > 2 && double(nowMs - m_changes.constFirst().ms) > m_windowMs)
        m_changes.removeFirst();
}

double SpeedEstimator::speed() const
{
    if (m_changes.isEmpty() || double(m_latestMs - m_startMs) < m_warmupMs)
        return 0;
    // Between the first and the newest change; before a second change, from the baseline.
    const Point first = m_changes.size() >= 2 ? m_changes.constFirst() : m_base;
    const Point newest = m_changes.constLast();
    const double span = double(newest.ms - first.ms);
    if (span <= 0)
        return 0;
    // The longest wait between changes seen lately is still normal for this work.
    double usual = m_changes.size() >= 2 ? 0.0 : span;
    for (qsizetype i = 1; i < m_changes.size(); ++i)
        usual = std::max(usual, double(m_changes.at(i).ms - m_changes.at(i - 1).ms));
    const double idle = double(m_latestMs - newest.ms);
    if (idle > kStallMs && idle > kStallIntervals * usual)
        return 0;
    // While nothing changes for longer than usual, the time without change counts too.
    const double elapsed = std::max(span, span + idle - kLateIntervals * usual);
    return double(newest.amount - first.amount) * 1000.0 / elapsed;
}

std::optional<double> SpeedEstimator::eta(qint64 remaining) const
{
    const double s = speed();
    if (s <= 0 || remaining < 0)
        return std::nullopt;
    return double(remaining) / s;
}
