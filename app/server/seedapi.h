#pragma once

#include "app/core/tasksnapshot.h"
#include "router.h"

#include <QCoreApplication>
#include <QJsonObject>

#include <optional>

class TaskEngine;

struct TaskSpec;

// The tutorial's demo task (the seed endpoints and the no-JS page both start it).
TaskSpec tutorialDemoTask(int steps, int delayMs);
// The tutorial's whole-number progress: 0..100, 100 once succeeded.
int tutorialPercent(const TaskSnapshot &task);

// The endpoints of the tutorial's Flask apps, so their client pages work unchanged:
// GET|POST /start-task -> {"task_id"}; GET /task-progress/<id> -> {"progress", "status"}
// ({} when unknown); GET /task-status/<id> -> Celery's {"state", "progress", "result"|"error"}.
class SeedApi final
{
    Q_DECLARE_TR_FUNCTIONS(SeedApi)

public:
    explicit SeedApi(TaskEngine &engine);
    void addRoutes(Router &router);

    // The demo task the tutorial runs: 10 steps of 1 s (changeable for tests).
    void setDemo(int steps, int delayMs);
    TaskSpec demoTask() const; // what GET /start-task submits (also Socket.IO's start_task)

    // GET /task-progress/<id> and /task-status/<id> for a task (nullopt: unknown id).
    static QJsonObject progressJson(const std::optional<TaskSnapshot> &task);
    static QJsonObject statusJson(const std::optional<TaskSnapshot> &task);

private:
    HttpReply startTask();
    HttpReply taskProgress(const QString &id);
    HttpReply taskStatus(const QString &id);

    TaskEngine &m_engine;
    int m_steps = 10;
    int m_delayMs = 1000;
};
