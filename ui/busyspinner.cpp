#include "busyspinner.h"

#include "animationpolicy.h"

#include <QAccessible>
#include <QPainter>

using namespace Qt::StringLiterals;

BusySpinner::BusySpinner(QWidget *parent) : QWidget(parent), m_delay(this)
{
    m_delay.setObjectName(u"busyDelay"_s); // tests watch it: the spinner shows when it fires
    setAccessibleName(tr("Busy"));
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    QSizePolicy sp = sizePolicy();
    sp.setRetainSizeWhenHidden(true);
    setSizePolicy(sp);
    m_delay.setSingleShot(true);
    m_delay.setInterval(kDefaultDelayMs);
    connect(&m_delay, &QTimer::timeout, this, &BusySpinner::appear);
    m_frames.setInterval(40);
    connect(&m_frames, &QTimer::timeout, this, [this] {
        m_angle = (m_angle + 30) % 360;
        update();
    });
    QWidget::setVisible(false);
}

void BusySpinner::start()
{
    if (m_busy)
        return;
    m_busy = true;
    m_delay.start();
}

void BusySpinner::stop()
{
    m_busy = false;
    m_delay.stop();
    m_frames.stop();
    if (m_shown) {
        m_shown = false;
        hide();
    }
}

void BusySpinner::appear()
{
    if (!m_busy)
        return;
    m_shown = true;
    show();
    if (AnimationPolicy::enabled())
        m_frames.start();
    if (QAccessible::isActive()) {
        QAccessibleEvent event(this, QAccessible::ObjectShow);
        QAccessible::updateAccessibility(&event);
    }
}

QSize BusySpinner::sizeHint() const
{
    const int s = fontMetrics().height();
    return { s, s };
}

void BusySpinner::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const int side = std::min(width(), height());
    const double pen = std::max(2.0, side / 8.0);
    const QRectF r((width() - side) / 2.0 + pen / 2, (height() - side) / 2.0 + pen / 2, side - pen,
                   side - pen);
    QColor track = palette().color(QPalette::WindowText);
    track.setAlphaF(0.15f);
    p.setPen(QPen(track, pen));
    p.drawEllipse(r);
    p.setPen(QPen(palette().color(QPalette::Highlight), pen, Qt::SolidLine, Qt::RoundCap));
    p.drawArc(r, (90 - m_angle) * 16, -100 * 16);
}
