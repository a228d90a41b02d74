#include "progresssampler.h"

#include <algorithm>

ProgressSampler::ProgressSampler(std::function<bool()> tick, QObject *parent)
    : QObject(parent), m_tick(std::move(tick))
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(33);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (!m_tick())
            m_timer.stop();
    });
}

void ProgressSampler::setInterval(int ms)
{
    m_timer.setInterval(std::max(MinIntervalMs, ms));
}

void ProgressSampler::wake()
{
    if (!m_timer.isActive())
        m_timer.start();
}

void ProgressSampler::stop()
{
    m_timer.stop();
}
