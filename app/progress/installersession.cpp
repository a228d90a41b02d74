#include "installersession.h"

#include "app/core/taskengine.h"
#include "app/core/tasks/pipelinetask.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

InstallerSession::InstallerSession(const TaskTypeRegistry &registry, InstallerManifest manifest,
                                   QObject *parent)
    : TaskTracker(parent), m_manifest(std::move(manifest))
{
    EngineOptions options;
    options.concurrency = 1;
    m_engine = std::make_unique<TaskEngine>(registry, options);
    m_engine->addTracker(this, 10);
    m_model.setText(m_manifest.title);
    // Known before the pipeline starts: the window and a registration in Headway show them.
    QStringList labels;
    for (const QJsonValue &step : std::as_const(m_manifest.steps))
        labels.append(PipelineTask::stepLabel(registry, step.toObject()));
    m_model.setSteps(labels);
}

InstallerSession::~InstallerSession()
{
    m_engine->removeTracker(this);
    m_engine->shutdown();
}

bool InstallerSession::start(QString *error)
{
    TaskSpec spec;
    spec.type = u"pipeline"_s;
    spec.title = m_manifest.title;
    spec.params = QJsonObject { { u"steps"_s, m_manifest.steps } };
    const Result<TaskSnapshot> submitted = m_engine->submit(spec);
    if (!submitted.ok()) {
        *error = submitted.error().message;
        return false;
    }
    m_taskId = submitted->id;
    return true;
}

void InstallerSession::cancel()
{
    if (!m_taskId.isEmpty() && !hasEnded())
        m_engine->cancel(m_taskId);
}

void InstallerSession::close()
{
    if (hasEnded())
        Q_EMIT finished(m_status);
}

void InstallerSession::tasksChanged(const TaskEvents &events)
{
    for (const TaskEvent &event : events) {
        if (event.task.id == m_taskId && event.kind != TaskEvent::Kind::Removed)
            apply(event.task);
    }
}

void InstallerSession::apply(const TaskSnapshot &task)
{
    if (hasEnded())
        return;
    const TaskProgress &p = task.progress;
    if (!p.steps.isEmpty())
        m_model.setSteps(p.steps);
    m_model.setPulsate(0, !p.percent && task.state == TaskState::Running);
    if (p.percent)
        m_model.setPercent(0, *p.percent);
    m_model.setStep(p.step);
    if (!p.message.isEmpty())
        m_model.setText(p.message);
    m_model.setEta(p.eta);
    const bool finished = isFinished(task.state);
    // At the end, a last line without a newline counts too.
    m_model.setLog(finished && !task.output.endsWith(u'\n') ? task.output + u'\n' : task.output);
    if (!finished)
        return;
    if (task.state == TaskState::Succeeded) {
        m_status = 0;
        m_model.setStep(int(m_model.steps().size()));
        m_model.setPercent(0, 100);
        m_model.setOutcome(ProgressModel::Outcome::Succeeded, m_manifest.finishText);
    } else if (task.state == TaskState::Canceled) {
        m_status = kExitCanceled;
        m_model.setOutcome(ProgressModel::Outcome::Canceled, tr("Canceled."));
    } else {
        m_status = kExitFailed;
        const QJsonObject details = task.error ? task.error->details : QJsonObject();
        m_failedStep = details.value(u"step_index"_s).toInt(p.step);
        m_errorText = task.error ? task.error->message : tr("Failed.");
        m_model.setOutcome(ProgressModel::Outcome::Failed, m_errorText);
    }
    Q_EMIT ended(m_status);
}
