#include "ui/trayicon.h"

#include <QMenu>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_TrayIcon : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void toolTip_data()
    {
        QTest::addColumn<int>("running");
        QTest::addColumn<double>("percent");
        QTest::addColumn<QString>("expected");
        QTest::newRow("idle") << 0 << -1.0 << u"Headway: no tasks running"_s;
        QTest::newRow("unknown") << 1 << -1.0 << u"Headway: 1 task(s) running"_s;
        QTest::newRow("progress") << 3 << 42.4 << u"Headway: 3 task(s) running, 42% done"_s;
    }
    void toolTip()
    {
        QFETCH(int, running);
        QFETCH(double, percent);
        QFETCH(QString, expected);
        QMenu menu;
        TrayIcon tray(&menu);
        tray.setVisible(true);
        // Without a system tray (offscreen) it is simply absent, never an error.
        QCOMPARE(tray.isVisible(), TrayIcon::isSystemTrayAvailable());
        tray.setProgress(running, percent);
        QCOMPARE(tray.toolTip(), expected);
    }
};

QTEST_MAIN(tst_TrayIcon)
#include "tst_trayicon.moc"
