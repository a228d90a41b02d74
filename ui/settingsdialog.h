#pragma once

#include <QDialog>

class QCheckBox;
class QLineEdit;
class QSpinBox;
class UiSettings;

// Preferences: worker count (applied at once), server port (applies at the next start), desktop
// notifications, close-to-tray and the Celery broker URL. Reads and writes UiSettings.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    explicit SettingsDialog(UiSettings &settings, QWidget *parent = nullptr);

    QSpinBox *concurrencyBox() const { return m_concurrency; }
    QSpinBox *portBox() const { return m_port; }
    QCheckBox *notificationsBox() const { return m_notifications; }
    QCheckBox *closeToTrayBox() const { return m_closeToTray; }
    QLineEdit *celeryUrlEdit() const { return m_celery; }

    void accept() override; // saves

private:
    UiSettings &m_settings;
    QSpinBox *m_concurrency;
    QSpinBox *m_port;
    QCheckBox *m_notifications;
    QCheckBox *m_closeToTray;
    QLineEdit *m_celery;
};
