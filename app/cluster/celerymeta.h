#pragma once

#include "app/core/taskerror.h"
#include "app/core/taskprogress.h"
#include "app/core/taskstate.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>

#include <optional>

// One result-backend record of a Celery task (celery-task-meta-<id>, as stored with SETEX and
// published on the channel of the same name), and how it maps onto Headway's model:
// state, progress (update_state meta: current/total or percent, description, steps/step),
// result and error.
struct CeleryMeta
{
    QString
        status; // PENDING, RECEIVED, STARTED, PROGRESS, SUCCESS, FAILURE, RETRY, REVOKED, custom
    QJsonValue result;
    QString traceback;
    QString taskId;

    static std::optional<CeleryMeta> fromJson(const QByteArray &json);

    // Headway's state for the status; custom states (anything else) count as running.
    TaskState state() const;
    bool isFinal() const;
    // The progress this record means, starting from what was known (so a STARTED record
    // keeps steps already announced).
    TaskProgress progress(const TaskProgress &previous) const;
    // FAILURE, RETRY and REVOKED: exception type, message and traceback.
    TaskError error() const;
};
