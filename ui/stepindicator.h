#pragma once

#include <QList>
#include <QStringList>
#include <QTimer>
#include <QWidget>

// N labelled steps in a row joined by connectors, each pending, active, done or failed (a
// pipeline's progress). The active step pulses while the widget is visible and animations are
// on. Everything is sized from the font, so it follows font size and DPI; screen readers get a
// name and a description that spell out every step's state.
class StepIndicator final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StepIndicator)

public:
    enum class StepState { Pending, Active, Done, Failed };
    Q_ENUM(StepState)

    explicit StepIndicator(QWidget *parent = nullptr);

    void setSteps(const QStringList &labels); // all pending
    QStringList steps() const { return m_labels; }
    int count() const { return int(m_labels.size()); }

    void setStepState(int index, StepState state);
    StepState stepState(int index) const;
    // Steps before `current` done, `current` active (or failed), the rest pending; current >=
    // count(): all done; current < 0: all pending.
    void setCurrent(int current, bool failed = false);

    // "Step 2 of 3, Upload: active"
    QString stepText(int index) const;
    bool isAnimating() const { return m_timer.isActive(); }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateAnimation();
    void updateAccessibility();
    int diameter() const;
    int slotWidth() const;

    QStringList m_labels;
    QList<StepState> m_states;
    QTimer m_timer;
    int m_frame = 0;
};
