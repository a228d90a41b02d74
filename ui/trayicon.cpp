#include "trayicon.h"

#include "appicon.h"

#include <QMenu>
#include <QSystemTrayIcon>

TrayIcon::TrayIcon(QMenu *menu, QObject *parent) : QObject(parent)
{
    m_toolTip = tr("Headway: no tasks running");
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(AppIcon::icon(), this);
    m_tray->setContextMenu(menu);
    m_tray->setToolTip(m_toolTip);
    connect(m_tray, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
                if (reason == QSystemTrayIcon::Trigger)
                    Q_EMIT activated();
            });
}

bool TrayIcon::isSystemTrayAvailable()
{
    return QSystemTrayIcon::isSystemTrayAvailable();
}

bool TrayIcon::isVisible() const
{
    return m_tray && m_tray->isVisible();
}

void TrayIcon::setVisible(bool on)
{
    if (m_tray)
        m_tray->setVisible(on);
}

void TrayIcon::setProgress(int running, double percent)
{
    if (running <= 0)
        m_toolTip = tr("Headway: no tasks running");
    else if (percent < 0)
        m_toolTip = tr("Headway: %n task(s) running", nullptr, running);
    else
        m_toolTip
            = tr("Headway: %n task(s) running, %1% done", nullptr, running).arg(qRound(percent));
    if (!m_tray)
        return;
    m_tray->setToolTip(m_toolTip);
    // Redraw the icon only when the visible ring changes (every 5 %).
    const int bucket = running <= 0 ? -1 : int(std::max(0.0, percent) / 5);
    if (bucket != m_lastBucket) {
        m_lastBucket = bucket;
        m_tray->setIcon(AppIcon::icon(running <= 0 ? -1 : std::max(0.0, percent)));
    }
}
