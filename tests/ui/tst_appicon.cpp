#include "ui/appicon.h"

#include <QPixmap>
#include <QTest>

class tst_AppIcon : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sizesAndProgress()
    {
        const QIcon icon = AppIcon::icon();
        QVERIFY(!icon.isNull());
        QVERIFY(icon.availableSizes().contains(QSize(256, 256)));
        QVERIFY(icon.availableSizes().contains(QSize(16, 16)));
        // The ring shows the percentage: different progress, different pixels.
        QVERIFY(AppIcon::pixmap(32, 10).toImage() != AppIcon::pixmap(32, 90).toImage());
        QCOMPARE(AppIcon::pixmap(32, 50).toImage(), AppIcon::pixmap(32, 50).toImage());
    }
};

QTEST_MAIN(tst_AppIcon)
#include "tst_appicon.moc"
