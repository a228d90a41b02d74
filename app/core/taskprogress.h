#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

// What a view needs to draw one task's progress: percent or indeterminate, amounts in a unit,
// smoothed speed and ETA, the step list of a pipeline and a one-line message.
struct TaskProgress
{
    std::optional<double> percent; // 0..100; nullopt = indeterminate
    qint64 processed = 0;
    qint64 total = -1; // < 0: unknown
    QString unit; // "bytes", "files", "items" or empty
    double speed = 0; // units per second, smoothed
    std::optional<double> eta; // seconds, smoothed; nullopt = unknown
    int step = -1; // index into steps, -1 = none
    QStringList steps;
    QString message;

    QJsonObject toJson() const;
    static TaskProgress fromJson(const QJsonObject &json);
    bool operator==(const TaskProgress &other) const = default;
};
