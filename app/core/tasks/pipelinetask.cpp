#include "pipelinetask.h"

#include "app/core/taskcontext.h"
#include "app/core/tasktyperegistry.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace {
QJsonObject stepSchema()
{
    return QJsonObject {
        { u"type"_s, u"object"_s },
        { u"properties"_s,
          QJsonObject {
              { u"label"_s, QJsonObject { { u"type"_s, u"string"_s } } },
              { u"type"_s, QJsonObject { { u"type"_s, u"string"_s }, { u"minLength"_s, 1 } } },
              { u"params"_s,
                QJsonObject { { u"type"_s, u"object"_s }, { u"default"_s, QJsonObject() } } },
          } },
        { u"required"_s, QJsonArray { u"type"_s } },
    };
}
} // namespace

PipelineTask::PipelineTask(const TaskTypeRegistry *registry, QJsonArray steps)
    : m_registry(registry), m_steps(std::move(steps))
{
}

QString PipelineTask::stepLabel(const TaskTypeRegistry &registry, const QJsonObject &step)
{
    const QString label = step.value(u"label"_s).toString().trimmed();
    if (!label.isEmpty())
        return label;
    const QString type = step.value(u"type"_s).toString();
    const TaskType *t = registry.find(type);
    return t ? t->title : type;
}

QList<FieldError> PipelineTask::validateSteps(const TaskTypeRegistry &registry,
                                              const QJsonObject &params)
{
    QList<FieldError> errors;
    const QJsonArray steps = params.value(u"steps"_s).toArray();
    if (steps.isEmpty()) {
        errors.append({ u"steps"_s, tr("A pipeline needs at least one step.") });
        return errors;
    }
    const QJsonObject schema = stepSchema();
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const QString prefix = u"steps[%1]"_s.arg(i);
        if (!steps.at(i).isObject()) {
            errors.append(
                { prefix, tr("Must be an object with \"type\", \"label\" and \"params\".") });
            continue;
        }
        QJsonObject step = steps.at(i).toObject();
        const QList<FieldError> stepErrors
            = TaskTypeRegistry::checkSchema(schema, step, prefix + u'.');
        errors.append(stepErrors);
        if (!stepErrors.isEmpty())
            continue;
        const QString type = step.value(u"type"_s).toString();
        const TaskType *t = registry.find(type);
        if (type == u"pipeline") {
            errors.append(
                { prefix + u".type"_s, tr("A pipeline cannot contain another pipeline.") });
            continue;
        }
        if (!t) {
            QStringList names;
            for (const TaskType *known : registry.types()) {
                if (known->name != u"pipeline" && known->create)
                    names.append(known->name);
            }
            errors.append({ prefix + u".type"_s,
                            tr("Unknown task type \"%1\". Known types: %2.")
                                .arg(type, names.join(u", "_s)) });
            continue;
        }
        if (!t->create) {
            errors.append({ prefix + u".type"_s,
                            tr("Tasks of type \"%1\" run elsewhere and cannot be a pipeline step.")
                                .arg(type) });
            continue;
        }
        const Result<QJsonObject> checked
            = registry.validate(type, step.value(u"params"_s).toObject());
        if (!checked.ok()) {
            // The registry names fields "params.x": make them "steps[i].params.x".
            for (FieldError e : checked.error().fields) {
                e.field.prepend(prefix + u'.');
                errors.append(e);
            }
        }
    }
    return errors;
}

QList<FieldError> PipelineTask::stepWarnings(const TaskTypeRegistry &registry,
                                             const QJsonObject &params)
{
    QList<FieldError> warnings;
    QStringList written;
    const QJsonArray steps = params.value(u"steps"_s).toArray();
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const QJsonObject step = steps.at(i).toObject();
        const TaskType *t = registry.find(step.value(u"type"_s).toString());
        if (!t || t->name == u"pipeline")
            continue;
        const QJsonObject stepParams = step.value(u"params"_s).toObject();
        for (FieldError w : TaskTypeRegistry::checkPaths(t->schema, stepParams, written)) {
            w.field.prepend(u"steps[%1].params."_s.arg(i));
            warnings.append(w);
        }
        written.append(TaskTypeRegistry::writtenPaths(t->schema, stepParams));
    }
    return warnings;
}

TaskOutcome PipelineTask::run(TaskContext &context)
{
    const qsizetype count = m_steps.size();
    QStringList labels;
    for (const QJsonValue &step : m_steps)
        labels.append(stepLabel(*m_registry, step.toObject()));
    context.setSteps(labels);

    QJsonArray results;
    for (qsizetype i = 0; i < count; ++i) {
        if (!context.checkpoint())
            return TaskOutcome::failure(u"canceled"_s, tr("Canceled."));
        const QJsonObject step = m_steps.at(i).toObject();
        const QString type = step.value(u"type"_s).toString();
        const QString label = labels.at(i);
        const auto stepFailed = [&](const TaskError &error) {
            return TaskOutcome::failure(
                u"step_failed"_s,
                tr("Step %1 of %2 (%3) failed: %4").arg(i + 1).arg(count).arg(label, error.message),
                { { u"step_index"_s, int(i) },
                  { u"label"_s, label },
                  { u"type"_s, type },
                  { u"error"_s, error.toJson() } });
        };

        context.setStep(int(i));
        context.setRange(double(i) / double(count), 1.0 / double(count));
        context.setTotal(-1, QString()); // no unit left over from the previous step
        context.setMessage(label);

        // Validated again here for the defaults: the submitted params keep the user's form.
        const Result<QJsonObject> params
            = m_registry->validate(type, step.value(u"params"_s).toObject());
        if (!params.ok())
            return stepFailed(TaskError { params.error().code, params.error().message, {} });
        const std::unique_ptr<TaskRunner> runner
            = type == u"pipeline" ? nullptr : m_registry->create(type, params.value());
        if (!runner) {
            return stepFailed(
                TaskError { u"unknown_type"_s,
                            tr("Tasks of type \"%1\" cannot run in a pipeline.").arg(type),
                            {} });
        }
        const TaskOutcome outcome = runner->run(context);
        if (context.isCancelRequested())
            return TaskOutcome::failure(u"canceled"_s, tr("Canceled."));
        if (!outcome.ok)
            return stepFailed(outcome.error);
        results.append(outcome.result);
    }
    return TaskOutcome::success(QJsonObject { { u"steps"_s, results } });
}
