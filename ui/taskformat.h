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
    // The task's own message ("Unpacking payload") while it is under way; empty once it ended
    // (the state and the error say what happened, not the last thing it was doing).
    static QString liveMessage(TaskState state, const QString &message);
    // The amounts, speeds and attempts below are worded and rounded exactly like the page's
    // web/js/format.js (both checked against tests/terms.json).
    // "1.5 KiB", "12 MiB": powers of 1024, one decimal under 10, none above
    static QString bytes(double bytes);
    // "12 MiB", "42 files"
    static QString amount(double value, const QString &unit);
    // "3 GiB of 3 GiB", "3 of 10 files", "7 files" (no total); empty when nothing is known
    static QString processed(qint64 processed, qint64 total, const QString &unit);
    // "12 MiB/s", "4 files/s", "2.5 items/s"; empty for a zero speed
    static QString speed(double perSecond, const QString &unit);
    // "attempt 2", "attempt 2 of 3" (with retries allowed); empty for a first attempt
    static QString attempt(int attempt, int maxRetries);
    // "1 h 05 min", "2 min 10 s", "8 s"; empty when unknown
    static QString duration(std::optional<double> seconds);
    // "2 min 10 s left"
    static QString eta(std::optional<double> seconds);
    // Badge colour of a state, readable on light and dark palettes.
    static QColor stateColor(TaskState state, const QPalette &palette);
    // Dark when the palette's window colour is dark (Qt 6.4 has no QStyleHints::colorScheme).
    static bool isDark(const QPalette &palette);
};
