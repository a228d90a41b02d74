#include "ui/launcherentry.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QTest>
#include <QVariantMap>

using namespace Qt::StringLiterals;

// Receives the launcher's broadcast signal like a dock would.
class Dock final : public QObject
{
    Q_OBJECT

public:
    QString appUri;
    QVariantMap props;
    int updates = 0;

public Q_SLOTS:
    void update(const QString &uri, const QVariantMap &properties)
    {
        appUri = uri;
        props = properties;
        ++updates;
    }
};

class tst_LauncherEntry : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sendsOnlyChanges()
    {
        LauncherEntry entry;
        if (!entry.isAvailable()) {
            // No session bus: silently nothing.
            QVERIFY(!entry.update(0.5, 2));
            QCOMPARE(entry.sentCount(), 0);
            QSKIP("no session bus (the _dbus variant of this test runs under dbus-run-session)");
        }
        Dock dock;
        QVERIFY(QDBusConnection::sessionBus().connect(
            QString(), QString(), u"com.canonical.Unity.LauncherEntry"_s, u"Update"_s, &dock,
            SLOT(update(QString, QVariantMap))));
        QVERIFY(entry.update(0.5, 2));
        QTRY_COMPARE(dock.updates, 1);
        QCOMPARE(dock.appUri, u"application://io.github.headway.Headway.desktop"_s);
        QCOMPARE(dock.props.value(u"progress"_s).toDouble(), 0.5);
        QCOMPARE(dock.props.value(u"progress-visible"_s).toBool(), true);
        QCOMPARE(dock.props.value(u"count"_s).toLongLong(), 2);
        QCOMPARE(dock.props.value(u"count-visible"_s).toBool(), true);

        QVERIFY(!entry.update(0.501, 2)); // same whole percent: not re-sent
        QVERIFY(entry.update(-1, 0)); // idle: bar and count hidden
        QTRY_COMPARE(dock.updates, 2);
        QCOMPARE(dock.props.value(u"progress-visible"_s).toBool(), false);
        QCOMPARE(dock.props.value(u"count-visible"_s).toBool(), false);
        QCOMPARE(entry.sentCount(), 2);
    }
};

QTEST_GUILESS_MAIN(tst_LauncherEntry)
#include "tst_launcherentry.moc"
