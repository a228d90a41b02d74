#include "ui/animationpolicy.h"

#include <QTest>

class tst_AnimationPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void toggles()
    {
        QVERIFY(AnimationPolicy::enabled()); // on by default
        AnimationPolicy::setEnabled(false);
        QVERIFY(!AnimationPolicy::enabled());
        AnimationPolicy::setEnabled(true);
        QVERIFY(AnimationPolicy::enabled());
    }
};

QTEST_GUILESS_MAIN(tst_AnimationPolicy)
#include "tst_animationpolicy.moc"
