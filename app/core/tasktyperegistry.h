#pragma once

#include "result.h"
#include "tasktype.h"

#include <QJsonObject>
#include <QList>
#include <QMap>

// Name -> task type. Validates parameters against a type's schema (every wrong field named,
// defaults filled in) and creates runners. Owned by the application and handed to the engine.
class TaskTypeRegistry final
{
public:
    void add(TaskType type);
    const TaskType *find(const QString &name) const;
    QList<const TaskType *> types() const; // sorted by name
    QList<const TaskType *> publicTypes() const; // what clients may submit: no internal types

    // Completed params (defaults filled in), or an error naming every wrong field as
    // "params.<field>".
    Result<QJsonObject> validate(const QString &type, const QJsonObject &params) const;
    // What a form should warn about before starting (the task would fail at once): a path the
    // type reads ("x-access": "read") that does not exist or is of the wrong kind, named like
    // validate()'s errors ("params.path", "params.steps[1].params.source"). Never refuses:
    // the path may appear before the task starts. Params as validate() returned them.
    QList<FieldError> warnings(const QString &type, const QJsonObject &params) const;
    // The same check for one schema, with the paths written by earlier pipeline steps (a read
    // at or under one of them is not warned about); field names relative to params.
    static QList<FieldError> checkPaths(const QJsonObject &schema, const QJsonObject &params,
                                        const QStringList &writtenBefore = {});
    // The values of the "x-access": "write" fields of params.
    static QStringList writtenPaths(const QJsonObject &schema, const QJsonObject &params);
    std::unique_ptr<TaskRunner> create(const QString &type, const QJsonObject &params) const;

    // The schema check alone, reusable by types that nest params (pipeline steps).
    static QList<FieldError> checkSchema(const QJsonObject &schema, QJsonObject &params,
                                         const QString &prefix);

private:
    QMap<QString, TaskType> m_types;
};

// Registers demo, checksum, copy, command and pipeline.
void registerBuiltinTaskTypes(TaskTypeRegistry &registry);
