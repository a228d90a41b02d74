#pragma once

#include <QTimer>
#include <QWidget>

// A spinning arc for work of unknown length that appears only when the work has lasted longer
// than a delay (400 ms by default), so short operations do not flash. It reserves its size while
// hidden, so layouts do not jump, and stands still when animations are off.
class BusySpinner final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BusySpinner)

public:
    explicit BusySpinner(QWidget *parent = nullptr);

    static constexpr int kDefaultDelayMs = 400;
    void setDelay(int ms) { m_delay.setInterval(std::max(0, ms)); }
    int delay() const { return m_delay.interval(); }

    // start() may be called repeatedly; stop() hides at once.
    void start();
    void stop();
    bool isBusy() const { return m_busy; } // start() called, stop() not yet
    bool isSpinning() const { return m_shown; } // actually drawn
    // The delay is counting down: the spinner will appear unless stop() comes first.
    bool isPending() const { return m_delay.isActive(); }

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void appear();

    QTimer m_delay;
    QTimer m_frames;
    int m_angle = 0;
    bool m_busy = false;
    bool m_shown = false;
};
