#include "launcherentry.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QVariantMap>

#include <cmath>

using namespace Qt::StringLiterals;

LauncherEntry::LauncherEntry(const QString &desktopFile, QObject *parent)
    : QObject(parent), m_appUri(u"application://"_s + desktopFile)
{
}

bool LauncherEntry::isAvailable() const
{
    return QDBusConnection::sessionBus().isConnected();
}

bool LauncherEntry::update(double progress, int count)
{
    // Whole percents are enough for an icon; avoid flooding the bus.
    const double rounded
        = progress < 0 ? -1 : std::round(std::clamp(progress, 0.0, 1.0) * 100) / 100;
    if (rounded == m_lastProgress && count == m_lastCount)
        return false;
    if (!isAvailable())
        return false;
    m_lastProgress = rounded;
    m_lastCount = count;
    QDBusMessage signal
        = QDBusMessage::createSignal(u"/com/canonical/unity/launcherentry/headway"_s,
                                     u"com.canonical.Unity.LauncherEntry"_s, u"Update"_s);
    const QVariantMap props { { u"progress"_s, std::max(0.0, rounded) },
                              { u"progress-visible"_s, rounded >= 0 },
                              { u"count"_s, qint64(std::max(0, count)) },
                              { u"count-visible"_s, count > 0 } };
    signal << m_appUri << props;
    const bool ok = QDBusConnection::sessionBus().send(signal);
    if (ok)
        ++m_sent;
    return ok;
}
