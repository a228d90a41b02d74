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
    std::unique_ptr<TaskRunner> create(const QString &type, const QJsonObject &params) const;

    // The schema check alone, reusable by types that nest params (pipeline steps).
    static QList<FieldError> checkSchema(const QJsonObject &schema, QJsonObject &params,
                                         const QString &prefix);

private:
    QMap<QString, TaskType> m_types;
};

// Registers demo, checksum, copy, command and pipeline.
void registerBuiltinTaskTypes(TaskTypeRegistry &registry);
