#include "ui/animationpolicy.h"
#include "ui/stepindicator.h"

#include <QImage>
#include <QTest>

using namespace Qt::StringLiterals;
using S = StepIndicator::StepState;

class tst_StepIndicator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { AnimationPolicy::setEnabled(true); }

    void states_data()
    {
        QTest::addColumn<int>("current");
        QTest::addColumn<bool>("failed");
        QTest::addColumn<QList<S>>("expected");
        QTest::newRow("none") << -1 << false << QList<S> { S::Pending, S::Pending, S::Pending };
        QTest::newRow("first") << 0 << false << QList<S> { S::Active, S::Pending, S::Pending };
        QTest::newRow("second") << 1 << false << QList<S> { S::Done, S::Active, S::Pending };
        QTest::newRow("failed") << 2 << true << QList<S> { S::Done, S::Done, S::Failed };
        QTest::newRow("all done") << 3 << false << QList<S> { S::Done, S::Done, S::Done };
    }
    void states()
    {
        QFETCH(int, current);
        QFETCH(bool, failed);
        QFETCH(QList<S>, expected);
        StepIndicator w;
        w.setSteps({ u"Fetch"_s, u"Build"_s, u"Upload"_s });
        w.setCurrent(current, failed);
        QCOMPARE(w.count(), 3);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(w.stepState(i), expected.at(i));
        // Painting every state works.
        w.resize(w.sizeHint());
        QImage img(w.size(), QImage::Format_ARGB32);
        w.render(&img);
    }

    void accessibility()
    {
        StepIndicator w;
        QCOMPARE(w.accessibleName(), u"Steps"_s);
        w.setSteps({ u"Fetch"_s, u"Build"_s });
        w.setStepState(0, S::Done);
        w.setStepState(1, S::Active);
        QCOMPARE(w.stepText(1), u"Step 2 of 2, Build: active"_s);
        QCOMPARE(w.accessibleDescription(),
                 u"Step 1 of 2, Fetch: done; Step 2 of 2, Build: active"_s);
        QVERIFY(w.stepText(5).isEmpty());
    }

    void scalesWithFont()
    {
        StepIndicator w;
        w.setSteps({ u"One"_s, u"Two"_s, u"Three"_s });
        const QSize small = w.sizeHint();
        QFont f = w.font();
        f.setPointSizeF(f.pointSizeF() * 2);
        w.setFont(f);
        const QSize big = w.sizeHint();
        QVERIFY(big.height() > small.height() * 3 / 2);
        QVERIFY(big.width() > small.width());
        QVERIFY(w.minimumSizeHint().width() <= big.width());
    }

    void animatesOnlyWhenVisibleAndAllowed()
    {
        StepIndicator w;
        w.setSteps({ u"A"_s, u"B"_s });
        w.setCurrent(0);
        QVERIFY(!w.isAnimating()); // hidden
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.isAnimating());
        w.setCurrent(2); // all done: nothing active
        QVERIFY(!w.isAnimating());
        w.setCurrent(1);
        QVERIFY(w.isAnimating());
        w.hide();
        QVERIFY(!w.isAnimating());
        AnimationPolicy::setEnabled(false);
        w.show();
        QVERIFY(!w.isAnimating());
    }

    void deterministicWithoutAnimations()
    {
        AnimationPolicy::setEnabled(false);
        StepIndicator w;
        w.setSteps({ u"A"_s, u"B"_s, u"C"_s });
        w.setCurrent(1);
        w.resize(300, w.sizeHint().height());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        // Shown with an active step, yet no frame clock runs: what is drawn cannot change.
        QVERIFY(!w.isAnimating());
        QImage a(w.size(), QImage::Format_ARGB32), b(w.size(), QImage::Format_ARGB32);
        w.render(&a);
        QCoreApplication::processEvents();
        w.render(&b);
        QCOMPARE(a, b);
    }
};

QTEST_MAIN(tst_StepIndicator)
#include "tst_stepindicator.moc"
