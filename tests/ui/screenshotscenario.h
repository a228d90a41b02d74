#pragma once

#include "app/core/tasksnapshot.h"

#include <QList>
#include <QString>

class MainWindow;

// A fixed scene for the UI tests that look at a whole window: tasks in every interesting state,
// shown through a read-only StaticTaskSource, then the window grabbed with animations off, so
// the same build paints the same pixels. (The product's screenshots: `headway screenshot`.)
class ScreenshotScenario final
{
public:
    ScreenshotScenario() = delete;

    // The sample tasks; *selectId: the one to select (a pipeline mid-way).
    static QList<TaskSnapshot> tasks(QString *selectId);
    // Shows the window at a fixed size, waits for the tasks, selects `selectId`, adds a toast,
    // grabs the window and saves it as PNG. False (with a warning) when it cannot save.
    static bool capture(MainWindow &window, const QString &selectId, const QString &path);
};
