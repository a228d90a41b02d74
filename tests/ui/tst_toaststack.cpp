#include "ui/toaststack.h"

#include <QLabel>
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

    // A toast grows to show all of its text, up to a limit; beyond it the text ends in "…" and
    // the whole of it is in the tooltip.
    void growsToFitThenElides_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("elided");
        QTest::newRow("a sentence")
            << u"Demo run: Step 3 of 5 failed, as asked (fail at step)."_s << false;
        QTest::newRow("a long path") << u"Cannot open /home/someone/Downloads/archives/2026/"
                                        "december/a-rather-long-file-name-without-spaces.tar.gz"_s
                                     << false;
        QTest::newRow("a page of output")
            << QString(u"tar: Unexpected EOF in archive. "_s).repeated(40) << true;
    }

    void growsToFitThenElides()
    {
        QFETCH(QString, text);
        QFETCH(bool, elided);
        QWidget host;
        host.resize(900, 900);
        ToastStack stack(&host);
        host.show();
        QVERIFY(QTest::qWaitForWindowExposed(&host));
        Toast *toast = stack.showToast(Toast::Kind::Error, u"Task failed"_s, text, u"Show"_s);
        QCOMPARE(toast->text(), text); // what it says, whole
        QTRY_VERIFY(toast->isVisible());
        const int em = toast->fontMetrics().height();
        QVERIFY2(toast->height() <= em * 12, qPrintable(QString::number(toast->height())));
        for (QLabel *label : toast->findChildren<QLabel *>()) {
            // Nothing cut off: every label has the height its text needs at its width...
            QVERIFY2(label->height() >= label->heightForWidth(label->width())
                         && label->width() >= label->minimumSizeHint().width(),
                     qPrintable(label->text()));
            // ...and lies inside the toast.
            QVERIFY(toast->rect().contains(label->geometry()));
        }
        QCOMPARE(toast->toolTip(), elided ? text : QString());
        const auto shown = toast->findChild<QLabel *>(u"toastText"_s);
        QVERIFY(shown);
        QCOMPARE(shown->text().endsWith(u"\u2026"_s), elided);
    }
};

QTEST_MAIN(tst_ToastStack)
#include "tst_toaststack.moc"
