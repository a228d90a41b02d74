#pragma once

#include "engineerror.h"
#include "taskactions.h"
#include "taskrunner.h"

#include <QJsonObject>
#include <QString>

#include <functional>
#include <memory>

// One kind of task the engine can run: its parameter schema (a small JSON Schema subset that
// the registry checks and that forms and the API show), extra checks and a factory.
struct TaskType
{
    QString name; // "checksum"
    QString title; // "Checksum a file" (translated by the caller)
    QString description;
    // {"type": "object", "properties": {NAME: {"type": "string"|"integer"|"number"|"boolean"|
    //  "array"|"object", "default", "nullable", "enum", "minimum", "maximum", "minLength",
    //  "format": "file"|"directory"|"path", "x-access": "read"|"write" (a path the task reads,
    //  which should exist before it starts, or one it writes), "x-editor": "steps" (a list of
    //  pipeline steps, edited step by step), "title", "description"}}, "required": [...]}
    QJsonObject schema;
    // Checks beyond the schema, on params already completed with defaults. Field names are
    // relative to params ("path", "steps[1].type").
    std::function<QList<FieldError>(const QJsonObject &params)> validate;
    // Problems that do not refuse the task but that a form shows before it starts (a step
    // reading what an earlier one writes), beyond the registry's own check of "x-access": "read"
    // paths. Field names are relative to params; params are completed.
    std::function<QList<FieldError>(const QJsonObject &params)> warn;
    // Empty for external types (run by an ExternalTaskDriver, see TaskEngine::setExternalDriver).
    std::function<std::unique_ptr<TaskRunner>(const QJsonObject &params)> create;
    // A title for tasks submitted without one; empty function: the type's title.
    std::function<QString(const QJsonObject &params)> defaultTitle;

    // Started by Headway itself (uploads come in through their own protocol): not offered in
    // forms or /api/v1/task-types, refused when a client submits it.
    bool internal = false;
    // What its runner allows besides the state machine (TaskAction). External types are never
    // pausable, whatever this says: the engine cannot hold a runner it does not run.
    TaskCapabilities capabilities;
    // External types whose driver reports bare amounts: the engine works out speed and ETA as
    // for its own runners (uploads and Celery bring their own).
    bool engineEstimatesSpeed = false;

    QJsonObject toJson() const;
};
