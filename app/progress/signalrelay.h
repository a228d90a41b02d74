#pragma once

#include <QObject>
#include <QSocketNotifier>

#include <memory>

// SIGINT, SIGTERM and SIGHUP as a Qt signal: the handler only writes to a socket pair, the
// event loop does the rest. `headway progress` treats them as Cancel, so a command it runs in
// its own process group (out of reach of the terminal's Ctrl-C) is stopped too.
class SignalRelay final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalRelay)

public:
    explicit SignalRelay(QObject *parent = nullptr);
    ~SignalRelay() override;

Q_SIGNALS:
    void received(int signal);

private:
    std::unique_ptr<QSocketNotifier> m_notifier;
};
