#pragma once

#include "tasksnapshot.h"

#include <QList>
#include <QString>

#include <optional>

class TaskTracker;

// What a view reads of tasks, and nothing it could change them with: the list, one task, and
// their changes (a TaskTracker, told in its own thread as TaskTracker says). The engine's
// adapter (EngineTaskSource) is the live one; StaticTaskSource is a fixed set, as screenshots
// show, so a view under test or in a screenshot needs no engine frozen into a scene.
class TaskSource
{
public:
    TaskSource() = default;
    virtual ~TaskSource();
    TaskSource(const TaskSource &) = delete;
    TaskSource &operator=(const TaskSource &) = delete;

    virtual QList<TaskSnapshot> tasks() const = 0; // in creation order
    virtual std::optional<TaskSnapshot> task(const QString &id) const = 0;
    // The tracker first gets an Added event for every task there is, then the changes:
    // progress at most maxUpdatesPerSecond, output apart at most outputPerSecond (0: with
    // progress), as TaskEngine::addTracker says.
    virtual void addTracker(TaskTracker *tracker, int maxUpdatesPerSecond, int outputPerSecond = 0)
        = 0;
    virtual void removeTracker(TaskTracker *tracker) = 0;
};
