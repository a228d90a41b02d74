#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

// How the command-line client writes tasks (the API's task JSON): a live bar for a terminal,
// one plain line for a pipe or a log, a table for `list`, the details for `show`.
class TaskText final
{
public:
    TaskText() = delete;

    // "Demo (3 steps)  [#######-------]  50%  2 / 4 items  1.0 items/s  2 s left  step 2/3 Copy
    // message" cut to `width` columns; `color`: ANSI colours for the state and the bar.
    static QString barLine(const QJsonObject &task, int width, bool color);
    // "1f0c2a3b running 50% 2 / 4 items step 1/2 Copy Demo: message" (no speed or ETA)
    static QString plainLine(const QJsonObject &task);
    static QString table(const QJsonArray &tasks, int width);
    static QString details(const QJsonObject &task);
    static QString shortId(const QString &id);
    static bool isFinished(const QString &state);
    // Terminal columns of stdout (COLUMNS, then the terminal), 80 when unknown.
    static int terminalWidth();
    static bool stdoutIsTerminal();
    static bool colorWanted(); // a terminal and no NO_COLOR
};
