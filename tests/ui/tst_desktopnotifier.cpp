#include "ui/desktopnotifier.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QTest>
#include <QVariantMap>

using namespace Qt::StringLiterals;

// A stand-in notification daemon on the session bus, recording what it was asked to show.
class FakeNotifications final : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")

public:
    QStringList summaries;
    QStringList bodies;
    QVariantMap lastHints;

public Q_SLOTS:
    uint Notify(const QString &, uint, const QString &, const QString &summary, const QString &body,
                const QStringList &, const QVariantMap &hints, int)
    {
        summaries.append(summary);
        bodies.append(body);
        lastHints = hints;
        return uint(summaries.size());
    }
};

class tst_DesktopNotifier : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void switchable()
    {
        DesktopNotifier n;
        QVERIFY(n.isEnabled());
        n.setEnabled(false);
        QVERIFY(!n.notify(u"Done"_s, u"x"_s)); // off: nothing is sent
        n.setEnabled(true);
        // With a bus the call is sent (no reply awaited); without one nothing happens.
        QCOMPARE(n.notify(u"Done"_s, u"x"_s), n.isAvailable());
    }

    void reachesTheDaemon()
    {
        QDBusConnection bus = QDBusConnection::sessionBus();
        if (!bus.isConnected())
            QSKIP("no session bus (the _dbus variant of this test runs under dbus-run-session)");
        if (bus.interface()->isServiceRegistered(u"org.freedesktop.Notifications"_s))
            QSKIP("a real notification daemon runs on this bus");
        FakeNotifications daemon;
        QVERIFY(bus.registerObject(u"/org/freedesktop/Notifications"_s, &daemon,
                                   QDBusConnection::ExportAllSlots));
        QVERIFY(bus.registerService(u"org.freedesktop.Notifications"_s));
        DesktopNotifier n;
        QVERIFY(n.notify(u"Task failed"_s, u"Upload logs: exit 7"_s, true));
        QTRY_COMPARE(daemon.summaries.size(), 1);
        QCOMPARE(daemon.summaries.first(), u"Task failed"_s);
        QCOMPARE(daemon.bodies.first(), u"Upload logs: exit 7"_s);
        QCOMPARE(daemon.lastHints.value(u"urgency"_s).toInt(), 2);
        bus.unregisterService(u"org.freedesktop.Notifications"_s);
        bus.unregisterObject(u"/org/freedesktop/Notifications"_s);
    }
};

QTEST_GUILESS_MAIN(tst_DesktopNotifier)
#include "tst_desktopnotifier.moc"
