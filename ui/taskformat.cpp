#include "taskformat.h"

#include "app/core/progresstext.h"

#include <QColor>
#include <QCoreApplication>
#include <QPalette>

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
    return ProgressText::amount(value, unit);
}

QString TaskFormat::speed(double perSecond, const QString &unit)
{
    return ProgressText::speed(perSecond, unit);
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
