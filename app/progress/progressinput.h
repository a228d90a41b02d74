#pragma once

#include <QObject>
#include <QProcess>
#include <QSocketNotifier>
#include <QStringDecoder>
#include <QTimer>

#include <memory>

// Where `headway progress` reads its lines: a file descriptor (stdin), or a command it runs
// itself (no shell) in its own process group, whose stdout is the input and whose stderr goes
// to the log. stop() ends the whole group: SIGTERM, then SIGKILL after the grace period to
// whatever is left (a grandchild that ignores SIGTERM too).
class ProgressInput final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProgressInput)

public:
    explicit ProgressInput(QObject *parent = nullptr);
    ~ProgressInput() override;

    void readFd(int fd);
    // Starts the command; false with *error ("cannot run X: ...") when it cannot start.
    bool startCommand(const QStringList &command, QString *error);
    bool isCommand() const { return m_process != nullptr; }
    bool isRunning() const;
    qint64 processId() const { return m_pid; }
    // Ends the command's process group; stopped() once nothing of it is left.
    void stop(int graceMs);

Q_SIGNALS:
    void lineRead(const QString &line); // stdin or the command's stdout
    void errorLine(const QString &line); // the command's stderr
    // stdin's end (status 0) or the command's exit: its status, 128 + N when killed by signal N.
    void finished(int status);
    void stopped();

private:
    void readAvailable();
    void split(QString &pending, const QString &text, bool error);
    void checkGroupGone();

    int m_fd = -1;
    std::unique_ptr<QSocketNotifier> m_notifier;
    std::unique_ptr<QProcess> m_process;
    qint64 m_pid = 0;
    QStringDecoder m_outDecoder { QStringDecoder::Utf8 };
    QStringDecoder m_errDecoder { QStringDecoder::Utf8 };
    QString m_outPending;
    QString m_errPending;
    QTimer m_groupPoll;
    QTimer m_grace;
    bool m_stopping = false;
};
