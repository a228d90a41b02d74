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
        QVERIFY(spinner.isPending());
        QTRY_VERIFY(spinner.isSpinning());
        QVERIFY(!spinner.isPending());
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
        QVERIFY(spinner.isPending());
        spinner.stop();
        // Nothing left that could show it later: the delay no longer counts down.
        QVERIFY(!spinner.isPending());
        QCoreApplication::processEvents();
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
