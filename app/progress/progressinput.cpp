#include "progressinput.h"

#include "app/core/tasks/commandtask.h"

#include <QCoreApplication>

#include <cerrno>
#include <csignal>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {
// A longer "line" without a newline is not a progress line: cut it there.
constexpr qsizetype kMaxLineChars = 64 * 1024;
} // namespace

ProgressInput::ProgressInput(QObject *parent) : QObject(parent)
{
    m_groupPoll.setInterval(50);
    connect(&m_groupPoll, &QTimer::timeout, this, &ProgressInput::checkGroupGone);
    m_grace.setSingleShot(true);
    connect(&m_grace, &QTimer::timeout, this, [this] {
        CommandTask::signalGroup(m_pid, SIGKILL);
        checkGroupGone();
    });
}

ProgressInput::~ProgressInput()
{
    // Never leave the command running behind us. Our owner's members may already be gone
    // (ProgressSession's timer is): the dying process must not signal into them.
    if (m_process)
        m_process->disconnect(this);
    if (isRunning()) {
        CommandTask::signalGroup(m_pid, SIGKILL);
        m_process->waitForFinished(5000);
    }
}

void ProgressInput::readFd(int fd)
{
    m_fd = fd;
    m_notifier = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &ProgressInput::readAvailable);
}

void ProgressInput::readAvailable()
{
    char buffer[65536];
    const ssize_t n = ::read(m_fd, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n > 0) {
        split(m_outPending, m_outDecoder(QByteArrayView(buffer, n)), false);
        return;
    }
    m_notifier->setEnabled(false);
    if (!m_outPending.isEmpty())
        Q_EMIT lineRead(std::exchange(m_outPending, {}));
    Q_EMIT finished(0);
}

void ProgressInput::split(QString &pending, const QString &text, bool error)
{
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        // \r too: curl, wget and rsync redraw their progress line without a newline.
        if (text.at(i) != u'\n' && text.at(i) != u'\r')
            continue;
        pending.append(QStringView(text).sliced(start, i - start));
        start = i + 1;
        const QString line = std::exchange(pending, {});
        if (error)
            Q_EMIT errorLine(line);
        else
            Q_EMIT lineRead(line);
    }
    pending.append(QStringView(text).sliced(start));
    if (pending.size() > kMaxLineChars)
        pending.clear();
}

bool ProgressInput::startCommand(const QStringList &command, QString *error)
{
    m_process = std::make_unique<QProcess>();
    m_process->setProgram(command.constFirst());
    m_process->setArguments(command.mid(1));
    // The command may read the script's stdin (a prompt); its own process group, so stop()
    // reaches everything it starts.
    m_process->setInputChannelMode(QProcess::ForwardedInputChannel);
    m_process->setChildProcessModifier([] { ::setpgid(0, 0); });
    connect(m_process.get(), &QProcess::readyReadStandardOutput, this, [this] {
        split(m_outPending, m_outDecoder(m_process->readAllStandardOutput()), false);
    });
    connect(m_process.get(), &QProcess::readyReadStandardError, this,
            [this] { split(m_errPending, m_errDecoder(m_process->readAllStandardError()), true); });
    connect(m_process.get(), &QProcess::finished, this,
            [this](int code, QProcess::ExitStatus status) {
                split(m_outPending, m_outDecoder(m_process->readAllStandardOutput()), false);
                split(m_errPending, m_errDecoder(m_process->readAllStandardError()), true);
                if (!m_outPending.isEmpty())
                    Q_EMIT lineRead(std::exchange(m_outPending, {}));
                if (!m_errPending.isEmpty())
                    Q_EMIT errorLine(std::exchange(m_errPending, {}));
                // As a shell reports it: 128 + the signal's number.
                Q_EMIT finished(status == QProcess::CrashExit ? 128 + code : code);
                if (m_stopping)
                    checkGroupGone();
            });
    m_process->start();
    if (!m_process->waitForStarted(-1)) {
        *error = QCoreApplication::translate("ProgressInput", "cannot run %1: %2")
                     .arg(command.constFirst(), m_process->errorString());
        m_process.reset();
        return false;
    }
    m_pid = m_process->processId();
    return true;
}

bool ProgressInput::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

void ProgressInput::stop(int graceMs)
{
    if (!m_process || m_stopping)
        return;
    m_stopping = true;
    // SIGCONT too: a stopped process only acts on SIGTERM once it runs again.
    CommandTask::signalGroup(m_pid, SIGTERM);
    CommandTask::signalGroup(m_pid, SIGCONT);
    m_grace.start(graceMs);
    m_groupPoll.start();
    checkGroupGone();
}

void ProgressInput::checkGroupGone()
{
    // The group lives on while any member does, the leader's exit notwithstanding.
    const bool groupGone = ::kill(pid_t(-m_pid), 0) != 0 && errno == ESRCH;
    if (!m_stopping || isRunning() || !groupGone)
        return;
    m_stopping = false;
    m_groupPoll.stop();
    m_grace.stop();
    Q_EMIT stopped();
}
