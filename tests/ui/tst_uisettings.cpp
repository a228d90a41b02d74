#include "ui/uisettings.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_UiSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults()
    {
        QTemporaryDir dir;
        QSettings s(dir.filePath(u"a.ini"_s), QSettings::IniFormat);
        UiSettings ui(&s);
        QCOMPARE(ui.concurrency(), 0);
        QCOMPARE(ui.port(), UiSettings::kDefaultPort);
        QVERIFY(ui.notifications());
        QVERIFY(ui.closeToTray());
        QVERIFY(ui.celeryUrl().isEmpty());
    }

    void roundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"b.ini"_s);
        {
            QSettings s(path, QSettings::IniFormat);
            UiSettings ui(&s);
            ui.setConcurrency(3);
            ui.setPort(8123);
            ui.setNotifications(false);
            ui.setCloseToTray(false);
            ui.setCeleryUrl(u"  redis://127.0.0.1:6379/0 "_s);
            ui.sync();
        }
        QSettings s(path, QSettings::IniFormat);
        QCOMPARE(s.value(u"engine/concurrency"_s).toInt(), 3);
        QCOMPARE(s.value(u"server/port"_s).toInt(), 8123);
        UiSettings ui(&s);
        QCOMPARE(ui.concurrency(), 3);
        QCOMPARE(ui.port(), 8123);
        QVERIFY(!ui.notifications());
        QVERIFY(!ui.closeToTray());
        QCOMPARE(ui.celeryUrl(), u"redis://127.0.0.1:6379/0"_s);
    }

    void badValuesClamped()
    {
        QTemporaryDir dir;
        QSettings s(dir.filePath(u"c.ini"_s), QSettings::IniFormat);
        s.setValue(u"server/port"_s, 70000);
        s.setValue(u"engine/concurrency"_s, -4);
        UiSettings ui(&s);
        QCOMPARE(ui.port(), UiSettings::kDefaultPort);
        QCOMPARE(ui.concurrency(), 0);
        ui.setPort(-1);
        QCOMPARE(ui.port(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_UiSettings)
#include "tst_uisettings.moc"
