#pragma once

#include "apierror.h"
#include "app/core/tasksnapshot.h"
#include "app/core/taskspec.h"
#include "httpreply.h"
#include "router.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>

#include <functional>
#include <optional>
#include <variant>

class ReportApi;
class SyncHub;
class TaskEngine;

// The JSON API under /api/v1 on top of the engine: task types, tasks (list with filters and
// paging, create, get, actions, delete), incremental sync and the workers list; and the same
// commands for WebSocket clients. Everything speaks TaskSnapshot::toJson().
class TaskApi final
{
    Q_DECLARE_TR_FUNCTIONS(TaskApi)

public:
    static constexpr qsizetype MaxJsonBody = 1024 * 1024;

    TaskApi(TaskEngine &engine, SyncHub &hub);

    void addRoutes(Router &router);
    void setWorkersProvider(std::function<QJsonArray()> provider);
    // Gives the creator of an "external" task its report token (in the 201 answer only).
    void setReportApi(ReportApi *reports) { m_reports = reports; }

    // A WebSocket command {"id", "command": start|cancel|pause|resume|retry, ...} ->
    // {"reply_to", "ok", "task"|"error"}.
    QJsonObject command(const QJsonObject &command);

    // Parses a JSON request body: 415 unless the content type is JSON, 413, 400 on bad JSON or
    // a body that is not an object.
    static std::optional<HttpReply> parseJsonObject(const RequestContext &context,
                                                    QJsonObject *object);

private:
    HttpReply listTasks(RequestContext &context);
    HttpReply createTask(RequestContext &context);
    // POST /api/v1/task-checks: a task request checked, nothing started: {"valid", "errors",
    // "warnings"} (a path the task reads that does not exist, ...).
    HttpReply checkTask(RequestContext &context);
    HttpReply getTask(RequestContext &context);
    HttpReply getOutput(RequestContext &context);
    HttpReply deleteTask(RequestContext &context);
    HttpReply deleteTasks(RequestContext &context);
    HttpReply sync(RequestContext &context);
    HttpReply action(RequestContext &context, const QString &name);

    // Submits {"type", "title"?, "params"?, "priority"?, "max_retries"?, "backoff_ms"?,
    // "timeout_ms"?}; on error returns the 400 reply naming each wrong field.
    TaskSpec parseSpec(const QJsonObject &body, const QStringList &ignoredKeys,
                       QList<FieldError> &errors) const;
    std::variant<TaskSnapshot, ApiError> submit(const QJsonObject &body,
                                                const QStringList &ignoredKeys = {});
    EngineError runAction(const QString &name, const QString &id);

    TaskEngine &m_engine;
    SyncHub &m_hub;
    std::function<QJsonArray()> m_workersProvider;
    ReportApi *m_reports = nullptr;
};
