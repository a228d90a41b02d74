#include "taskformat.h"

#include <QColor>
#include <QCoreApplication>
#include <QLocale>
#include <QPalette>

#include <cmath>

using namespace Qt::StringLiterals;

QString TaskFormat::stateLabel(TaskState state)
{
    switch (state) {
    case TaskState::Queued:
        return QCoreApplication::translate("TaskFormat", "Queued");
    case TaskState::Running:
        return QCoreApplication::translate("TaskFormat", "Running");
    case TaskState::Paused:
        return QCoreApplication::translate("TaskFormat", "Paused");
    case TaskState::Retrying:
        return QCoreApplication::translate("TaskFormat", "Retrying");
    case TaskState::Succeeded:
        return QCoreApplication::translate("TaskFormat", "Succeeded");
    case TaskState::Failed:
        return QCoreApplication::translate("TaskFormat", "Failed");
    case TaskState::Canceled:
        return QCoreApplication::translate("TaskFormat", "Canceled");
    case TaskState::Interrupted:
        return QCoreApplication::translate("TaskFormat", "Interrupted");
    }
    return {};
}

QString TaskFormat::amount(double value, const QString &unit)
{
    const QLocale locale;
    if (unit == u"bytes")
        return locale.formattedDataSize(qint64(value), 1, QLocale::DataSizeIecFormat);
    const QString number = std::abs(value - std::round(value)) < 1e-9
        ? locale.toString(qint64(std::llround(value)))
        : locale.toString(value, 'f', 1);
    if (unit.isEmpty())
        return number;
    return number + u' ' + unit;
}

QString TaskFormat::speed(double perSecond, const QString &unit)
{
    if (!(perSecond > 0) || !std::isfinite(perSecond))
        return {};
    const QLocale locale;
    if (unit == u"bytes")
        return QCoreApplication::translate("TaskFormat", "%1/s")
            .arg(locale.formattedDataSize(qint64(perSecond), 1, QLocale::DataSizeIecFormat));
    const QString number = locale.toString(perSecond, 'f', perSecond < 10 ? 1 : 0);
    return QCoreApplication::translate("TaskFormat", "%1 %2/s")
        .arg(number, unit.isEmpty() ? QCoreApplication::translate("TaskFormat", "items") : unit);
}

QString TaskFormat::duration(std::optional<double> seconds)
{
    // Rounded and worded like the page's formatEta (web/js/format.js): two units at most, a
    // zero second unit left out ("1 min", "2 h 5 min").
    if (!seconds || !std::isfinite(*seconds) || *seconds < 0)
        return {};
    const qint64 s = qint64(std::llround(*seconds));
    const auto two = [](const char *both, const char *one, qint64 big, qint64 small) {
        return small > 0 ? QCoreApplication::translate("TaskFormat", both).arg(big).arg(small)
                         : QCoreApplication::translate("TaskFormat", one).arg(big);
    };
    if (s < 60)
        return QCoreApplication::translate("TaskFormat", "%1 s").arg(s);
    if (s < 3600)
        return two(QT_TRANSLATE_NOOP("TaskFormat", "%1 min %2 s"),
                   QT_TRANSLATE_NOOP("TaskFormat", "%1 min"), s / 60, s % 60);
    if (s < 86400)
        return two(QT_TRANSLATE_NOOP("TaskFormat", "%1 h %2 min"),
                   QT_TRANSLATE_NOOP("TaskFormat", "%1 h"), s / 3600, (s % 3600) / 60);
    return two(QT_TRANSLATE_NOOP("TaskFormat", "%1 d %2 h"),
               QT_TRANSLATE_NOOP("TaskFormat", "%1 d"), s / 86400, (s % 86400) / 3600);
}

QString TaskFormat::eta(std::optional<double> seconds)
{
    const QString d = duration(seconds);
    return d.isEmpty() ? d : QCoreApplication::translate("TaskFormat", "%1 left").arg(d);
}

bool TaskFormat::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor TaskFormat::stateColor(TaskState state, const QPalette &palette)
{
    const bool dark = isDark(palette);
    switch (state) {
    case TaskState::Queued:
        return dark ? QColor(0x8a, 0x8f, 0x98) : QColor(0x6b, 0x72, 0x80);
    case TaskState::Running:
        return dark ? QColor(0x4d, 0xa3, 0xff) : QColor(0x1f, 0x6f, 0xd1);
    case TaskState::Paused:
        return dark ? QColor(0xe0, 0xb0, 0x40) : QColor(0xa8, 0x6b, 0x00);
    case TaskState::Retrying:
        return dark ? QColor(0xd0, 0x8c, 0xff) : QColor(0x7c, 0x3a, 0xcd);
    case TaskState::Succeeded:
        return dark ? QColor(0x4c, 0xc3, 0x6a) : QColor(0x1e, 0x7e, 0x34);
    case TaskState::Failed:
        return dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc6, 0x28, 0x28);
    case TaskState::Canceled:
        return dark ? QColor(0xa0, 0xa0, 0xa0) : QColor(0x5f, 0x63, 0x68);
    case TaskState::Interrupted:
        return dark ? QColor(0xff, 0x99, 0x4d) : QColor(0xb3, 0x4d, 0x00);
    }
    return palette.color(QPalette::Text);
}
