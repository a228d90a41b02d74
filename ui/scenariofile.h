#pragma once

#include "app/core/tasksnapshot.h"
#include "toast.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSize>
#include <QString>
#include <QStringList>

#include <optional>

// One scenario file of `headway screenshot` (see ScreenshotRunner), parsed and checked without
// any widget, so tests/fuzz can feed it anything.
struct ScenarioFile
{
    static constexpr int MinPageWidth = 240;
    static constexpr int MaxPageWidth = 4000;
    static constexpr int MaxPageHeight = 8000;

    struct ToastSpec
    {
        Toast::Kind kind = Toast::Kind::Info;
        QString title;
        QString text;
        QString action;
    };

    QString name;
    QSize window { 1000, 640 };
    bool dark = false;
    QString fontFamily = QStringLiteral("DejaVu Sans");
    double fontPointSize = 10; // at the pinned 96 DPI: 13.3 px
    QString locale = QStringLiteral("en_US");
    QDateTime now { QDate(2026, 1, 15), QTime(9, 30), Qt::UTC };
    QString select;
    QList<TaskSnapshot> tasks;
    QList<ToastSpec> toasts;
    QStringList views { QStringLiteral("main-window") };
    QList<int> pageWidths { 375 }; // the "page" view: one image per width
    int pageHeight = 0; // 0: as tall as the page's content
    QStringList progressArgs; // the "progress-window" view: `headway progress` options
    QStringList progressInput; // ... and the input lines it has read
    QJsonObject installerManifest; // the "installer-window" view: a `headway run` manifest
    QString installerTask; // ... and the id of the task (a pipeline) it shows
    QString newTaskType; // the "new-task-dialog" view: the type chosen
    QJsonObject newTaskParams; // ... the fields filled in (as API params)
    bool newTaskStart = false; // ... and Start pressed (its errors and warnings shown)

    // The views a scenario may list.
    static QStringList viewNames();
    // The scenario in json; path names the file in error messages (and gives the default name).
    static std::optional<ScenarioFile> parse(const QByteArray &json, const QString &path,
                                             QString *error);
};
