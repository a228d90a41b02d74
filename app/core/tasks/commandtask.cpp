#include "commandtask.h"

#include "app/core/taskcontext.h"
#include "outputcapture.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QStringDecoder>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstring>
#include <functional>
#include <sys/syscall.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {
// How long one wait for output or exit lasts: the latency of cancel, pause and progress.
constexpr int kSliceMs = 20;
// The output tail kept in the result or the error details.
constexpr qsizetype kTailChars = 4096;
// A longer "line" without a newline is not a progress line: stop collecting it.
constexpr qsizetype kMaxLineChars = 4096;

} // namespace

void CommandTask::signalGroup(qint64 pid, int signal)
{
    if (pid <= 0)
        return;
    if (::kill(pid_t(-pid), signal) != 0)
        ::kill(pid_t(pid), signal);
}

CommandTask::CommandTask(QString program, QStringList arguments, QString workingDirectory)
    : m_program(std::move(program)), m_arguments(std::move(arguments)),
      m_workingDirectory(std::move(workingDirectory))
{
}

bool CommandTask::applyProgressLine(QStringView line, TaskContext &context)
{
    line = line.trimmed();
    if (line.isEmpty())
        return false;
    if (line.startsWith(u'#')) {
        context.setMessage(line.mid(1).trimmed().toString());
        return true;
    }
    bool ok = false;
    const double percent = line.toDouble(&ok);
    if (!ok || !std::isfinite(percent))
        return false;
    context.setPercent(std::clamp(percent, 0.0, 100.0));
    return true;
}

TaskOutcome CommandTask::run(TaskContext &context)
{
    if (!m_workingDirectory.isEmpty() && !QFileInfo(m_workingDirectory).isDir()) {
        return TaskOutcome::failure(
            u"working_directory_not_found"_s,
            tr("The working directory %1 does not exist.").arg(m_workingDirectory),
            { { u"working_directory"_s, m_workingDirectory } });
    }

    // Resolve the program ourselves: a clear "not found" instead of QProcess's execve error.
    QString program;
    if (m_program.contains(u'/')) {
        const QDir base(m_workingDirectory.isEmpty() ? QDir::currentPath() : m_workingDirectory);
        const QFileInfo info(base.absoluteFilePath(m_program));
        if (!info.exists()) {
            return TaskOutcome::failure(u"program_not_found"_s,
                                        tr("Program not found: %1").arg(m_program),
                                        { { u"program"_s, m_program } });
        }
        if (info.isDir() || !info.isExecutable()) {
            return TaskOutcome::failure(u"failed_to_start"_s,
                                        tr("%1 is not an executable program.").arg(m_program),
                                        { { u"program"_s, m_program } });
        }
        program = info.absoluteFilePath();
    } else {
        program = QStandardPaths::findExecutable(m_program);
        if (program.isEmpty()) {
            return TaskOutcome::failure(u"program_not_found"_s,
                                        tr("Program not found in PATH: %1").arg(m_program),
                                        { { u"program"_s, m_program } });
        }
    }
    const QString name = QFileInfo(m_program).fileName();

    // Created here, on the worker thread, and driven by the blocking waitFor* calls: the worker
    // has no event loop and needs none.
    QProcess process;
    process.setProgram(program);
    process.setArguments(m_arguments);
    if (!m_workingDirectory.isEmpty())
        process.setWorkingDirectory(m_workingDirectory);
    process.setStandardInputFile(QProcess::nullDevice());
    // stdout and stderr reach us through one queue, in the order written (see OutputCapture).
    OutputCapture capture;
    if (!capture.isValid()) {
        return TaskOutcome::failure(u"failed_to_start"_s,
                                    tr("Cannot start %1: no socket for its output (%2).")
                                        .arg(m_program, QString::fromLocal8Bit(strerror(errno))),
                                    { { u"program"_s, m_program } });
    }
    process.setStandardOutputFile(QProcess::nullDevice());
    process.setStandardErrorFile(QProcess::nullDevice());
    // Its own process group, so signals reach everything it starts (sh -c "sleep 30").
    process.setChildProcessModifier([&capture] {
        ::setpgid(0, 0);
        capture.redirectInChild();
    });
    process.start();
    capture.closeSenders();
    if (!process.waitForStarted(-1)) {
        return TaskOutcome::failure(u"failed_to_start"_s,
                                    tr("Cannot start %1: %2").arg(m_program, process.errorString()),
                                    { { u"program"_s, m_program } });
    }
    const qint64 pid = process.processId();
    context.setMessage(tr("Running %1").arg(name));
    // Readable once the program ended: the wait for output wakes for its exit too (Linux 5.3+;
    // without it the exit is noticed within a slice).
    const int exitFd = int(::syscall(SYS_pidfd_open, pid_t(pid), 0));
    const auto closeExitFd = qScopeGuard([exitFd] {
        if (exitFd >= 0)
            ::close(exitFd);
    });

    QStringDecoder outDecoder(QStringDecoder::Utf8);
    QStringDecoder errDecoder(QStringDecoder::Utf8);
    QString tail;
    OutputTail::Spans tailStderr; // kept for the tail's own cut; the error shows plain lines
    QString line; // the stdout line being received
    bool lineTooLong = false;
    const auto take = [&](const QByteArray &bytes, bool fromStderr) {
        const QString text = fromStderr ? errDecoder(bytes) : outDecoder(bytes);
        context.appendOutput(text, fromStderr);
        OutputTail::append(tail, tailStderr, text, fromStderr, kTailChars);
        if (fromStderr)
            return;
        qsizetype start = 0;
        for (qsizetype nl = text.indexOf(u'\n'); nl >= 0; nl = text.indexOf(u'\n', start)) {
            if (!lineTooLong) {
                line.append(QStringView(text).sliced(start, nl - start));
                applyProgressLine(line, context);
            }
            line.clear();
            lineTooLong = false;
            start = nl + 1;
        }
        if (!lineTooLong)
            line.append(QStringView(text).sliced(start));
        if (line.size() > kMaxLineChars) {
            line.clear();
            lineTooLong = true;
        }
    };
    // Reads what is queued now; waits up to timeoutMs for more first when asked.
    const auto drain = [&](int timeoutMs = 0) { capture.read(timeoutMs, take, exitFd); };

    bool stopped = false;
    for (;;) {
        drain();
        // Exit is noticed here; the wait for output below is the slice.
        process.waitForFinished(0);
        if (process.state() == QProcess::NotRunning)
            break;
        if (context.isCancelRequested())
            return stop(process, context, drain);
        // Pause by stopping the process group; the task never blocks in checkpoint() here, so
        // a cancel while paused is still seen.
        const bool pause = context.isPauseRequested();
        if (pause != stopped) {
            signalGroup(pid, pause ? SIGSTOP : SIGCONT);
            stopped = pause;
        }
        drain(kSliceMs);
    }
    drain(); // what the last writes left in the queue
    if (!line.isEmpty() && !lineTooLong)
        applyProgressLine(line, context); // a last line without a newline

    if (context.isCancelRequested())
        return TaskOutcome::failure(u"canceled"_s, tr("Canceled."));
    if (process.exitStatus() == QProcess::CrashExit) {
        return TaskOutcome::failure(
            u"crashed"_s, tr("%1 crashed (signal %2).").arg(name).arg(process.exitCode()),
            { { u"signal"_s, process.exitCode() }, { u"output_tail"_s, tail } });
    }
    if (process.exitCode() != 0) {
        return TaskOutcome::failure(
            u"exit_code"_s, tr("%1 exited with code %2.").arg(name).arg(process.exitCode()),
            { { u"exit_code"_s, process.exitCode() }, { u"output_tail"_s, tail } });
    }
    return TaskOutcome::success(QJsonObject { { u"exit_code"_s, 0 }, { u"output_tail"_s, tail } });
}

TaskOutcome CommandTask::stop(QProcess &process, TaskContext &context,
                              const std::function<void(int)> &drain)
{
    const qint64 pid = process.processId();
    // SIGCONT too: a stopped process only acts on SIGTERM once it runs again.
    signalGroup(pid, SIGTERM);
    signalGroup(pid, SIGCONT);
    const QDeadlineTimer grace(std::max(0, context.cancelGraceMs()));
    while (process.state() != QProcess::NotRunning && !grace.hasExpired()) {
        drain(kSliceMs);
        process.waitForFinished(0);
    }
    if (process.state() != QProcess::NotRunning) {
        signalGroup(pid, SIGKILL);
        process.waitForFinished(5000);
    }
    drain(0);
    return TaskOutcome::failure(u"canceled"_s, tr("Canceled."));
}
