#include "reportapi.h"

#include "app/core/taskengine.h"
#include "app/core/taskstate.h"
#include "app/server/accesstoken.h"
#include "taskapi.h"

#include <QJsonArray>

#include <cmath>
#include <utility>

using namespace Qt::StringLiterals;

namespace {
using Method = QHttpServerRequest::Method;

// "/api/v1/tasks/ID/report" -> ID, for the two routes a report token opens.
QString reportedTaskId(const QString &path)
{
    const QStringList parts = path.split(u'/');
    if (parts.size() != 6 || !parts.at(0).isEmpty() || parts.at(1) != u"api" || parts.at(2) != u"v1"
        || parts.at(3) != u"tasks" || (parts.at(5) != u"report" && parts.at(5) != u"finish"))
        return {};
    return parts.at(4);
}

bool isWholeNumber(const QJsonValue &v)
{
    return v.isDouble() && v.toDouble() == std::floor(v.toDouble()) && v.toDouble() >= 0
        && v.toDouble() < 9.0e15;
}
} // namespace

ReportApi::ReportApi(TaskEngine &engine, QObject *parent) : QObject(parent), m_engine(engine)
{
    m_engine.setExternalDriver(TypeName, this);
    m_engineAlive = &m_engine;
}

ReportApi::~ReportApi()
{
    if (m_engineAlive && m_engine.externalDriver(TypeName) == this)
        m_engine.setExternalDriver(TypeName, nullptr);
}

void ReportApi::addRoutes(Router &router)
{
    // A task's report token opens these two routes of that task, nothing else.
    const RouteRules reporter = RouteRules().withAccess(RouteRules::Access::TokenOrReportToken);
    router.add(
        Method::Post, u"/api/v1/tasks/{id}/report"_s,
        [this](RequestContext &c) { return report(c); }, reporter);
    router.add(
        Method::Post, u"/api/v1/tasks/{id}/finish"_s,
        [this](RequestContext &c) { return finish(c); }, reporter);
}

QString ReportApi::takeNewToken(const QString &taskId)
{
    const auto it = m_reporters.find(taskId);
    return it == m_reporters.end() ? QString() : std::exchange(it->newToken, {});
}

bool ReportApi::acceptsToken(const QString &path, QByteArrayView token) const
{
    const auto it = m_reporters.constFind(reportedTaskId(path));
    return it != m_reporters.cend() && AccessToken::constantTimeEquals(it->token, token);
}

void ReportApi::startTask(const TaskSnapshot &task)
{
    const QString id = task.id;
    drop(id); // started again (restored queued): a new token, the old one is void
    Reporter &reporter = m_reporters[id];
    reporter.token = AccessToken::generate();
    reporter.newToken = QString::fromLatin1(reporter.token);
    reporter.lease = new QTimer(this);
    reporter.lease->setSingleShot(true);
    reporter.lease->setInterval(task.params.value(u"lease_s"_s).toInt(30) * 1000);
    connect(reporter.lease, &QTimer::timeout, this, [this, id] { expire(id); });
    reporter.lease->start();

    TaskProgress p;
    for (const QJsonValue &label : task.params.value(u"steps"_s).toArray())
        p.steps.append(label.toString());
    p.unit = task.params.value(u"unit"_s).toString();
    const QJsonValue total = task.params.value(u"total"_s);
    if (total.isDouble()) {
        p.total = total.toInteger();
        p.percent = 0.0;
    }
    ExternalUpdate update;
    update.state = TaskState::Running; // its reporter runs already
    update.progress = p;
    m_engine.updateExternal(id, update);
}

void ReportApi::cancelTask(const TaskSnapshot &task)
{
    if (!m_reporters.contains(task.id))
        return;
    retire(task.id);
    // Nothing to wait for: the reporter learns it from the 409 of its next report.
    if (task.state == TaskState::Running || task.state == TaskState::Paused) {
        ExternalUpdate update;
        update.state = TaskState::Canceled;
        m_engine.updateExternal(task.id, update);
    }
}

void ReportApi::expire(const QString &id)
{
    const auto it = m_reporters.find(id);
    if (it == m_reporters.end())
        return;
    if (!it->lease)
        return;
    const int seconds = it->lease->interval() / 1000;
    retire(id);
    ExternalUpdate update;
    update.state = TaskState::Interrupted;
    update.error = TaskError { u"lease_expired"_s,
                               tr("No report for %1 s: the process that ran this task stopped or "
                                  "hangs.")
                                   .arg(seconds),
                               {} };
    m_engine.updateExternal(id, update);
}

void ReportApi::retire(const QString &id)
{
    const auto it = m_reporters.find(id);
    if (it == m_reporters.end() || !it->lease)
        return;
    it->lease->stop();
    it->lease->deleteLater(); // we may be in its timeout
    it->lease = nullptr;
}

void ReportApi::drop(const QString &id)
{
    retire(id);
    m_reporters.remove(id);
}

std::variant<ReportApi::Reporter *, HttpReply> ReportApi::reporterFor(const QString &id)
{
    const std::optional<TaskSnapshot> task = m_engine.task(id);
    if (!task)
        return HttpReply::fromEngineError(EngineError::notFound(id));
    const auto it = m_reporters.find(id);
    if (it != m_reporters.end() && it->lease && !isFinished(task->state))
        return &*it;
    const QString message = task->type != TypeName
        ? tr("This task is not an external one: Headway runs it and reports its progress itself.")
        : tr("This task is %1: stop reporting.").arg(taskStateName(task->state));
    return HttpReply::json(
        QJsonObject { { u"error"_s,
                        QJsonObject { { u"code"_s, u"not_running"_s },
                                      { u"message"_s, message },
                                      { u"state"_s, taskStateName(task->state) } } } },
        409);
}

HttpReply ReportApi::report(RequestContext &context)
{
    const QString id = context.arg(u"id"_s);
    auto found = reporterFor(id);
    if (auto *reply = std::get_if<HttpReply>(&found))
        return *reply;
    Reporter *reporter = std::get<Reporter *>(found);
    QJsonObject body;
    if (auto bad = TaskApi::parseJsonObject(context, &body))
        return *bad;

    TaskProgress p = m_engine.task(id)->progress;
    ExternalUpdate update;
    QList<FieldError> errors;
    static const QStringList known { u"percent"_s, u"processed"_s, u"total"_s, u"unit"_s,
                                     u"message"_s, u"step"_s,      u"log"_s };
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (!known.contains(it.key()))
            errors.append({ it.key(), tr("Unknown field.") });
    }
    const QJsonValue total = body.value(u"total"_s);
    if (total.isNull())
        p.total = -1;
    else if (isWholeNumber(total))
        p.total = total.toInteger();
    else if (!total.isUndefined())
        errors.append({ u"total"_s, tr("Must be a whole number of at least 0, or null.") });
    const QJsonValue processed = body.value(u"processed"_s);
    if (isWholeNumber(processed))
        p.processed = processed.toInteger();
    else if (!processed.isUndefined())
        errors.append({ u"processed"_s, tr("Must be a whole number of at least 0.") });
    if (p.total >= 0 && p.processed > p.total && (processed.isDouble() || total.isDouble()))
        errors.append({ u"processed"_s, tr("Must not be more than the total (%1).").arg(p.total) });
    const QJsonValue percent = body.value(u"percent"_s);
    if (percent.isNull())
        p.percent.reset(); // indeterminate
    else if (percent.isDouble() && percent.toDouble() >= 0 && percent.toDouble() <= 100)
        p.percent = percent.toDouble();
    else if (!percent.isUndefined())
        errors.append({ u"percent"_s, tr("Must be a number from 0 to 100, or null.") });
    else if (p.total > 0 && (processed.isDouble() || total.isDouble()))
        p.percent = 100.0 * double(p.processed) / double(p.total);
    for (const auto &[name, field] :
         { std::pair { u"unit"_s, &p.unit }, std::pair { u"message"_s, &p.message } }) {
        const QJsonValue v = body.value(name);
        if (v.isString())
            *field = v.toString();
        else if (!v.isUndefined())
            errors.append({ name, tr("Must be a string.") });
    }
    const QJsonValue step = body.value(u"step"_s);
    if (step.isNull()) {
        p.step = -1;
    } else if (step.isString() && !step.toString().isEmpty()) {
        // A label: its index in the declared steps, or a new last step.
        p.step = int(p.steps.indexOf(step.toString()));
        if (p.step < 0) {
            p.steps.append(step.toString());
            p.step = int(p.steps.size() - 1);
        }
    } else if (isWholeNumber(step) && step.toDouble() < double(p.steps.size())) {
        p.step = step.toInt();
    } else if (!step.isUndefined()) {
        errors.append(
            { u"step"_s,
              p.steps.isEmpty()
                  ? tr("Must be a step label (no steps were declared).")
                  : tr("Must be a step label or an index from 0 to %1.").arg(p.steps.size() - 1) });
    }
    const QJsonValue log = body.value(u"log"_s);
    const QJsonArray lines = log.isString() ? QJsonArray { log } : log.toArray();
    if (!log.isUndefined() && !log.isString() && !log.isArray())
        errors.append({ u"log"_s, tr("Must be a list of lines.") });
    for (const QJsonValue &line : lines) {
        if (!line.isString()) {
            errors.append({ u"log"_s, tr("Must be a list of lines.") });
            break;
        }
        update.output += line.toString() + u'\n';
    }
    if (!errors.isEmpty())
        return HttpReply::error(400, u"invalid_report"_s, tr("The report is not valid."), errors);

    reporter->lease->start(); // the reporter lives: a new lease
    update.progress = p;
    if (const EngineError error = m_engine.updateExternal(id, update))
        return HttpReply::fromEngineError(error);
    HttpReply reply;
    reply.status = 204;
    return reply;
}

HttpReply ReportApi::finish(RequestContext &context)
{
    const QString id = context.arg(u"id"_s);
    auto found = reporterFor(id);
    if (auto *reply = std::get_if<HttpReply>(&found))
        return *reply;
    QJsonObject body;
    if (auto bad = TaskApi::parseJsonObject(context, &body))
        return *bad;
    QList<FieldError> errors;
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (it.key() != u"state" && it.key() != u"result" && it.key() != u"error")
            errors.append({ it.key(), tr("Unknown field.") });
    }
    const QString state = body.value(u"state"_s).toString();
    if (state != u"succeeded" && state != u"failed")
        errors.append({ u"state"_s, tr("Must be \"succeeded\" or \"failed\".") });
    ExternalUpdate update;
    update.state = state == u"succeeded" ? TaskState::Succeeded : TaskState::Failed;
    if (body.contains(u"result"_s))
        update.result = body.value(u"result"_s);
    const QJsonValue error = body.value(u"error"_s);
    if (error.isString() && !error.toString().isEmpty()) {
        update.error = TaskError { u"failed"_s, error.toString(), {} };
    } else if (error.isObject() && error.toObject().value(u"message"_s).isString()) {
        TaskError e = TaskError::fromJson(error.toObject());
        if (e.code.isEmpty())
            e.code = u"failed"_s;
        update.error = e;
    } else if (!error.isUndefined() && !error.isNull()) {
        errors.append({ u"error"_s, tr("Must be a message, or {\"code\", \"message\"}.") });
    }
    if (!errors.isEmpty())
        return HttpReply::error(400, u"invalid_finish"_s, tr("The finish request is not valid."),
                                errors);
    if (update.state == TaskState::Failed && !update.error)
        update.error
            = TaskError { u"failed"_s, tr("The process that ran this task said it failed."), {} };
    if (update.state == TaskState::Succeeded)
        update.error.reset();
    retire(id);
    if (const EngineError e = m_engine.updateExternal(id, update))
        return HttpReply::fromEngineError(e);
    return HttpReply::json(m_engine.task(id)->toJson());
}
