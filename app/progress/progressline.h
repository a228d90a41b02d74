#pragma once

#include <QString>
#include <QStringView>

#include <optional>

// One input line of `headway progress`, parsed: what it changes. Unset fields change nothing;
// a line nothing recognised is `recognized == false` (zenity ignores it, --log shows it).
struct ProgressLine
{
    bool recognized = false;
    int bar = -1; // 0-based bar of an N: line; -1: none named (the first bar, the window's text)
    std::optional<double> percent; // clamped to 0..100
    std::optional<QString> text; // plain text, shown as it is
    std::optional<bool> pulsate;
    std::optional<int> step; // 0-based index into the steps
    QString stepLabel; // step:LABEL, resolved by the model against its steps
    std::optional<QString> error; // apt's pmerror: shown in the log, the run goes on

    bool operator==(const ProgressLine &other) const = default;
};

// Which line grammar the input speaks: zenity's (with yad's N: bars and step: lines),
// APT::Status-Fd lines, or "the last NN% of any line" (wget, curl, rsync, pv).
enum class ProgressFormat { Zenity, Apt, Percent };

// The parsers, one table (progressline.cpp): pure functions of the line.
class ProgressLineParser final
{
public:
    ProgressLineParser() = delete;

    // bars: the number of --bar bars (0 = one unnamed bar); N:VALUE lines only mean a bar when
    // there are bars, else "1:30" stays zenity's percent line.
    static ProgressLine parse(ProgressFormat format, QStringView line, int bars = 0);
    static std::optional<ProgressFormat> formatFromName(QStringView name);
    static QString formatNames(); // "zenity, apt, percent"
};
