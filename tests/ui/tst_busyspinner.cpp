#include "ui/busyspinner.h"

#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace {
// Sees the spinner being shown and whether its delay timer was still counting down then.
class ShowWatcher final : public QObject
{
    Q_DISABLE_COPY_MOVE(ShowWatcher)

public:
    ShowWatcher(QWidget *watched, const QTimer *delay) : m_delay(delay)
    {
        watched->installEventFilter(this);
    }
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Show) {
            ++shows;
            delayActiveAtShow = delayActiveAtShow || m_delay->isActive();
        }
        return false;
    }
    int shows = 0;
    bool delayActiveAtShow = false;

private:
    const QTimer *m_delay;
};
} // namespace

class tst_BusySpinner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Shown only when the delay runs out: the delay is a single-shot timer of the interval
    // asked for, counting from start(), and the spinner becomes visible in its timeout, never
    // while it still counts down (checked at the show itself, not against a wall clock).
    void appearsAfterDelay()
    {
        QWidget host;
        BusySpinner spinner(&host);
        host.show();
        QCOMPARE(spinner.delay(), BusySpinner::kDefaultDelayMs);
        QVERIFY(!spinner.isVisible());
        spinner.setDelay(150);
        auto *delay = spinner.findChild<QTimer *>(u"busyDelay"_s);
        QVERIFY(delay);
        QVERIFY(delay->isSingleShot());
        QCOMPARE(delay->interval(), 150);
        QVERIFY(!delay->isActive());
        QSignalSpy fired(delay, &QTimer::timeout);
        ShowWatcher watcher(&spinner, delay);
        spinner.start();
        QVERIFY(delay->isActive());
        QVERIFY(spinner.isBusy());
        QVERIFY(!spinner.isSpinning());
        QVERIFY(spinner.isPending());
        QVERIFY(fired.wait());
        QCOMPARE(fired.count(), 1);
        QVERIFY(spinner.isSpinning());
        QVERIFY(!spinner.isPending());
        QVERIFY(spinner.isVisible());
        QCOMPARE(watcher.shows, 1);
        QVERIFY2(!watcher.delayActiveAtShow, "shown while the delay was still counting down");
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
