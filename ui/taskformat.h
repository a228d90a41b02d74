#pragma once

#include "app/core/taskstate.h"

#include <QString>

#include <optional>

class QColor;
class QPalette;

// Human-readable text and colours for task values, shared by the delegate, the detail pane, the
// tray and the notifications so they all say the same thing.
class TaskFormat final
{
public:
    TaskFormat() = delete;

    static QString stateLabel(TaskState state);
    // "12.3 MiB", "42 files"
    static QString amount(double value, const QString &unit);
    // "12.3 MiB/s", "4.0 files/s"; empty for a zero speed
    static QString speed(double perSecond, const QString &unit);
    // "1 h 05 min", "2 min 10 s", "8 s"; empty when unknown
    static QString duration(std::optional<double> seconds);
    // "2 min 10 s left"
    static QString eta(std::optional<double> seconds);
    // Badge colour of a state, readable on light and dark palettes.
    static QColor stateColor(TaskState state, const QPalette &palette);
    // Dark when the palette's window colour is dark (Qt 6.4 has no QStyleHints::colorScheme).
    static bool isDark(const QPalette &palette);
};
