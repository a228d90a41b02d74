#include "stepindicator.h"

#include "animationpolicy.h"
#include "taskformat.h"

#include <QAccessible>
#include <QEvent>
#include <QPainter>
#include <QPainterPath>

#include <cmath>

using namespace Qt::StringLiterals;

StepIndicator::StepIndicator(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    setAccessibleName(tr("Steps"));
    m_timer.setInterval(50);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        m_frame = (m_frame + 1) % 40;
        update();
    });
}

void StepIndicator::setSteps(const QStringList &labels)
{
    if (labels == m_labels)
        return;
    m_labels = labels;
    m_states = QList<StepState>(labels.size(), StepState::Pending);
    updateGeometry();
    update();
    updateAnimation();
    updateAccessibility();
}

void StepIndicator::setStepState(int index, StepState state)
{
    if (index < 0 || index >= m_states.size() || m_states.at(index) == state)
        return;
    m_states[index] = state;
    update();
    updateAnimation();
    updateAccessibility();
}

StepIndicator::StepState StepIndicator::stepState(int index) const
{
    return index >= 0 && index < m_states.size() ? m_states.at(index) : StepState::Pending;
}

void StepIndicator::setCurrent(int current, bool failed)
{
    QList<StepState> states(m_labels.size(), StepState::Pending);
    for (int i = 0; i < states.size(); ++i) {
        if (i < current)
            states[i] = StepState::Done;
        else if (i == current)
            states[i] = failed ? StepState::Failed : StepState::Active;
    }
    if (states == m_states)
        return;
    m_states = states;
    update();
    updateAnimation();
    updateAccessibility();
}

QString StepIndicator::stepText(int index) const
{
    if (index < 0 || index >= m_labels.size())
        return {};
    QString state;
    switch (m_states.at(index)) {
    case StepState::Pending:
        state = tr("pending");
        break;
    case StepState::Active:
        state = tr("active");
        break;
    case StepState::Done:
        state = tr("done");
        break;
    case StepState::Failed:
        state = tr("failed");
        break;
    }
    return tr("Step %1 of %2, %3: %4")
        .arg(index + 1)
        .arg(m_labels.size())
        .arg(m_labels.at(index), state);
}

void StepIndicator::updateAccessibility()
{
    QStringList parts;
    for (int i = 0; i < m_labels.size(); ++i)
        parts.append(stepText(i));
    setAccessibleDescription(parts.join(u"; "_s));
    setToolTip(parts.join(u'\n'));
    if (QAccessible::isActive()) {
        QAccessibleEvent event(this, QAccessible::DescriptionChanged);
        QAccessible::updateAccessibility(&event);
    }
}

int StepIndicator::diameter() const
{
    return std::max(12, fontMetrics().height() * 4 / 3);
}

int StepIndicator::slotWidth() const
{
    // Wide enough for most labels; longer ones are elided.
    return std::max(diameter() * 3, fontMetrics().averageCharWidth() * 14);
}

QSize StepIndicator::sizeHint() const
{
    const int pad = diameter() / 3;
    return { std::max(1, int(m_labels.size())) * slotWidth(),
             pad + diameter() + pad + fontMetrics().height() + pad };
}

QSize StepIndicator::minimumSizeHint() const
{
    const int pad = diameter() / 3;
    return { std::max(1, int(m_labels.size())) * (diameter() + pad),
             pad + diameter() + pad + fontMetrics().height() + pad };
}

void StepIndicator::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    updateAnimation();
}

void StepIndicator::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    updateAnimation();
}

void StepIndicator::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        updateGeometry();
}

void StepIndicator::updateAnimation()
{
    const bool active = m_states.contains(StepState::Active);
    if (active && isVisible() && AnimationPolicy::enabled()) {
        if (!m_timer.isActive())
            m_timer.start();
    } else {
        m_timer.stop();
        m_frame = 0;
    }
}

void StepIndicator::paintEvent(QPaintEvent *)
{
    if (m_labels.isEmpty())
        return;
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const int d = diameter();
    const int pad = d / 3;
    const int n = int(m_labels.size());
    const double slot = double(width()) / n;
    const double cy = pad + d / 2.0;
    const QColor pending = pal.color(QPalette::Mid);
    const QColor active = pal.color(QPalette::Highlight);
    const QColor done = TaskFormat::stateColor(TaskState::Succeeded, pal);
    const QColor failed = TaskFormat::stateColor(TaskState::Failed, pal);
    const double lineW = std::max(2.0, d / 8.0);

    // Connectors first, so the circles sit on top.
    for (int i = 0; i + 1 < n; ++i) {
        const double x1 = slot * i + slot / 2 + d / 2.0 + pad / 2.0;
        const double x2 = slot * (i + 1) + slot / 2 - d / 2.0 - pad / 2.0;
        if (x2 <= x1)
            continue;
        p.setPen(QPen(m_states.at(i) == StepState::Done ? done : pending, lineW, Qt::SolidLine,
                      Qt::RoundCap));
        p.drawLine(QPointF(x1, cy), QPointF(x2, cy));
    }

    QFont numberFont = font();
    numberFont.setBold(true);
    for (int i = 0; i < n; ++i) {
        const double cx = slot * i + slot / 2;
        const QRectF circle(cx - d / 2.0, cy - d / 2.0, d, d);
        const StepState s = m_states.at(i);
        switch (s) {
        case StepState::Pending:
            p.setPen(QPen(pending, lineW));
            p.setBrush(pal.color(QPalette::Base));
            p.drawEllipse(circle.adjusted(lineW / 2, lineW / 2, -lineW / 2, -lineW / 2));
            p.setPen(pal.color(QPalette::Text));
            p.setFont(numberFont);
            p.drawText(circle, Qt::AlignCenter, QString::number(i + 1));
            break;
        case StepState::Active: {
            // The pulse: a ring that grows and fades (a fixed frame without animations).
            const double t = (m_timer.isActive() ? m_frame : 10) / 40.0;
            QColor ring = active;
            ring.setAlphaF(float(0.45 * (1 - t)));
            p.setPen(Qt::NoPen);
            p.setBrush(ring);
            const double grow = pad * t;
            p.drawEllipse(circle.adjusted(-grow, -grow, grow, grow));
            p.setBrush(active);
            p.drawEllipse(circle);
            p.setPen(pal.color(QPalette::HighlightedText));
            p.setFont(numberFont);
            p.drawText(circle, Qt::AlignCenter, QString::number(i + 1));
            break;
        }
        case StepState::Done: {
            p.setPen(Qt::NoPen);
            p.setBrush(done);
            p.drawEllipse(circle);
            QPainterPath check;
            check.moveTo(circle.left() + d * 0.28, circle.top() + d * 0.52);
            check.lineTo(circle.left() + d * 0.44, circle.top() + d * 0.68);
            check.lineTo(circle.left() + d * 0.72, circle.top() + d * 0.36);
            p.setPen(QPen(Qt::white, lineW, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            p.setBrush(Qt::NoBrush);
            p.drawPath(check);
            break;
        }
        case StepState::Failed: {
            p.setPen(Qt::NoPen);
            p.setBrush(failed);
            p.drawEllipse(circle);
            p.setPen(QPen(Qt::white, lineW, Qt::SolidLine, Qt::RoundCap));
            const double k = d * 0.3;
            p.drawLine(QPointF(cx - k / 1.2, cy - k / 1.2), QPointF(cx + k / 1.2, cy + k / 1.2));
            p.drawLine(QPointF(cx + k / 1.2, cy - k / 1.2), QPointF(cx - k / 1.2, cy + k / 1.2));
            break;
        }
        }
        QFont labelFont = font();
        labelFont.setBold(s == StepState::Active);
        p.setFont(labelFont);
        p.setPen(s == StepState::Pending ? pal.color(QPalette::PlaceholderText)
                                         : pal.color(QPalette::WindowText));
        const QRectF labelRect(slot * i + 2, cy + d / 2.0 + pad, slot - 4, fontMetrics().height());
        p.drawText(labelRect, Qt::AlignHCenter | Qt::AlignTop,
                   QFontMetrics(labelFont).elidedText(m_labels.at(i), Qt::ElideRight,
                                                      int(labelRect.width())));
    }
}
