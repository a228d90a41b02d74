#include "taskformat.h"

#include "app/core/progresstext.h"

#include <QColor>
#include <QCoreApplication>
#include <QPalette>

#include <cmath>
#include <iterator>

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

QString TaskFormat::liveMessage(TaskState state, const QString &message)
{
    return isFinished(state) ? QString() : message; // interrupted counts as finished
}

namespace {
// toFixed(decimals) without trailing zeros: trimNumber() in web/js/format.js.
QString trimNumber(double value, int decimals)
{
    QString s = QString::number(value, 'f', decimals);
    if (s.contains(u'.')) {
        while (s.endsWith(u'0'))
            s.chop(1);
        if (s.endsWith(u'.'))
            s.chop(1);
    }
    return s;
}
} // namespace

QString TaskFormat::bytes(double bytes)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
    constexpr int last = int(std::size(units)) - 1;
    if (!std::isfinite(bytes) || bytes < 0)
        return {};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < last) {
        value /= 1024;
        ++unit;
    }
    if (unit == 0)
        return QString::number(qRound64(value)) + u" B"_s;
    if (value >= 999.95 && unit < last) { // never "1024 KiB"
        value /= 1024;
        ++unit;
    }
    return trimNumber(value, value < 10 ? 1 : 0) + u' ' + QLatin1StringView(units[unit]);
}

QString TaskFormat::amount(double value, const QString &unit)
{
    if (!std::isfinite(value))
        return {};
    if (unit == u"bytes")
        return bytes(value);
    const QString n
        = value == std::floor(value) ? QString::number(qint64(value), 10) : trimNumber(value, 1);
    return unit.isEmpty() ? n : n + u' ' + unit;
}

QString TaskFormat::processed(qint64 processed, qint64 total, const QString &unit)
{
    const bool hasTotal = total >= 0;
    if (processed <= 0 && !hasTotal)
        return {};
    if (!hasTotal)
        return amount(double(processed), unit);
    if (unit == u"bytes")
        return QCoreApplication::translate("TaskFormat", "%1 of %2")
            .arg(bytes(double(processed)), bytes(double(total)));
    return QCoreApplication::translate("TaskFormat", "%1 of %2")
        .arg(amount(double(processed), QString()), amount(double(total), unit));
}

QString TaskFormat::speed(double perSecond, const QString &unit)
{
    if (!std::isfinite(perSecond) || perSecond <= 0)
        return {};
    if (unit == u"bytes")
        return bytes(perSecond) + u"/s"_s;
    const QString n = perSecond >= 100 ? QString::number(qRound64(perSecond))
                                       : trimNumber(perSecond, perSecond < 10 ? 2 : 1);
    return n + u' ' + (unit.isEmpty() ? u"items"_s : unit) + u"/s"_s;
}

QString TaskFormat::attempt(int attempt, int maxRetries)
{
    if (attempt <= 1)
        return {};
    return maxRetries > 0 ? QCoreApplication::translate("TaskFormat", "attempt %1 of %2")
                                .arg(attempt)
                                .arg(maxRetries + 1)
                          : QCoreApplication::translate("TaskFormat", "attempt %1").arg(attempt);
}

QString TaskFormat::duration(std::optional<double> seconds)
{
    return ProgressText::duration(seconds);
}

QString TaskFormat::eta(std::optional<double> seconds)
{
    return ProgressText::eta(seconds);
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
