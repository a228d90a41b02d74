#pragma once

#include "app/progress/progressinput.h"
#include "app/progress/progressmodel.h"
#include "app/progress/progressoptions.h"

#include <QObject>
#include <QTimer>

// One `headway progress` run, whatever shows it: reads the input (stdin or the command),
// drives the model and decides the exit status as zenity does (0 OK or done, 1 Cancel,
// 5 timeout), plus 3 for an early end of input with --fail-on-early-eof and the command's own
// status. Views call accept() and cancel(); finished() says the process should exit now.
class ProgressSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProgressSession)

public:
    explicit ProgressSession(ProgressOptions options, QObject *parent = nullptr);

    // Starts reading fd (stdin) or the command. false with *error when the command cannot
    // start (the caller exits 127).
    bool start(QString *error, int fd = 0);

    const ProgressOptions &options() const { return m_options; }
    ProgressModel &model() { return m_model; }
    const ProgressModel &model() const { return m_model; }
    ProgressInput &input() { return m_input; }

    bool canAccept() const { return m_acceptable; } // OK enabled
    bool isCanceling() const { return m_canceling; }
    bool hasLog() const { return m_options.log || !m_options.command.isEmpty(); }
    // One input line, as if read (the input calls it; screenshots feed lines directly).
    void feed(const QString &line);
    void accept(); // OK: exits with the status the run has earned (0 or the command's)
    void cancel(); // Cancel, Escape, closing, SIGINT/SIGTERM: exit 1

    // No window to press OK in (the terminal): exit when the input ends, as --auto-close does.
    void setCloseAtEnd(bool close) { m_closeAtEnd = close; }
    // Tests: whom --auto-kill sends SIGHUP (default: the parent process).
    void setAutoKillTarget(qint64 pid) { m_autoKillPid = pid; }
    void setCancelGraceMs(int ms) { m_graceMs = ms; }

    static constexpr int kExitCanceled = 1;
    static constexpr int kExitBadOption = 2;
    static constexpr int kExitEarlyEof = 3;
    static constexpr int kExitTimeout = 5;
    static constexpr int kExitCannotRun = 127;

Q_SIGNALS:
    void acceptableChanged(bool acceptable);
    void finished(int status); // once: exit with this status now

private:
    void onInputEnd(int status);
    void setAcceptable(bool acceptable);
    void finish(int status);

    ProgressOptions m_options;
    ProgressModel m_model;
    ProgressInput m_input;
    QTimer m_timeout;
    qint64 m_autoKillPid;
    int m_graceMs = 3000;
    int m_acceptStatus = 0;
    int m_pendingStatus = -1; // the status to exit with once the command's group is gone
    bool m_acceptable = false;
    bool m_canceling = false;
    bool m_finished = false;
    bool m_closeAtEnd = false;
};
