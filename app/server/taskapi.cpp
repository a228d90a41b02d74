#include "taskapi.h"

#include "app/core/taskengine.h"
#include "app/core/taskstate.h"
#include "app/core/tasktyperegistry.h"
#include "reportapi.h"
#include "synchub.h"
#include "taskquery.h"

#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace {
using Method = QHttpServerRequest::Method;

bool isJsonContentType(const QByteArray &value)
{
    const QByteArray type = value.split(';').first().trimmed().toLower();
    return type == "application/json"
        || (type.startsWith("application/") && type.endsWith("+json"));
}

} // namespace

TaskApi::TaskApi(TaskEngine &engine, SyncHub &hub) : m_engine(engine), m_hub(hub) { }

void TaskApi::setWorkersProvider(std::function<QJsonArray()> provider)
{
    m_workersProvider = std::move(provider);
}

std::optional<HttpReply> TaskApi::parseJsonObject(const RequestContext &context,
                                                  QJsonObject *object)
{
    const QByteArray body = context.request.body();
    if (!isJsonContentType(context.request.value("content-type")))
        return HttpReply::error(
            415, u"unsupported_media_type"_s,
            tr("The request body must be JSON (Content-Type: application/json)."));
    if (body.size() > MaxJsonBody)
        return HttpReply::error(413, u"payload_too_large"_s,
                                tr("The request body is larger than %1 bytes.").arg(MaxJsonBody));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return HttpReply::error(400, u"bad_json"_s,
                                tr("The request body is not valid JSON: %1 at offset %2.")
                                    .arg(parseError.errorString())
                                    .arg(parseError.offset));
    if (!doc.isObject())
        return HttpReply::error(400, u"bad_json"_s, tr("The request body must be a JSON object."));
    *object = doc.object();
    return std::nullopt;
}

void TaskApi::addRoutes(Router &router)
{
    router.add(Method::Get, u"/api/v1/task-types"_s, [this](RequestContext &) {
        QJsonArray types;
        for (const TaskType *type : m_engine.registry().publicTypes())
            types.append(type->toJson());
        return HttpReply::json(QJsonObject { { u"task_types"_s, types } });
    });
    router.add(Method::Get, u"/api/v1/tasks"_s, [this](RequestContext &c) { return listTasks(c); });
    router.add(Method::Post, u"/api/v1/tasks"_s,
               [this](RequestContext &c) { return createTask(c); });
    router.add(Method::Post, u"/api/v1/task-checks"_s,
               [this](RequestContext &c) { return checkTask(c); });
    router.add(Method::Delete, u"/api/v1/tasks"_s,
               [this](RequestContext &c) { return deleteTasks(c); });
    router.add(
        Method::Get, u"/api/v1/tasks/{id}"_s, [this](RequestContext &c) { return getTask(c); },
        RouteRules::taskAnswer());
    router.add(Method::Delete, u"/api/v1/tasks/{id}"_s,
               [this](RequestContext &c) { return deleteTask(c); });
    router.add(Method::Get, u"/api/v1/tasks/{id}/output"_s,
               [this](RequestContext &c) { return getOutput(c); });
    for (const QString &name : { u"cancel"_s, u"pause"_s, u"resume"_s, u"retry"_s }) {
        router.add(Method::Post, u"/api/v1/tasks/{id}/"_s + name,
                   [this, name](RequestContext &c) { return action(c, name); });
    }
    router.add(Method::Get, u"/api/v1/sync"_s, [this](RequestContext &c) { return sync(c); });
    router.add(Method::Get, u"/api/v1/workers"_s, [this](RequestContext &) {
        return HttpReply::json(QJsonObject {
            { u"workers"_s, m_workersProvider ? m_workersProvider() : QJsonArray() } });
    });
}

HttpReply TaskApi::listTasks(RequestContext &context)
{
    QList<FieldError> errors;
    const TaskQuery query = TaskQuery::parse(context.request.query(), &errors);
    if (!errors.isEmpty())
        return HttpReply::error(400, u"invalid_query"_s, tr("The query is not valid."), errors);

    QJsonArray page;
    int total = 0;
    for (const TaskSnapshot &task : m_engine.tasks()) {
        if (!query.matches(task))
            continue;
        if (total >= query.offset && page.size() < query.limit)
            page.append(task.toJson());
        ++total;
    }
    return HttpReply::json(QJsonObject {
        { u"tasks"_s, page },
        { u"total"_s, total },
        { u"limit"_s, query.limit },
        { u"offset"_s, query.offset },
    });
}

TaskSpec TaskApi::parseSpec(const QJsonObject &body, const QStringList &ignoredKeys,
                            QList<FieldError> &errors) const
{
    TaskSpec spec;
    static const QStringList known { u"type"_s,      u"title"_s,       u"params"_s,
                                     u"priority"_s,  u"max_retries"_s, u"backoff_ms"_s,
                                     u"timeout_ms"_s };
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (!known.contains(it.key()) && !ignoredKeys.contains(it.key()))
            errors.append({ it.key(), tr("Unknown field.") });
    }
    const QJsonValue type = body.value(u"type"_s);
    if (!type.isString() || type.toString().isEmpty())
        errors.append({ u"type"_s, tr("Required: the name of a task type.") });
    else if (const TaskType *t = m_engine.registry().find(type.toString()); t && t->internal)
        errors.append(
            { u"type"_s,
              tr("\"%1\" tasks are started by Headway itself, not submitted.").arg(t->name) });
    else
        spec.type = type.toString();
    const QJsonValue title = body.value(u"title"_s);
    if (title.isString())
        spec.title = title.toString();
    else if (!title.isUndefined() && !title.isNull())
        errors.append({ u"title"_s, tr("Must be a string.") });
    const QJsonValue params = body.value(u"params"_s);
    if (params.isObject())
        spec.params = params.toObject();
    else if (!params.isUndefined() && !params.isNull())
        errors.append({ u"params"_s, tr("Must be an object.") });
    const auto intField = [&](const QString &name, int min, int max, int *out) {
        const QJsonValue v = body.value(name);
        if (v.isUndefined() || v.isNull())
            return;
        const double d = v.toDouble(std::nan(""));
        if (!v.isDouble() || d != std::floor(d) || d < min || d > max)
            errors.append({ name, tr("Must be an integer from %1 to %2.").arg(min).arg(max) });
        else
            *out = int(d);
    };
    intField(u"priority"_s, -1000, 1000, &spec.priority);
    intField(u"max_retries"_s, 0, 100, &spec.maxRetries);
    intField(u"backoff_ms"_s, 0, 24 * 3600 * 1000, &spec.backoffMs);
    intField(u"timeout_ms"_s, 0, std::numeric_limits<int>::max(), &spec.timeoutMs);
    return spec;
}

std::variant<TaskSnapshot, ApiError> TaskApi::submit(const QJsonObject &body,
                                                     const QStringList &ignoredKeys)
{
    QList<FieldError> errors;
    const TaskSpec spec = parseSpec(body, ignoredKeys, errors);
    if (!errors.isEmpty())
        return ApiError { 400, u"invalid_request"_s, tr("The task request is not valid."), errors };

    Result<TaskSnapshot> result = m_engine.submit(spec);
    if (!result) {
        ApiError error = ApiError::fromEngineError(result.error());
        if (error.code == u"unknown_type" && error.fields.isEmpty())
            error.fields = { { u"type"_s, error.message } };
        return error;
    }
    return result.value();
}

HttpReply TaskApi::createTask(RequestContext &context)
{
    QJsonObject body;
    if (auto bad = parseJsonObject(context, &body))
        return *bad;
    auto submitted = submit(body);
    if (const auto *error = std::get_if<ApiError>(&submitted))
        return HttpReply::from(*error);
    const TaskSnapshot &task = std::get<TaskSnapshot>(submitted);
    QJsonObject json = task.toJson();
    if (m_reports && task.type == ReportApi::TypeName)
        json.insert(u"report_token"_s, m_reports->takeNewToken(task.id));
    return HttpReply::json(json, 201).withHeader("Location", "/api/v1/tasks/" + task.id.toUtf8());
}

HttpReply TaskApi::checkTask(RequestContext &context)
{
    QJsonObject body;
    if (auto bad = parseJsonObject(context, &body))
        return *bad;
    QList<FieldError> errors;
    const TaskSpec spec = parseSpec(body, {}, errors);
    QList<FieldError> warnings;
    if (!spec.type.isEmpty()) {
        // Warnings too when there are errors: every problem at once.
        const Result<QJsonObject> checked = m_engine.registry().validate(spec.type, spec.params);
        if (!checked.ok())
            errors.append(checked.error().fields);
        warnings
            = m_engine.registry().warnings(spec.type, checked.ok() ? checked.value() : spec.params);
    }
    const auto list = [](const QList<FieldError> &fields) {
        QJsonArray array;
        for (const FieldError &f : fields)
            array.append(QJsonObject { { u"field"_s, f.field }, { u"message"_s, f.message } });
        return array;
    };
    // Always 200: the answer is the verdict, not a refusal (nothing was asked to run).
    return HttpReply::json(QJsonObject { { u"valid"_s, errors.isEmpty() },
                                         { u"errors"_s, list(errors) },
                                         { u"warnings"_s, list(warnings) } });
}

HttpReply TaskApi::getOutput(RequestContext &context)
{
    const QString id = context.arg(u"id"_s);
    const auto task = m_engine.task(id);
    if (!task)
        return HttpReply::fromEngineError(EngineError::notFound(id));
    // The output's end in the order it was printed, each line with its stream.
    return HttpReply::json(QJsonObject {
        { u"id"_s, task->id },
        { u"state"_s, taskStateName(task->state) },
        { u"lines"_s,
          OutputTail::linesToJson(OutputTail::lines(task->output, task->outputStderr)) },
    });
}

HttpReply TaskApi::getTask(RequestContext &context)
{
    const QString id = context.arg(u"id"_s);
    const auto task = m_engine.task(id);
    if (!task)
        return HttpReply::fromEngineError(EngineError::notFound(id));
    HttpReply reply;
    // The task resource is the whole task; the hub's cached summary is exactly that for a
    // task that printed nothing, which is nearly every task polled.
    reply.body = task->output.isEmpty()
        ? m_hub.taskJson(*task)
        : QJsonDocument(task->toJson()).toJson(QJsonDocument::Compact);
    reply.headers.append(std::pair<QByteArray, QByteArray>("Content-Type", "application/json"));
    return reply;
}

EngineError TaskApi::runAction(const QString &name, const QString &id)
{
    if (name == u"cancel")
        return m_engine.cancel(id);
    if (name == u"pause")
        return m_engine.pause(id);
    if (name == u"resume")
        return m_engine.resume(id);
    if (name == u"retry")
        return m_engine.retry(id);
    return EngineError { u"bad_command"_s, tr("Unknown command \"%1\".").arg(name), {} };
}

HttpReply TaskApi::action(RequestContext &context, const QString &name)
{
    const QString id = context.arg(u"id"_s);
    if (const EngineError error = runAction(name, id))
        return HttpReply::fromEngineError(error);
    const auto task = m_engine.task(id);
    if (!task)
        return HttpReply::fromEngineError(EngineError::notFound(id));
    HttpReply reply;
    // The task resource is the whole task; the hub's cached summary is exactly that for a
    // task that printed nothing, which is nearly every task polled.
    reply.body = task->output.isEmpty()
        ? m_hub.taskJson(*task)
        : QJsonDocument(task->toJson()).toJson(QJsonDocument::Compact);
    reply.headers.append(std::pair<QByteArray, QByteArray>("Content-Type", "application/json"));
    return reply;
}

HttpReply TaskApi::deleteTask(RequestContext &context)
{
    if (const EngineError error = m_engine.remove(context.arg(u"id"_s)))
        return HttpReply::fromEngineError(error);
    HttpReply reply;
    reply.status = 204;
    return reply;
}

HttpReply TaskApi::deleteTasks(RequestContext &context)
{
    const QString state = context.request.query().queryItemValue(u"state"_s);
    if (state != u"finished")
        return HttpReply::error(
            400, u"invalid_query"_s,
            tr("Only finished tasks can be removed together: add ?state=finished."),
            { { u"state"_s, tr("Must be \"finished\".") } });
    return HttpReply::json(QJsonObject { { u"removed"_s, m_engine.removeFinished() } });
}

HttpReply TaskApi::sync(RequestContext &context)
{
    const std::optional<qint64> rid = TaskQuery::parseSyncRid(context.request.query());
    if (!rid)
        return HttpReply::error(400, u"invalid_query"_s, tr("The query is not valid."),
                                { { u"rid"_s, tr("Must be a non-negative integer.") } });
    return HttpReply::json(m_hub.diffSince(*rid));
}

QJsonObject TaskApi::command(const QJsonObject &command)
{
    const QJsonValue requestId = command.value(u"id"_s);
    const QString name = command.value(u"command"_s).toString();
    QJsonObject reply { { u"reply_to"_s, requestId.isUndefined() ? QJsonValue() : requestId } };
    const auto fail = [&reply](const QString &code, const QString &message,
                               const QList<FieldError> &fields = {}) {
        reply.insert(u"ok"_s, false);
        reply.insert(u"error"_s, ApiError { 400, code, message, fields }.toJson());
        return reply;
    };
    if (name == u"start") {
        QJsonObject spec = command;
        spec.remove(u"id"_s);
        spec.remove(u"command"_s);
        auto submitted = submit(spec);
        if (const auto *error = std::get_if<ApiError>(&submitted)) {
            reply.insert(u"ok"_s, false);
            reply.insert(u"error"_s, error->toJson());
            return reply;
        }
        const TaskSnapshot &task = std::get<TaskSnapshot>(submitted);
        reply.insert(u"ok"_s, true);
        reply.insert(u"task"_s, task.toJson());
        if (m_reports && task.type == ReportApi::TypeName)
            reply.insert(u"report_token"_s, m_reports->takeNewToken(task.id));
        return reply;
    }
    if (name == u"cancel" || name == u"pause" || name == u"resume" || name == u"retry") {
        const QString id = command.value(u"task_id"_s).toString();
        if (id.isEmpty())
            return fail(u"invalid_request"_s, tr("The command needs a task_id."),
                        { { u"task_id"_s, tr("Required.") } });
        if (const EngineError error = runAction(name, id))
            return fail(error.code, error.message, error.fields);
        reply.insert(u"ok"_s, true);
        if (const auto task = m_engine.task(id))
            reply.insert(u"task"_s, task->toJson());
        return reply;
    }
    return fail(u"bad_command"_s,
                tr("Unknown command \"%1\": use start, cancel, pause, resume or retry.").arg(name),
                { { u"command"_s, tr("Unknown command.") } });
}
