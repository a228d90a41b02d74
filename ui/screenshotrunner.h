#pragma once

#include <QJsonObject>
#include <QSize>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

class QObject;
class TaskEngine;
class TaskSource;

// `headway screenshot --scenario FILE.json --out DIR`: renders scenario files (tasks with fixed
// states shown through a read-only StaticTaskSource, next to an engine that holds none, runs
// nothing and whose clock is fixed, a window size, a
// light or dark theme, a fixed font) and writes one PNG per view, DIR/<name>-<view>.png. It pins
// everything that changes pixels between runs: platform (offscreen), scale factor, DPI, style,
// palette, font, icon theme, locale, time zone, settings and animations. The "page" view shows
// the web page in the embedded view (WebTab) at given widths; ui/ never sees the server, so the
// composition root hands in a factory that serves the page with the scenario's tasks as its
// change feeds (ServerOptions::feed), the engine holding none of them.
class ScreenshotRunner final
{
public:
    ScreenshotRunner() = delete;

    // A running server for the page: where the embedded view loads it, the token its
    // interceptor sends, and the server object itself (destroyed before the engine).
    struct PageServer
    {
        QUrl baseUrl;
        QString token;
        std::unique_ptr<QObject> server;
    };
    // Starts a server on 127.0.0.1 (any free port) over the engine, its feeds showing `shown`;
    // nullopt with *error set when it cannot listen.
    using PageServerFactory = std::function<std::optional<PageServer>(
        TaskEngine &engine, TaskSource &shown, QString *error)>;

    // The whole subcommand: argv[1] is "screenshot". Creates its own QApplication, so call it
    // before any QCoreApplication exists. Returns the process exit code (0 ok, 1 render/save
    // failed, 2 bad arguments or scenario). Without a factory the "page" view is an error.
    static int main(int &argc, char **argv, PageServerFactory pageServer = {});

    // The views a scenario may list.
    static QStringList viewNames();
};
