#include "ui/toast.h"

#include <QCursor>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace Qt::StringLiterals;

class tst_Toast : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // Keep the pointer off the toasts: hovering pauses them.
        QCursor::setPos(5000, 5000);
    }

    void kinds_data()
    {
        QTest::addColumn<Toast::Kind>("kind");
        QTest::newRow("info") << Toast::Kind::Info;
        QTest::newRow("success") << Toast::Kind::Success;
        QTest::newRow("warning") << Toast::Kind::Warning;
        QTest::newRow("error") << Toast::Kind::Error;
    }
    void kinds()
    {
        QFETCH(Toast::Kind, kind);
        Toast t(kind, u"Title"_s, u"Some text"_s);
        QCOMPARE(t.kind(), kind);
        QCOMPARE(t.accessibleName(), u"Title"_s);
        QCOMPARE(t.accessibleDescription(), u"Some text"_s);
        QCOMPARE(t.timeout(), Toast::defaultTimeout(kind));
        t.show();
        QVERIFY(QTest::qWaitForWindowExposed(&t));
        QVERIFY(t.width() > 0 && t.height() > 0);
        QImage img(t.size(), QImage::Format_ARGB32);
        t.render(&img);
    }

    void autoDismiss()
    {
        auto *t = new Toast(Toast::Kind::Info, u"Hello"_s, {});
        QPointer<Toast> guard(t);
        t->setTimeout(100);
        QSignalSpy dismissed(t, &Toast::dismissed);
        t->show();
        QTRY_COMPARE(dismissed.size(), 1);
        QTRY_VERIFY(guard.isNull()); // deletes itself
    }

    void pausedWhileHovered()
    {
        // Toasts delete themselves once dismissed: always on the heap.
        QPointer<Toast> t = new Toast(Toast::Kind::Info, u"Hover me"_s, {});
        t->setTimeout(150);
        QSignalSpy dismissed(t, &Toast::dismissed);
        t->show();
        QVERIFY(t->isCountingDown());
        t->pauseTimeout(); // what entering does
        QVERIFY(t->isPaused());
        // Paused: no timer left that could dismiss it, and the time left stands still.
        QVERIFY(!t->isCountingDown());
        const int left = t->remainingMs();
        QVERIFY(left > 0);
        QCoreApplication::processEvents();
        QCOMPARE(t->remainingMs(), left);
        QCOMPARE(dismissed.size(), 0);
        t->resumeTimeout(); // leaving: at least 1.5 s more
        QVERIFY(t->remainingMs() >= 1000);
        t->setTimeout(50);
        QTRY_COMPARE(dismissed.size(), 1);
        QTRY_VERIFY(t.isNull());
    }

    void hoverEventsPause()
    {
        std::unique_ptr<Toast> t(new Toast(Toast::Kind::Info, u"Hover"_s, {}));
        t->setTimeout(10000);
        t->show();
        QEnterEvent enter(QPointF(5, 5), QPointF(5, 5), QPointF(5, 5));
        QCoreApplication::sendEvent(t.get(), &enter);
        QVERIFY(t->isPaused());
        QEvent leave(QEvent::Leave);
        QCoreApplication::sendEvent(t.get(), &leave);
        QVERIFY(!t->isPaused());
    }

    void actionAndClose()
    {
        QPointer<Toast> t = new Toast(Toast::Kind::Success, u"Done"_s, u"x"_s);
        t->setTimeout(0);
        t->setAction(u"Show"_s);
        QCOMPARE(t->actionLabel(), u"Show"_s);
        QSignalSpy action(t, &Toast::actionTriggered);
        QSignalSpy dismissed(t, &Toast::dismissed);
        t->show();
        auto *button = t->findChild<QPushButton *>();
        QVERIFY(button);
        button->click();
        QCOMPARE(action.size(), 1);
        QCOMPARE(dismissed.size(), 1);
        QTRY_VERIFY(t.isNull());

        QPointer<Toast> t2 = new Toast(Toast::Kind::Error, u"Failed"_s, {});
        QSignalSpy dismissed2(t2, &Toast::dismissed);
        t2->show();
        auto *close = t2->findChild<QToolButton *>();
        QVERIFY(close);
        QCOMPARE(close->accessibleName(), u"Close notification"_s);
        close->click();
        QCOMPARE(dismissed2.size(), 1);
        QVERIFY(t2->isHidden());
        QTRY_VERIFY(t2.isNull());
    }
};

QTEST_MAIN(tst_Toast)
#include "tst_toast.moc"
