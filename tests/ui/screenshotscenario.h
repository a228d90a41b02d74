#pragma once

#include <QString>

class MainWindow;
class TaskEngine;

// A fixed scene for the UI tests that look at a whole window: tasks in every interesting state
// injected into an engine that runs nothing, then the window grabbed with animations off, so the
// same build paints the same pixels. (The product's screenshots come from `headway screenshot`.)
class ScreenshotScenario final
{
public:
    ScreenshotScenario() = delete;

    // Injects the sample tasks; returns the id of the task to select (a pipeline mid-way).
    static QString inject(TaskEngine &engine);
    // Shows the window at a fixed size, waits for the tasks, selects `selectId`, adds a toast,
    // grabs the window and saves it as PNG. False (with a warning) when it cannot save.
    static bool capture(MainWindow &window, const QString &selectId, const QString &path);
};
