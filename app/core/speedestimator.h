#pragma once

#include <QtGlobal>

#include <optional>

// Smoothed speed and ETA from (time, amount) samples: an exponential moving average over
// windows of at least a quarter second, reported only after a warm-up, so neither jumps around.
class SpeedEstimator final
{
public:
    explicit SpeedEstimator(double warmupSeconds = 1.0, double timeConstantSeconds = 3.0);

    void reset();
    // Feeds the amount done at a monotonic time in ms.
    void update(qint64 nowMs, qint64 amount);
    double speed() const; // units/s; 0 before the warm-up
    std::optional<double> eta(qint64 remaining) const;

private:
    double m_warmupMs;
    double m_tauMs;
    qint64 m_startMs = -1;
    qint64 m_lastMs = -1;
    qint64 m_lastAmount = 0;
    double m_ema = 0;
    bool m_haveRate = false;
    qint64 m_latestMs = -1;
};
