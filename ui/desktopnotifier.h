#pragma once

#include <QObject>
#include <QString>

// Desktop notifications through org.freedesktop.Notifications on the session bus. Calls are
// asynchronous (never blocks the GUI) and silently do nothing without a session bus.
class DesktopNotifier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DesktopNotifier)

public:
    explicit DesktopNotifier(QObject *parent = nullptr);

    bool isAvailable() const; // a session bus is connected
    void setEnabled(bool on) { m_enabled = on; }
    bool isEnabled() const { return m_enabled; }

    // Returns false when nothing was sent (disabled or no bus).
    bool notify(const QString &summary, const QString &body, bool error = false);

private:
    bool m_enabled = true;
};
