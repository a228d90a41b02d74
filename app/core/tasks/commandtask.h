#pragma once

#include "app/core/taskrunner.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <functional>

class QProcess;

// Runs a program (no shell) on the worker thread and follows it: stdout and stderr go to the
// task's output tail; stdout lines in the zenity progress protocol drive the progress (a line
// that is a number is the percent, "# text" is the message). The program runs in its own
// process group so pause (SIGSTOP), resume (SIGCONT) and cancel (SIGTERM, then SIGKILL after the
// grace period) reach the programs it starts too. A non-zero exit fails the task with the exit
// code and the output tail.
class CommandTask final : public TaskRunner
{
    Q_DECLARE_TR_FUNCTIONS(CommandTask)

public:
    CommandTask(QString program, QStringList arguments, QString workingDirectory);
    TaskOutcome run(TaskContext &context) override;

    // Applies one stdout line of the zenity protocol; false when it is not a progress line.
    static bool applyProgressLine(QStringView line, TaskContext &context);
    // Signals the process group led by pid (a program started with setpgid(0, 0)), or the
    // process alone if that failed. `headway progress -- COMMAND` stops its command the same way.
    static void signalGroup(qint64 pid, int signal);

private:
    TaskOutcome stop(QProcess &process, TaskContext &context,
                     const std::function<void(int)> &drain);

    const QString m_program;
    const QStringList m_arguments;
    const QString m_workingDirectory;
};
