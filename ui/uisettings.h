#pragma once

#include <QString>

#include <memory>

class QSettings;

// Typed access to the settings the UI edits and the app reads at start-up, so every key and
// default is written down once. Wraps the application's QSettings (organization and application
// names set by the app) or, for tests, a given QSettings.
class UiSettings final
{
public:
    UiSettings(); // the application's default QSettings
    explicit UiSettings(QSettings *settings); // not owned
    ~UiSettings();
    Q_DISABLE_COPY_MOVE(UiSettings)

    static constexpr int kDefaultPort = 0; // 0: any free port

    int concurrency() const; // "engine/concurrency", 0 = the number of cores
    void setConcurrency(int workers);
    int port() const; // "server/port"
    void setPort(int port);
    bool notifications() const; // "ui/notifications", default true
    void setNotifications(bool on);
    bool closeToTray() const; // "ui/closeToTray", default true
    void setCloseToTray(bool on);
    QString celeryUrl() const; // "cluster/celeryUrl"
    void setCeleryUrl(const QString &url);

    void sync();

private:
    std::unique_ptr<QSettings> m_owned;
    QSettings *m_settings = nullptr;
};
