#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

// Why a task failed: a stable machine code, a sentence for people and optional details
// (exit code and output tail of a command, the failing step of a pipeline...).
struct TaskError
{
    QString code;
    QString message;
    QJsonObject details;

    QJsonObject toJson() const;
    static TaskError fromJson(const QJsonObject &json);
    bool operator==(const TaskError &other) const = default;
};
