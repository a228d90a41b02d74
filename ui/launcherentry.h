#pragma once

#include <QObject>
#include <QString>

// Progress and a count on the launcher/taskbar icon through the com.canonical.Unity.LauncherEntry
// D-Bus signal (understood by Dock-like launchers, KDE's task manager and others). Without a
// session bus it does nothing. Repeated identical updates are not re-sent.
class LauncherEntry final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LauncherEntry)

public:
    explicit LauncherEntry(const QString &desktopFile
                           = QStringLiteral("io.github.headway.Headway.desktop"),
                           QObject *parent = nullptr);

    bool isAvailable() const;
    // progress 0..1, < 0 hides the bar; count <= 0 hides the count. Returns true if sent.
    bool update(double progress, int count);
    int sentCount() const { return m_sent; }

private:
    QString m_appUri;
    double m_lastProgress = -2;
    int m_lastCount = -1;
    int m_sent = 0;
};
