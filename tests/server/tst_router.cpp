// Tests of Router: literal and {param} segments, 404 versus 405 with the allowed methods.
#include "app/server/router.h"

#include <QTest>

using namespace Qt::StringLiterals;
using Method = QHttpServerRequest::Method;

class tst_Router : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matching_data()
    {
        QTest::addColumn<int>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("pattern"); // empty: no route
        QTest::addColumn<QString>("id");
        QTest::addColumn<int>("allowedCount");
        QTest::newRow("root") << int(Method::Get) << u"/"_s << u"/"_s << QString() << 1;
        QTest::newRow("list") << int(Method::Get) << u"/api/v1/tasks"_s << u"/api/v1/tasks"_s
                              << QString() << 2;
        QTest::newRow("create") << int(Method::Post) << u"/api/v1/tasks"_s << u"/api/v1/tasks"_s
                                << QString() << 2;
        QTest::newRow("405") << int(Method::Put) << u"/api/v1/tasks"_s << QString() << QString()
                             << 2;
        QTest::newRow("param") << int(Method::Get) << u"/api/v1/tasks/abc"_s
                               << u"/api/v1/tasks/{id}"_s << u"abc"_s << 1;
        QTest::newRow("action") << int(Method::Post) << u"/api/v1/tasks/abc/cancel"_s
                                << u"/api/v1/tasks/{id}/cancel"_s << u"abc"_s << 1;
        QTest::newRow("empty param")
            << int(Method::Get) << u"/api/v1/tasks/"_s << QString() << QString() << 0;
        QTest::newRow("404") << int(Method::Get) << u"/nothing"_s << QString() << QString() << 0;
        QTest::newRow("too deep") << int(Method::Get) << u"/api/v1/tasks/a/b"_s << QString()
                                  << QString() << 0;
    }
    void matching()
    {
        QFETCH(int, method);
        QFETCH(QString, path);
        QFETCH(QString, pattern);
        QFETCH(QString, id);
        QFETCH(int, allowedCount);
        Router router;
        const auto ok = [](RequestContext &) { return HttpReply(); };
        router.add(Method::Get, u"/"_s, ok);
        router.add(Method::Get, u"/api/v1/tasks"_s, ok);
        router.add(Method::Post, u"/api/v1/tasks"_s, ok);
        router.add(Method::Get, u"/api/v1/tasks/{id}"_s, ok);
        router.add(Method::Post, u"/api/v1/tasks/{id}/cancel"_s, ok);
        const Router::Match match = router.match(Method(method), path);
        QCOMPARE(match.route ? match.route->pattern : QString(), pattern);
        QCOMPARE(match.args.value(u"id"_s), id);
        QCOMPARE(match.allowed.size(), allowedCount);
    }

    void methodNames()
    {
        QCOMPARE(Router::methodName(Method::Delete), QByteArray("DELETE"));
        QCOMPARE(Router::methodName(Method::Get), QByteArray("GET"));
    }
};

QTEST_GUILESS_MAIN(tst_Router)
#include "tst_router.moc"
