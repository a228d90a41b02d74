#include "celerymeta.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("CeleryMeta", text);
}

std::optional<double> number(const QJsonObject &o, const QString &key)
{
    const QJsonValue v = o.value(key);
    if (!v.isDouble() || !std::isfinite(v.toDouble()))
        return std::nullopt;
    return v.toDouble();
}

// A count a worker reported, as an integer: out-of-range doubles (1e300) would be undefined
// behaviour in a plain cast (found by tests/fuzz).
qint64 toCount(double v)
{
    return qint64(std::clamp(v, -9.0e18, 9.0e18));
}

QString excMessage(const QJsonValue &v)
{
    // Celery stores exc_message as the exception's args: a list, usually of one string.
    if (v.isArray()) {
        QStringList parts;
        for (const QJsonValue &a : v.toArray())
            parts.append(a.isString()
                             ? a.toString()
                             : QString::fromUtf8(
                                   QJsonDocument(QJsonArray { a }).toJson(QJsonDocument::Compact))
                                   .mid(1)
                                   .chopped(1));
        return parts.join(u", "_s);
    }
    if (v.isString())
        return v.toString();
    if (v.isNull() || v.isUndefined())
        return {};
    return QString::fromUtf8(QJsonDocument(QJsonArray { v }).toJson(QJsonDocument::Compact))
        .mid(1)
        .chopped(1);
}
} // namespace

std::optional<CeleryMeta> CeleryMeta::fromJson(const QByteArray &json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    if (!doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    CeleryMeta m;
    m.status = o.value(u"status"_s).toString();
    if (m.status.isEmpty())
        return std::nullopt;
    m.result = o.value(u"result"_s);
    m.traceback = o.value(u"traceback"_s).toString();
    m.taskId = o.value(u"task_id"_s).toString();
    return m;
}

TaskState CeleryMeta::state() const
{
    if (status == u"PENDING" || status == u"RECEIVED")
        return TaskState::Queued;
    if (status == u"SUCCESS")
        return TaskState::Succeeded;
    if (status == u"FAILURE")
        return TaskState::Failed;
    if (status == u"RETRY")
        return TaskState::Retrying;
    if (status == u"REVOKED")
        return TaskState::Canceled;
    return TaskState::Running; // STARTED, PROGRESS and custom states set by update_state
}

bool CeleryMeta::isFinal() const
{
    return isFinished(state());
}

TaskProgress CeleryMeta::progress(const TaskProgress &previous) const
{
    TaskProgress p = previous;
    if (status == u"STARTED") {
        const QString host = result.toObject().value(u"hostname"_s).toString();
        if (!host.isEmpty())
            p.message = tr("Started on %1").arg(host);
        return p;
    }
    if (status == u"RETRY") {
        p.message = tr("Retrying: %1").arg(error().message);
        return p;
    }
    if (state() != TaskState::Running || !result.isObject())
        return p;

    const QJsonObject meta = result.toObject();
    const auto current = number(meta, u"current"_s);
    const auto total = number(meta, u"total"_s);
    std::optional<double> percent = number(meta, u"percent"_s);
    if (!percent)
        percent = number(meta, u"progress"_s); // the Flask+Celery tutorial's key
    if (current && total && *total > 0) {
        p.processed = toCount(*current);
        p.total = toCount(*total);
        p.percent = std::clamp(*current / *total * 100.0, 0.0, 100.0);
    } else if (current) {
        p.processed = toCount(*current);
        p.total = -1;
        p.percent
            = percent ? std::optional<double>(std::clamp(*percent, 0.0, 100.0)) : std::nullopt;
    } else if (percent) {
        p.percent = std::clamp(*percent, 0.0, 100.0);
    }
    if (meta.value(u"unit"_s).isString())
        p.unit = meta.value(u"unit"_s).toString();
    for (const QString &key : { u"description"_s, u"message"_s, u"status"_s }) {
        if (meta.value(key).isString()) {
            p.message = meta.value(key).toString();
            break;
        }
    }
    if (meta.value(u"steps"_s).isArray()) {
        QStringList steps;
        for (const QJsonValue &s : meta.value(u"steps"_s).toArray())
            steps.append(s.isString() ? s.toString() : s.toVariant().toString());
        p.steps = steps;
    }
    const QJsonValue step = meta.value(u"step"_s);
    if (step.isDouble()) {
        p.step = int(std::clamp(step.toDouble(), -1.0, 1.0e9)); // 0-based index into steps
    } else if (step.isString()) {
        p.step = int(p.steps.indexOf(step.toString()));
        if (p.step < 0) {
            p.steps.append(step.toString());
            p.step = int(p.steps.size() - 1);
        }
    }
    if (p.step >= p.steps.size())
        p.step = p.steps.isEmpty() ? -1 : int(p.steps.size() - 1);
    return p;
}

TaskError CeleryMeta::error() const
{
    const QJsonObject exc = result.toObject();
    const QString type = exc.value(u"exc_type"_s).toString();
    const QString message = excMessage(exc.value(u"exc_message"_s));
    TaskError e;
    e.code = status == u"REVOKED" ? u"revoked"_s : u"celery_exception"_s;
    if (type.isEmpty())
        e.message = message.isEmpty() ? tr("The Celery task failed.") : message;
    else
        e.message = message.isEmpty() ? type : type + u": "_s + message;
    e.details = QJsonObject {
        { u"exc_type"_s, type },
        { u"exc_module"_s, exc.value(u"exc_module"_s) },
        { u"exc_message"_s, message },
        { u"traceback"_s,
          traceback.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(traceback) },
        { u"celery_id"_s, taskId },
    };
    return e;
}
