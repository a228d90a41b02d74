// Tests of Router: literal and {param} segments, 404 versus 405 with the allowed methods, and
// the rules each route carries (access, body limit, error style, origin rule, WebSocket) as the
// front door and the transport guard read them, in a table and in the server's own table.
#include "app/server/engineioserver.h"
#include "app/server/router.h"
#include "app/server/uploaddriver.h"
#include "tests/server/testserver.h"

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

    // A request's rules: its route's, else a route's on the same path (405), else a page's
    // (JSON errors under /api/); the guard's view (method name, raw path) gives the same.
    void rules_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<int>("access");
        QTest::addColumn<int>("errors");
        QTest::addColumn<qint64>("bodyLimit");
        QTest::addColumn<bool>("webSocket");
        using A = RouteRules::Access;
        using E = RouteRules::Errors;
        QTest::newRow("public") << "GET"_ba
                                << "/health"_ba << int(A::Public) << int(E::Json) << qint64(0)
                                << false;
        QTest::newRow("big body") << "PATCH"_ba
                                  << "/files/abc"_ba << int(A::Token) << int(E::Json)
                                  << qint64(1000) << false;
        QTest::newRow("encoded id")
            << "PATCH"_ba
            << "/files/a%20b"_ba << int(A::Token) << int(E::Json) << qint64(1000) << false;
        QTest::newRow("other method, same path: its rules")
            << "DELETE"_ba
            << "/files/abc"_ba << int(A::Token) << int(E::Json) << qint64(1000) << false;
        QTest::newRow("reporter") << "POST"_ba
                                  << "/tasks/x/report"_ba << int(A::TokenOrReportToken)
                                  << int(E::Json) << qint64(0) << false;
        QTest::newRow("websocket")
            << "GET"_ba
            << "/ws"_ba << int(A::Token) << int(E::Json) << qint64(0) << true;
        QTest::newRow("page") << "GET"_ba
                              << "/"_ba << int(A::Token) << int(E::Page) << qint64(0) << false;
        QTest::newRow("no route: a page's file")
            << "GET"_ba
            << "/css/a.css"_ba << int(A::Token) << int(E::Page) << qint64(0) << false;
        QTest::newRow("no route under /api/")
            << "GET"_ba
            << "/api/nothing"_ba << int(A::Token) << int(E::Json) << qint64(0) << false;
        QTest::newRow("unknown method")
            << "BREW"_ba
            << "/health"_ba << int(A::Public) << int(E::Json) << qint64(0) << false;
    }

    void rules()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(int, access);
        QFETCH(int, errors);
        QFETCH(qint64, bodyLimit);
        QFETCH(bool, webSocket);
        Router router;
        const auto ok = [](RequestContext &) { return HttpReply(); };
        router.add(Method::Get, u"/health"_s, ok,
                   RouteRules().withAccess(RouteRules::Access::Public));
        router.add(Method::Patch, u"/files/{id}"_s, ok, RouteRules().withBodyLimit(1000));
        router.add(Method::Post, u"/tasks/{id}/report"_s, ok,
                   RouteRules().withAccess(RouteRules::Access::TokenOrReportToken));
        router.addWebSocket(u"/ws"_s, ok, ok, nullptr);
        router.add(Method::Get, u"/"_s, ok, RouteRules::page());

        const RouteRules rules = router.rules(method, path);
        QCOMPARE(int(rules.access), access);
        QCOMPARE(int(rules.errors), errors);
        QCOMPARE(rules.bodyLimit, bodyLimit);
        QCOMPARE(rules.webSocket, webSocket);
        if (const auto m = Router::methodFromName(method)) {
            const RouteRules same = router.rules(*m, QUrl::fromPercentEncoding(path));
            QCOMPARE(int(same.access), access);
            QCOMPARE(same.bodyLimit, bodyLimit);
        }
    }

    // The server's own table: what used to be prefixes and special cases in the front door and
    // the guard is declared on the routes.
    void serverTable_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<int>("access");
        QTest::addColumn<int>("errors");
        QTest::addColumn<int>("origin");
        QTest::addColumn<qint64>("bodyLimit");
        QTest::addColumn<bool>("webSocket");
        using A = RouteRules::Access;
        using E = RouteRules::Errors;
        using O = RouteRules::Origin;
        QTest::newRow("health") << "GET"_ba
                                << "/api/v1/health"_ba << int(A::Public) << int(E::Json)
                                << int(O::SameOrigin) << qint64(0) << false;
        QTest::newRow("tasks") << "POST"_ba
                               << "/api/v1/tasks"_ba << int(A::Token) << int(E::Json)
                               << int(O::SameOrigin) << qint64(0) << false;
        QTest::newRow("report") << "POST"_ba
                                << "/api/v1/tasks/x/report"_ba << int(A::TokenOrReportToken)
                                << int(E::Json) << int(O::SameOrigin) << qint64(0) << false;
        QTest::newRow("finish") << "POST"_ba
                                << "/api/v1/tasks/x/finish"_ba << int(A::TokenOrReportToken)
                                << int(E::Json) << int(O::SameOrigin) << qint64(0) << false;
        QTest::newRow("cancel is not the reporter's")
            << "POST"_ba
            << "/api/v1/tasks/x/cancel"_ba << int(A::Token) << int(E::Json) << int(O::SameOrigin)
            << qint64(0) << false;
        QTest::newRow("upload chunk")
            << "PATCH"_ba
            << "/api/v1/uploads/x"_ba << int(A::Token) << int(E::Json) << int(O::SameOrigin)
            << qint64(UploadDriver::ChunkLimit) << false;
        QTest::newRow("upload create") << "POST"_ba
                                       << "/api/v1/uploads"_ba << int(A::Token) << int(E::Json)
                                       << int(O::SameOrigin) << qint64(0) << false;
        QTest::newRow("ws") << "GET"_ba
                            << "/api/v1/ws"_ba << int(A::Token) << int(E::Json)
                            << int(O::SameOrigin) << qint64(0) << true;
        QTest::newRow("engine.io poll")
            << "POST"_ba << EngineIoServer::Path.toByteArray() << int(A::Token) << int(E::Json)
            << int(O::SameOrigin) << qint64(EngineIoServer::MaxPayload) << false;
        QTest::newRow("engine.io socket")
            << "GET"_ba << EngineIoServer::Path.toByteArray() << int(A::Token) << int(E::Json)
            << int(O::SameOrigin) << qint64(EngineIoServer::MaxPayload) << true;
        QTest::newRow("seed api") << "GET"_ba
                                  << "/task-status/x"_ba << int(A::Token) << int(E::Json)
                                  << int(O::SameOrigin) << qint64(0) << false;
        QTest::newRow("page") << "GET"_ba
                              << "/"_ba << int(A::Token) << int(E::Page) << int(O::SameOrigin)
                              << qint64(0) << false;
        QTest::newRow("plain page") << "GET"_ba
                                    << "/plain"_ba << int(A::Token) << int(E::Page)
                                    << int(O::SameOrigin) << qint64(0) << false;
        QTest::newRow("plain form") << "POST"_ba
                                    << "/plain/start"_ba << int(A::Token) << int(E::Page)
                                    << int(O::SameOriginOrCsrfForm) << qint64(0) << false;
        QTest::newRow("plain cancel form") << "POST"_ba
                                           << "/plain/cancel/x"_ba << int(A::Token) << int(E::Page)
                                           << int(O::SameOriginOrCsrfForm) << qint64(0) << false;
        QTest::newRow("a file of the page") << "GET"_ba
                                            << "/js/api.js"_ba << int(A::Token) << int(E::Page)
                                            << int(O::SameOrigin) << qint64(0) << false;
    }

    void serverTable()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(int, access);
        QFETCH(int, errors);
        QFETCH(int, origin);
        QFETCH(qint64, bodyLimit);
        QFETCH(bool, webSocket);
        TestServer server;
        const RouteRules rules = server.server().router().rules(method, path);
        QCOMPARE(int(rules.access), access);
        QCOMPARE(int(rules.errors), errors);
        QCOMPARE(int(rules.origin), origin);
        QCOMPARE(rules.bodyLimit, bodyLimit);
        QCOMPARE(rules.webSocket, webSocket);
    }

    void methodNames()
    {
        QCOMPARE(Router::methodName(Method::Delete), QByteArray("DELETE"));
        QCOMPARE(Router::methodName(Method::Get), QByteArray("GET"));
        QCOMPARE(Router::methodFromName("PATCH"), std::optional<Method>(Method::Patch));
        QCOMPARE(Router::methodFromName("get"), std::optional<Method>()); // methods are upper case
    }
};

QTEST_GUILESS_MAIN(tst_Router)
#include "tst_router.moc"
