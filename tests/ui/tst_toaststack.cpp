#include "ui/toaststack.h"

#include <QTest>

using namespace Qt::StringLiterals;

class tst_ToastStack : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stacksInCorner()
    {
        QWidget host;
        host.resize(800, 600);
        ToastStack stack(&host);
        host.show();
        QVERIFY(QTest::qWaitForWindowExposed(&host));
        QVERIFY(stack.isHidden());
        Toast *a = stack.showToast(Toast::Kind::Info, u"First"_s, u"one"_s);
        Toast *b = stack.showToast(Toast::Kind::Error, u"Second"_s, u"two"_s, u"Show"_s);
        QCOMPARE(stack.count(), 2);
        QVERIFY(stack.isVisible());
        // Bottom-right corner, inside the host, newest below.
        QVERIFY(stack.geometry().right() < host.width());
        QVERIFY(stack.geometry().bottom() < host.height());
        QVERIFY(stack.geometry().left() > host.width() / 2);
        QVERIFY(b->geometry().top() > a->geometry().top());
        QCOMPARE(b->actionLabel(), u"Show"_s);

        // Follows the host's size.
        host.resize(1000, 700);
        QTRY_VERIFY(stack.geometry().left() > 500);
        QVERIFY(stack.geometry().bottom() < 700);

        a->dismiss();
        QCOMPARE(stack.count(), 1);
        QCOMPARE(b->geometry().top(), 0);
        stack.clear();
        QCOMPARE(stack.count(), 0);
        QTRY_VERIFY(stack.isHidden());
    }

    void dropsTheOldest()
    {
        QWidget host;
        host.resize(800, 900);
        ToastStack stack(&host);
        stack.setMaxToasts(3);
        host.show();
        QList<QPointer<Toast>> all;
        for (int i = 0; i < 5; ++i)
            all.append(stack.showToast(Toast::Kind::Info, u"T%1"_s.arg(i)));
        QCOMPARE(stack.count(), 3);
        QCOMPARE(stack.toasts().first()->title(), u"T2"_s);
        QTRY_VERIFY(all[0].isNull());
    }
};

QTEST_MAIN(tst_ToastStack)
#include "tst_toaststack.moc"
