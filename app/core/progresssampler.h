#pragma once

#include <QObject>
#include <QTimer>

#include <functional>

// The engine's progress clock: a timer that runs only while there is something to sample
// (a task running or paused, progress not yet told). wake() starts it; each tick calls the
// sampler function, whose false ("nothing left") stops it until the next wake(), so an idle
// engine, or one whose only task waits out a backoff, never wakes the process.
class ProgressSampler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProgressSampler)

public:
    static constexpr int MinIntervalMs = 10;

    // tick: samples; returns whether the timer should keep running.
    explicit ProgressSampler(std::function<bool()> tick, QObject *parent = nullptr);

    void setInterval(int ms); // at least MinIntervalMs
    int interval() const { return m_timer.interval(); }
    void wake();
    void stop();
    bool isActive() const { return m_timer.isActive(); }

private:
    std::function<bool()> m_tick;
    QTimer m_timer;
};
