#include "settingsdialog.h"

#include "uisettings.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

SettingsDialog::SettingsDialog(UiSettings &settings, QWidget *parent)
    : QDialog(parent), m_settings(settings)
{
    setWindowTitle(tr("Settings"));
    auto *v = new QVBoxLayout(this);
    auto *form = new QFormLayout;

    m_concurrency = new QSpinBox(this);
    m_concurrency->setRange(0, 256);
    m_concurrency->setSpecialValueText(
        tr("Automatic (%n core(s))", nullptr, QThread::idealThreadCount()));
    m_concurrency->setValue(settings.concurrency());
    m_concurrency->setAccessibleName(tr("Tasks at once"));
    form->addRow(tr("Tasks at &once:"), m_concurrency);

    m_port = new QSpinBox(this);
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("Any free port"));
    m_port->setValue(settings.port());
    m_port->setAccessibleName(tr("Server port"));
    auto *portNote = new QLabel(tr("Applies at the next start."), this);
    portNote->setForegroundRole(QPalette::PlaceholderText);
    auto *portBox = new QVBoxLayout;
    portBox->addWidget(m_port);
    portBox->addWidget(portNote);
    // A layout as the field gets no buddy: the label is made here, with the spin box as buddy.
    auto *portLabel = new QLabel(tr("Server &port:"), this);
    portLabel->setBuddy(m_port);
    form->addRow(portLabel, portBox);

    m_notifications
        = new QCheckBox(tr("Notify when a task ends while the window is in the background"), this);
    m_notifications->setChecked(settings.notifications());
    form->addRow(tr("Notifications:"), m_notifications);

    m_closeToTray = new QCheckBox(tr("Closing the window keeps Headway in the tray"), this);
    m_closeToTray->setChecked(settings.closeToTray());
    form->addRow(tr("Tray:"), m_closeToTray);

    m_celery = new QLineEdit(settings.celeryUrl(), this);
    m_celery->setPlaceholderText(tr("redis://127.0.0.1:6379/0"));
    m_celery->setAccessibleName(tr("Celery broker URL"));
    auto *celeryNote = new QLabel(tr("Applies at the next start."), this);
    celeryNote->setForegroundRole(QPalette::PlaceholderText);
    auto *celeryBox = new QVBoxLayout;
    celeryBox->addWidget(m_celery);
    celeryBox->addWidget(celeryNote);
    auto *celeryLabel = new QLabel(tr("&Celery broker:"), this);
    celeryLabel->setBuddy(m_celery);
    form->addRow(celeryLabel, celeryBox);
    v->addLayout(form);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    v->addWidget(buttons);
}

void SettingsDialog::accept()
{
    m_settings.setConcurrency(m_concurrency->value());
    m_settings.setPort(m_port->value());
    m_settings.setNotifications(m_notifications->isChecked());
    m_settings.setCloseToTray(m_closeToTray->isChecked());
    m_settings.setCeleryUrl(m_celery->text());
    m_settings.sync();
    QDialog::accept();
}
