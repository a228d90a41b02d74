#pragma once

#include <QJsonObject>
#include <QString>

// What a client asks for when it submits a task. The engine validates it against the type's
// parameter schema and fills in defaults.
struct TaskSpec
{
    QString type;
    QString title; // empty: the type's default title
    QJsonObject params;
    int priority = 0;
    int maxRetries = 0;
    int backoffMs = 1000;
    int timeoutMs = 0;
};
