#include "progresssession.h"

#include <QCoreApplication>

#include <cmath>
#include <csignal>
#include <unistd.h>

using namespace Qt::StringLiterals;

ProgressSession::ProgressSession(ProgressOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_autoKillPid(::getppid())
{
    m_model.setBars(m_options.bars);
    for (qsizetype i = 0; i < m_options.barPulsate.size(); ++i)
        m_model.setPulsate(int(i), m_options.barPulsate.at(i));
    m_model.setSteps(m_options.steps);
    m_model.setText(m_options.text);
    if (m_options.percentage > 0)
        m_model.setPercent(0, m_options.percentage);
    if (m_options.pulsate)
        m_model.setPulsate(0, true);
    m_model.setTimeRemainingEnabled(m_options.timeRemaining);

    connect(&m_input, &ProgressInput::lineRead, this, &ProgressSession::feed);
    connect(&m_input, &ProgressInput::errorLine, this,
            [this](const QString &line) { m_model.appendLog(line); });
    connect(&m_input, &ProgressInput::finished, this, &ProgressSession::onInputEnd);
    connect(&m_input, &ProgressInput::stopped, this, [this] {
        if (m_pendingStatus >= 0)
            finish(m_pendingStatus);
    });
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        if (m_input.isRunning()) {
            m_pendingStatus = kExitTimeout;
            m_input.stop(m_graceMs);
        } else {
            finish(kExitTimeout);
        }
    });
}

bool ProgressSession::start(QString *error, int fd)
{
    if (m_options.timeoutSeconds > 0)
        m_timeout.start(std::chrono::seconds(m_options.timeoutSeconds));
    if (m_options.command.isEmpty()) {
        m_input.readFd(fd);
        return true;
    }
    return m_input.startCommand(m_options.command, error);
}

void ProgressSession::feed(const QString &line)
{
    if (m_finished)
        return;
    const ProgressLine parsed
        = ProgressLineParser::parse(m_options.format, line, int(m_options.bars.size()));
    if (!m_model.apply(parsed)) {
        if (hasLog() && !line.trimmed().isEmpty())
            m_model.appendLog(line);
        return;
    }
    if (!m_model.isComplete())
        return;
    // zenity: 100 % closes with --auto-close, else enables OK. A command's status decides
    // once it has ended, so with a command 100 % only enables OK.
    if (m_options.autoClose && m_options.command.isEmpty())
        finish(0);
    else
        setAcceptable(true);
}

void ProgressSession::onInputEnd(int status)
{
    if (m_finished || m_canceling || m_pendingStatus >= 0)
        return;
    if (status != 0) {
        m_model.setOutcome(
            ProgressModel::Outcome::Failed,
            tr("%1 exited with status %2.").arg(m_options.command.value(0)).arg(status));
        m_acceptStatus = status;
        if (m_options.autoClose || m_closeAtEnd)
            finish(status);
        else
            setAcceptable(true);
        return;
    }
    if (m_options.failOnEarlyEof && !m_model.isComplete()) {
        const QString why
            = tr("The input ended at %1 %.").arg(std::floor(m_model.overallPercent()));
        m_model.setOutcome(ProgressModel::Outcome::Failed, why);
        finish(kExitEarlyEof);
        return;
    }
    // zenity: the end of input fills the bar and enables OK (or closes with --auto-close).
    for (int i = 0; i < int(m_model.bars().size()); ++i)
        m_model.setPercent(i, 100.0);
    if (!m_model.steps().isEmpty())
        m_model.setStep(int(m_model.steps().size()));
    m_model.setOutcome(ProgressModel::Outcome::Succeeded);
    m_acceptStatus = 0;
    if (m_options.autoClose || m_closeAtEnd)
        finish(0);
    else
        setAcceptable(true);
}

void ProgressSession::accept()
{
    if (m_acceptable)
        finish(m_acceptStatus);
}

void ProgressSession::cancel()
{
    if (m_finished || m_canceling)
        return;
    m_canceling = true;
    m_model.setOutcome(ProgressModel::Outcome::Canceled);
    // zenity --auto-kill: the parent (the script) gets SIGHUP.
    if (m_options.autoKill && m_autoKillPid > 1)
        ::kill(pid_t(m_autoKillPid), SIGHUP);
    if (m_input.isCommand()) {
        // Exits once nothing of the command's process group is left.
        m_pendingStatus = kExitCanceled;
        m_input.stop(m_graceMs);
        return;
    }
    finish(kExitCanceled);
}

void ProgressSession::setAcceptable(bool acceptable)
{
    if (acceptable == m_acceptable)
        return;
    m_acceptable = acceptable;
    Q_EMIT acceptableChanged(acceptable);
}

void ProgressSession::finish(int status)
{
    if (m_finished)
        return;
    m_finished = true;
    m_timeout.stop();
    Q_EMIT finished(status);
}
