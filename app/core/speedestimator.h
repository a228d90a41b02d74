#pragma once

#include <QList>
#include <QtGlobal>

#include <optional>

// Speed and ETA from (time, amount) samples. The rate is measured between the moments the
// amount changed within the last few seconds, so work that advances in whole steps (1 item/s,
// bursts of blocks) reads its true rate instead of an average of zeros and spikes, and settles
// as soon as two changes have been seen. When the amount stops changing for longer than its
// usual interval the rate decays, and after a stall it is reported as unknown.
class SpeedEstimator final
{
public:
    explicit SpeedEstimator(double warmupSeconds = 1.0, double windowSeconds = 3.0);

    void reset();
    // Feeds the amount done at a monotonic time in ms. An amount going back starts over.
    void update(qint64 nowMs, qint64 amount);
    double speed() const; // units/s at the latest update; 0 before the warm-up or when stalled
    std::optional<double> eta(qint64 remaining) const;

private:
    struct Point
    {
        qint64 ms;
        qint64 amount;
    };

    double m_warmupMs;
    double m_windowMs;
    qint64 m_startMs = -1;
    qint64 m_latestMs = -1;
    Point m_base { -1, 0 }; // the first sample: a baseline until two changes are known
    QList<Point> m_changes; // when the amount changed, oldest first, within the window
};
