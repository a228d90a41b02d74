#include "appicon.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

QPixmap AppIcon::pixmap(int size, double percent)
{
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    const double pen = std::max(1.5, size / 9.0);
    const QRectF r(pen / 2 + 0.5, pen / 2 + 0.5, size - pen - 1, size - pen - 1);
    const QColor blue(0x1f, 0x6f, 0xd1);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0xf4, 0xf7, 0xfb));
    p.drawEllipse(r);
    p.setPen(QPen(QColor(0xc9, 0xd6, 0xe8), pen));
    p.setBrush(Qt::NoBrush);
    p.drawEllipse(r);
    p.setPen(QPen(blue, pen, Qt::SolidLine, Qt::RoundCap));
    const double fraction = percent < 0 ? 0.7 : std::clamp(percent / 100.0, 0.0, 1.0);
    p.drawArc(r, 90 * 16, -int(360 * 16 * fraction));
    // An arrow heading forward: "headway".
    QPainterPath arrow;
    const double c = size / 2.0;
    const double k = size * 0.18;
    arrow.moveTo(c - k, c - k);
    arrow.lineTo(c + k * 0.6, c);
    arrow.lineTo(c - k, c + k);
    p.setPen(QPen(blue, pen, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.drawPath(arrow);
    return pm;
}

QIcon AppIcon::icon(double percent)
{
    QIcon icon;
    for (int s : { 16, 22, 24, 32, 48, 64, 128, 256 })
        icon.addPixmap(pixmap(s, percent));
    return icon;
}
