#pragma once

#include "taskevent.h"

#include <QObject>

// The observer interface every view implements (the idea of KDE's KJobTrackerInterface): the
// widgets' model, the server's hub and the store all see the same tasks through it.
// The engine calls tasksChanged() in the tracker's own thread, with events in order:
// state changes are never dropped or reordered, progress arrives at most maxUpdatesPerSecond
// times per task (the rate given to TaskEngine::addTracker).
class TaskTracker : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~TaskTracker() override;

    virtual void tasksChanged(const TaskEvents &events) = 0;
};
