#pragma once

#include "app/core/engineerror.h"
#include "app/core/taskrunner.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

class TaskTypeRegistry;

// Runs steps of other task types in order on one worker, in one task: the step list and index
// drive the step indicator, each step gets an equal share of the overall percent, and the first
// failing step stops the pipeline and is named in the error. This is what a desktop installer
// needs: copy the payload, verify a checksum, run a post-install command.
class PipelineTask final : public TaskRunner
{
    Q_DECLARE_TR_FUNCTIONS(PipelineTask)

public:
    // The registry creates the steps' runners; it must outlive the task (the application owns
    // both the registry and the engine, and the registry is made first).
    PipelineTask(const TaskTypeRegistry *registry, QJsonArray steps);
    TaskOutcome run(TaskContext &context) override;

    // Checks each step ({"label", "type", "params"}) against its type, through the registry:
    // field names are relative to the pipeline's params ("steps[1].params.path").
    static QList<FieldError> validateSteps(const TaskTypeRegistry &registry,
                                           const QJsonObject &params);
    // warnings() for each step: "steps[1].params.path"; a path an earlier step writes counts
    // as made.
    static QList<FieldError> stepWarnings(const TaskTypeRegistry &registry,
                                          const QJsonObject &params);
    // A step's label, or its type's title when it has none.
    static QString stepLabel(const TaskTypeRegistry &registry, const QJsonObject &step);

private:
    const TaskTypeRegistry *m_registry;
    const QJsonArray m_steps;
};
