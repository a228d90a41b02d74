#pragma once

#include <QString>

#include <optional>

// Amounts, speeds and durations as people read them, for every view (the window's
// TaskFormat and the command-line client say the same thing).
class ProgressText final
{
public:
    ProgressText() = delete;

    // "12.3 MiB", "42 files"
    static QString amount(double value, const QString &unit);
    // "12.3 MiB/s", "4.0 files/s"; empty for a zero speed
    static QString speed(double perSecond, const QString &unit);
    // "1 h 05 min", "2 min 10 s", "8 s"; empty when unknown
    static QString duration(std::optional<double> seconds);
    // "2 min 10 s left"
    static QString eta(std::optional<double> seconds);
};
