#include "tasksnapshot.h"

using namespace Qt::StringLiterals;

namespace {
QJsonValue isoOrNull(const QDateTime &dt)
{
    return dt.isValid() ? QJsonValue(dt.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

QDateTime parseIso(const QJsonValue &v)
{
    return v.isString() ? QDateTime::fromString(v.toString(), Qt::ISODateWithMs) : QDateTime();
}
} // namespace

QJsonObject TaskSnapshot::toJson(Output outputIn) const
{
    QJsonObject json {
        { u"id"_s, id },
        { u"type"_s, type },
        { u"title"_s, title },
        { u"state"_s, taskStateName(state) },
        { u"priority"_s, priority },
        { u"attempt"_s, attempt },
        { u"params"_s, params },
        { u"created"_s, isoOrNull(created) },
        { u"started"_s, isoOrNull(started) },
        { u"finished"_s, isoOrNull(finished) },
        { u"progress"_s, progress.toJson() },
        { u"result"_s, result.isUndefined() ? QJsonValue() : result },
        { u"error"_s, error ? QJsonValue(error->toJson()) : QJsonValue() },
        { u"max_retries"_s, maxRetries },
        { u"backoff_ms"_s, backoffMs },
        { u"timeout_ms"_s, timeoutMs },
        { u"retry_at"_s, isoOrNull(retryAt) },
        { u"actions"_s, taskActionsToJson(actions) },
    };
    if (outputIn == Output::Summary) {
        if (!output.isEmpty())
            json.insert(u"output_size"_s, qint64(output.size()));
        if (const QString cause = OutputTail::lastStderrLine(output, outputStderr);
            !cause.isEmpty())
            json.insert(u"stderr_last_line"_s, cause);
        return json;
    }
    if (!output.isEmpty())
        json.insert(u"output"_s, output);
    if (!outputStderr.isEmpty())
        json.insert(u"output_stderr"_s, OutputTail::spansToJson(outputStderr));
    return json;
}

std::optional<TaskSnapshot> TaskSnapshot::fromJson(const QJsonObject &json)
{
    const auto state = taskStateFromName(json.value(u"state"_s).toString());
    const QString id = json.value(u"id"_s).toString();
    if (!state || id.isEmpty())
        return std::nullopt;
    TaskSnapshot t;
    t.id = id;
    t.type = json.value(u"type"_s).toString();
    t.title = json.value(u"title"_s).toString();
    t.params = json.value(u"params"_s).toObject();
    t.state = *state;
    t.priority = json.value(u"priority"_s).toInt();
    t.attempt = json.value(u"attempt"_s).toInt(1);
    t.created = parseIso(json.value(u"created"_s));
    t.started = parseIso(json.value(u"started"_s));
    t.finished = parseIso(json.value(u"finished"_s));
    t.progress = TaskProgress::fromJson(json.value(u"progress"_s).toObject());
    t.result = json.value(u"result"_s);
    if (json.value(u"error"_s).isObject())
        t.error = TaskError::fromJson(json.value(u"error"_s).toObject());
    t.output = json.value(u"output"_s).toString();
    t.outputStderr = OutputTail::spansFromJson(json.value(u"output_stderr"_s).toArray());
    t.maxRetries = json.value(u"max_retries"_s).toInt();
    t.backoffMs = json.value(u"backoff_ms"_s).toInt(1000);
    t.timeoutMs = json.value(u"timeout_ms"_s).toInt();
    t.retryAt = parseIso(json.value(u"retry_at"_s));
    t.actions = taskActionsFromJson(json.value(u"actions"_s).toArray());
    return t;
}
