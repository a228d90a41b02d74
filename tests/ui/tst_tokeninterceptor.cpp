#include "ui/tokeninterceptor.h"

#include <QTest>

using namespace Qt::StringLiterals;

class tst_TokenInterceptor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameOrigin_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<bool>("same");
        QTest::newRow("same") << u"http://127.0.0.1:8080/"_s
                              << u"http://127.0.0.1:8080/api/tasks?x=1"_s << true;
        QTest::newRow("port") << u"http://127.0.0.1:8080/"_s << u"http://127.0.0.1:8081/"_s
                              << false;
        QTest::newRow("scheme") << u"http://127.0.0.1:8080/"_s << u"https://127.0.0.1:8080/"_s
                                << false;
        QTest::newRow("host") << u"http://127.0.0.1:8080/"_s << u"http://localhost:8080/"_s
                              << false;
        QTest::newRow("default port")
            << u"http://example.org/"_s << u"http://example.org:80/a"_s << true;
        QTest::newRow("websocket")
            << u"http://127.0.0.1:8080/"_s << u"ws://127.0.0.1:8080/ws"_s << true;
        QTest::newRow("websocket port")
            << u"http://127.0.0.1:8080/"_s << u"ws://127.0.0.1:9/ws"_s << false;
        QTest::newRow("secure websocket")
            << u"https://h.example/"_s << u"wss://h.example/ws"_s << true;
        QTest::newRow("invalid") << QString() << u"http://127.0.0.1/"_s << false;
    }
    void sameOrigin()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(bool, same);
        QCOMPARE(TokenInterceptor::sameOrigin(QUrl(a), QUrl(b)), same);
    }
};

QTEST_GUILESS_MAIN(tst_TokenInterceptor)
#include "tst_tokeninterceptor.moc"
