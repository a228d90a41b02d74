#include "ui/busyspinner.h"

#include <QElapsedTimer>
#include <QTest>

class tst_BusySpinner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void appearsAfterDelay()
    {
        QWidget host;
        BusySpinner spinner(&host);
        host.show();
        QCOMPARE(spinner.delay(), BusySpinner::kDefaultDelayMs);
        QVERIFY(!spinner.isVisible());
        spinner.setDelay(150);
        QElapsedTimer t;
        t.start();
        spinner.start();
        QVERIFY(spinner.isBusy());
        QVERIFY(!spinner.isSpinning());
        QTRY_VERIFY(spinner.isSpinning());
        QVERIFY(t.elapsed() >= 140);
        QVERIFY(spinner.isVisible());
        spinner.stop();
        QVERIFY(!spinner.isVisible());
        QVERIFY(!spinner.isBusy());
    }

    void shortWorkNeverFlashes()
    {
        QWidget host;
        BusySpinner spinner(&host);
        host.show();
        spinner.setDelay(100);
        spinner.start();
        spinner.stop();
        QTest::qWait(200);
        QVERIFY(!spinner.isSpinning());
        QVERIFY(!spinner.isVisible());
    }

    void sizeFollowsFont()
    {
        BusySpinner spinner;
        const QSize a = spinner.sizeHint();
        QFont f = spinner.font();
        f.setPointSizeF(f.pointSizeF() * 2);
        spinner.setFont(f);
        QVERIFY(spinner.sizeHint().height() > a.height());
        QCOMPARE(spinner.accessibleName(), QStringLiteral("Busy"));
        QVERIFY(spinner.sizePolicy().retainSizeWhenHidden());
    }
};

QTEST_MAIN(tst_BusySpinner)
#include "tst_busyspinner.moc"
