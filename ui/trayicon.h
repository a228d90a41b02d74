#pragma once

#include <QObject>

class QMenu;
class QSystemTrayIcon;

// The system tray icon: the overall progress drawn into the icon and written in the tooltip,
// a menu, and a click that toggles the window. Absent (isAvailable() false) when the desktop
// has no tray, e.g. under offscreen or a bare X server.
class TrayIcon final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayIcon)

public:
    explicit TrayIcon(QMenu *menu, QObject *parent = nullptr);

    static bool isSystemTrayAvailable();
    bool isVisible() const;
    void setVisible(bool on);

    // running <= 0: idle icon. percent < 0: unknown.
    void setProgress(int running, double percent);
    QString toolTip() const { return m_toolTip; }

Q_SIGNALS:
    void activated(); // clicked: show or hide the window

private:
    QSystemTrayIcon *m_tray = nullptr;
    QString m_toolTip;
    int m_lastBucket = -2;
};
