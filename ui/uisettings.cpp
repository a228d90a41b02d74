#include "uisettings.h"

#include <QSettings>

#include <algorithm>

using namespace Qt::StringLiterals;

UiSettings::UiSettings() : m_owned(std::make_unique<QSettings>()), m_settings(m_owned.get()) { }

UiSettings::UiSettings(QSettings *settings) : m_settings(settings) { }

UiSettings::~UiSettings() = default;

int UiSettings::concurrency() const
{
    return std::max(0, m_settings->value(u"engine/concurrency"_s, 0).toInt());
}

void UiSettings::setConcurrency(int workers)
{
    m_settings->setValue(u"engine/concurrency"_s, std::max(0, workers));
}

int UiSettings::port() const
{
    const int port = m_settings->value(u"server/port"_s, kDefaultPort).toInt();
    return port >= 0 && port <= 65535 ? port : kDefaultPort;
}

void UiSettings::setPort(int port)
{
    m_settings->setValue(u"server/port"_s, std::clamp(port, 0, 65535));
}

bool UiSettings::notifications() const
{
    return m_settings->value(u"ui/notifications"_s, true).toBool();
}

void UiSettings::setNotifications(bool on)
{
    m_settings->setValue(u"ui/notifications"_s, on);
}

bool UiSettings::closeToTray() const
{
    return m_settings->value(u"ui/closeToTray"_s, true).toBool();
}

void UiSettings::setCloseToTray(bool on)
{
    m_settings->setValue(u"ui/closeToTray"_s, on);
}

QString UiSettings::celeryUrl() const
{
    return m_settings->value(u"cluster/celeryUrl"_s).toString();
}

void UiSettings::setCeleryUrl(const QString &url)
{
    m_settings->setValue(u"cluster/celeryUrl"_s, url.trimmed());
}

void UiSettings::sync()
{
    m_settings->sync();
}
