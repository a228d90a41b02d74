#include "desktopnotifier.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QVariantMap>

using namespace Qt::StringLiterals;

DesktopNotifier::DesktopNotifier(QObject *parent) : QObject(parent) { }

bool DesktopNotifier::isAvailable() const
{
    return QDBusConnection::sessionBus().isConnected();
}

bool DesktopNotifier::notify(const QString &summary, const QString &body, bool error)
{
    if (!m_enabled || !isAvailable())
        return false;
    QDBusMessage call = QDBusMessage::createMethodCall(
        u"org.freedesktop.Notifications"_s, u"/org/freedesktop/Notifications"_s,
        u"org.freedesktop.Notifications"_s, u"Notify"_s);
    const QVariantMap hints { { u"urgency"_s, QVariant::fromValue<uchar>(error ? 2 : 1) },
                              { u"desktop-entry"_s, u"headway"_s } };
    call << QCoreApplication::applicationName() << uint(0)
         << (error ? u"dialog-error"_s : u"dialog-information"_s) << summary << body
         << QStringList() << hints << int(-1);
    // Fire and forget: no reply is awaited, so a missing daemon costs nothing.
    call.setAutoStartService(true);
    return QDBusConnection::sessionBus().send(call);
}
