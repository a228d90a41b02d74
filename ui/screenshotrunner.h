#pragma once

#include <QJsonObject>
#include <QSize>
#include <QString>
#include <QStringList>

#include <optional>

// `headway screenshot --scenario FILE.json --out DIR`: renders scenario files (tasks with fixed
// states injected into an engine that runs nothing and whose clock is fixed, a window size, a
// light or dark theme, a fixed font) and writes one PNG per view, DIR/<name>-<view>.png. It pins
// everything that changes pixels between runs: platform (offscreen), scale factor, DPI, style,
// palette, font, icon theme, locale, time zone, settings and animations.
class ScreenshotRunner final
{
public:
    ScreenshotRunner() = delete;

    // The whole subcommand: argv[1] is "screenshot". Creates its own QApplication, so call it
    // before any QCoreApplication exists. Returns the process exit code (0 ok, 1 render/save
    // failed, 2 bad arguments or scenario).
    static int main(int &argc, char **argv);

    // The views a scenario may list.
    static QStringList viewNames();
};
