#pragma once

#include <QStringView>

#include <chrono>
#include <optional>

// Parses a duration as people type it on a command line: a whole number with a unit, "90s",
// "30m", "24h", "7d", or a number alone (hours). Empty when the text is none of these, or too
// large to hold.
std::optional<std::chrono::milliseconds> parseDuration(QStringView text);
