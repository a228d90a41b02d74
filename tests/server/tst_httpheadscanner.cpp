#include "app/server/httpheadscanner.h"

#include <QTest>

using namespace Qt::StringLiterals;
using Event = HttpHeadScanner::Event;

// Outcome of feeding a whole byte stream: the events in order and the failure, if any.
struct Outcome
{
    QList<Event> events;
    int status = 0;
    QByteArray code;
    qint64 requests = 0;
};

static Outcome feed(HttpHeadScanner &scanner, QByteArrayView bytes, qsizetype step,
                    qint64 bodyLimit = 1024)
{
    Outcome out;
    for (qsizetype offset = 0; offset < bytes.size() || offset == 0;) {
        QByteArrayView piece = bytes.sliced(offset, std::min(step, bytes.size() - offset));
        offset += piece.size();
        for (;;) {
            qsizetype used = 0;
            const Event event = scanner.scan(piece, &used);
            piece = piece.sliced(used);
            if (event == Event::NeedMore)
                break;
            out.events.append(event);
            if (event == Event::HeadComplete)
                scanner.setBodyLimit(bodyLimit);
            if (event == Event::Error || event == Event::Upgrade) {
                out.status = scanner.failure().status;
                out.code = scanner.failure().code;
                out.requests = scanner.requestCount();
                return out;
            }
        }
        if (bytes.isEmpty())
            break;
    }
    out.requests = scanner.requestCount();
    return out;
}

class TestHttpHeadScanner final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void framing_data();
    void framing();
    void headFields();
    void declaredLengthRefusedBeforeBody();
    void chunkedOverLimit();
    void messageBytesBackstop();
    void headLimits();
    void expectContinue();
    void opaqueSkipping();
    void upgradeStepsAside();
};

void TestHttpHeadScanner::framing_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("status"); // 0 = accepted
    QTest::addColumn<int>("requests"); // complete requests when accepted

    const QByteArray host = "Host: x\r\n"_ba;
    QTest::newRow("simple get") << "GET / HTTP/1.1\r\n"_ba + host + "\r\n" << 0 << 1;
    QTest::newRow("http/1.0 without host") << "GET / HTTP/1.0\r\n\r\n"_ba << 0 << 1;
    QTest::newRow("leading empty line") << "\r\nGET / HTTP/1.1\r\n"_ba + host + "\r\n" << 0 << 1;
    QTest::newRow("two keep-alive requests")
        << "GET /a HTTP/1.1\r\n"_ba + host + "\r\nGET /b HTTP/1.1\r\n" + host + "\r\n"
        << 0 << 2;
    QTest::newRow("content-length body") << "POST /x HTTP/1.1\r\n"_ba + host
            + "Content-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\n" + host
            + "\r\n" << 0 << 2;
    QTest::newRow("chunked body") << "POST /x HTTP/1.1\r\n"_ba + host
            + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\na;ext=1\r\n0123456789\r\n0\r\n\r\n"
                                  << 0 << 1;
    QTest::newRow("chunked upper-case hex") << "POST /x HTTP/1.1\r\n"_ba + host
            + "Transfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n"
                                            << 0 << 1;

    QTest::newRow("duplicate content-length")
        << "POST / HTTP/1.1\r\n"_ba + host + "Content-Length: 1\r\nContent-Length: 1\r\n\r\nx"
        << 400 << 0;
    QTest::newRow("content-length list")
        << "POST / HTTP/1.1\r\n"_ba + host + "Content-Length: 1, 1\r\n\r\nx" << 400 << 0;
    QTest::newRow("negative content-length")
        << "POST / HTTP/1.1\r\n"_ba + host + "Content-Length: -1\r\n\r\n"
        << 400 << 0;
    QTest::newRow("content-length with transfer-encoding") << "POST / HTTP/1.1\r\n"_ba + host
            + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                           << 400 << 0;
    QTest::newRow("gzip coding") << "POST / HTTP/1.1\r\n"_ba + host
            + "Transfer-Encoding: gzip, chunked\r\n\r\n"
                                 << 400 << 0;
    QTest::newRow("two transfer-encodings") << "POST / HTTP/1.1\r\n"_ba + host
            + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
                                            << 400 << 0;
    QTest::newRow("chunked in http/1.0")
        << "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"_ba << 400 << 0;
    QTest::newRow("folded header") << "GET / HTTP/1.1\r\n"_ba + host + "X-A: 1\r\n  2\r\n\r\n"
                                   << 400 << 0;
    QTest::newRow("space before colon") << "GET / HTTP/1.1\r\n"_ba + host + "X-A : 1\r\n\r\n"
                                        << 400 << 0;
    QTest::newRow("bare LF") << "GET / HTTP/1.1\n"_ba + host + "\r\n" << 400 << 0;
    QTest::newRow("CR inside line") << "GET / HTTP/1.1\r\nX-A: a\rb\r\n"_ba + host + "\r\n"
                                    << 400 << 0;
    QTest::newRow("NUL in value") << "GET / HTTP/1.1\r\nX-A: a\0b\r\n"_ba + host + "\r\n"
                                  << 400 << 0;
    QTest::newRow("missing host") << "GET / HTTP/1.1\r\n\r\n"_ba << 400 << 0;
    QTest::newRow("two hosts") << "GET / HTTP/1.1\r\n"_ba + host + host + "\r\n" << 400 << 0;
    QTest::newRow("http/2 preface") << "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"_ba << 400 << 0;
    QTest::newRow("bad method") << "G(T / HTTP/1.1\r\n"_ba + host + "\r\n" << 400 << 0;
    QTest::newRow("space in target") << "GET /a b HTTP/1.1\r\n"_ba + host + "\r\n" << 400 << 0;
    QTest::newRow("connect") << "CONNECT a:443 HTTP/1.1\r\n"_ba + host + "\r\n" << 405 << 0;
    QTest::newRow("bad chunk size")
        << "POST / HTTP/1.1\r\n"_ba + host + "Transfer-Encoding: chunked\r\n\r\nzz\r\n"
        << 400 << 0;
    QTest::newRow("chunk size with space") << "POST / HTTP/1.1\r\n"_ba + host
            + "Transfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n"
                                           << 400 << 0;
    QTest::newRow("empty chunk size")
        << "POST / HTTP/1.1\r\n"_ba + host + "Transfer-Encoding: chunked\r\n\r\n\r\n"
        << 400 << 0;
    QTest::newRow("chunk without CRLF") << "POST / HTTP/1.1\r\n"_ba + host
            + "Transfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n"
                                        << 400 << 0;
    QTest::newRow("trailer") << "POST / HTTP/1.1\r\n"_ba + host
            + "Transfer-Encoding: chunked\r\n\r\n0\r\nX-T: 1\r\n\r\n"
                             << 400 << 0;
    QTest::newRow("huge chunk") << "POST / HTTP/1.1\r\n"_ba + host
            + "Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n"
                                << 413 << 0;
    QTest::newRow("huge content-length")
        << "POST / HTTP/1.1\r\n"_ba + host + "Content-Length: 99999999999999999999999\r\n\r\n"
        << 413 << 0;
    QTest::newRow("garbage after body")
        << "POST / HTTP/1.1\r\n"_ba + host + "Content-Length: 2\r\n\r\nabcdef ghi\r\n"
        << 400 << 1;
}

void TestHttpHeadScanner::framing()
{
    QFETCH(QByteArray, input);
    QFETCH(int, status);
    QFETCH(int, requests);

    // Any split of the stream must give the same verdict.
    for (const qsizetype step : { qsizetype(1), qsizetype(3), qsizetype(7), input.size() }) {
        HttpHeadScanner scanner;
        const Outcome out = feed(scanner, input, step);
        QCOMPARE(out.status, status);
        if (status == 0) {
            QVERIFY(!out.events.contains(Event::Error));
            QCOMPARE(out.requests, requests);
            QVERIFY(scanner.isIdle());
        } else {
            QVERIFY(scanner.isFailed());
            QVERIFY(!scanner.failure().message.isEmpty());
            QCOMPARE(out.requests, requests);
        }
    }
}

void TestHttpHeadScanner::headFields()
{
    HttpHeadScanner scanner;
    const QByteArray head = "PUT /api/v1/x?y=1#f HTTP/1.1\r\nhost: a\r\nCONTENT-length: 3\r\n"
                            "Connection: keep-alive, close\r\nExpect: 100-Continue\r\n\r\n"_ba;
    qsizetype used = 0;
    QCOMPARE(scanner.scan(head, &used), Event::HeadComplete);
    QCOMPARE(used, head.size());
    QCOMPARE(scanner.head().method, "PUT"_ba);
    QCOMPARE(scanner.head().target, "/api/v1/x?y=1#f"_ba);
    QCOMPARE(scanner.head().path, "/api/v1/x"_ba);
    QCOMPARE(scanner.head().contentLength, 3);
    QCOMPARE(scanner.head().headerCount, 4);
    QVERIFY(scanner.head().connectionClose);
    QVERIFY(scanner.head().expectContinue);
    QVERIFY(!scanner.head().chunked);
    QVERIFY(scanner.inBody());
}

void TestHttpHeadScanner::declaredLengthRefusedBeforeBody()
{
    HttpHeadScanner scanner;
    const QByteArray head = "POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 2147483648\r\n\r\n"_ba;
    qsizetype used = 0;
    QCOMPARE(scanner.scan(head, &used), Event::HeadComplete);
    scanner.setBodyLimit(1024 * 1024);
    QVERIFY(scanner.isFailed());
    QCOMPARE(scanner.failure().status, 413);
    QCOMPARE(scanner.failure().code, "payload_too_large"_ba);
    QCOMPARE(scanner.scan("more", &used), Event::Error);
    QCOMPARE(used, 0);

    // Exactly at the limit is fine.
    HttpHeadScanner exact;
    const QByteArray ok = "POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nabcd"_ba;
    const Outcome out = feed(exact, ok, ok.size(), 4);
    QCOMPARE(out.status, 0);
    QCOMPARE(out.requests, 1);
}

void TestHttpHeadScanner::chunkedOverLimit()
{
    HttpHeadScanner scanner;
    QByteArray input = "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"_ba;
    for (int i = 0; i < 20; ++i)
        input += "64\r\n" + QByteArray(100, 'x') + "\r\n"; // 20 x 100 bytes
    input += "0\r\n\r\n";
    Outcome out = feed(scanner, input, 13, 1500);
    QCOMPARE(out.status, 413);
    QVERIFY(scanner.bodyBytes() <= 1500);

    HttpHeadScanner roomy;
    out = feed(roomy, input, 13, 2000);
    QCOMPARE(out.status, 0);
    QCOMPARE(roomy.bodyBytes(), 2000); // kept until the next request starts
    QCOMPARE(out.requests, 1);
}

void TestHttpHeadScanner::messageBytesBackstop()
{
    // Tiny chunks stay under the body limit but not under the buffer budget.
    HttpHeadScanner::Limits limits;
    limits.maxMessageBytes = 400;
    HttpHeadScanner scanner(limits);
    QByteArray input = "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"_ba;
    for (int i = 0; i < 100; ++i)
        input += "1;aaaaaaaa\r\nx\r\n";
    const Outcome out = feed(scanner, input, input.size(), 1000);
    QCOMPARE(out.status, 413);
}

void TestHttpHeadScanner::headLimits()
{
    HttpHeadScanner::Limits limits;
    limits.maxHeadBytes = 200;
    limits.maxHeaderCount = 5;
    {
        HttpHeadScanner scanner(limits);
        const QByteArray input = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: "_ba + QByteArray(300, 'a');
        QCOMPARE(feed(scanner, input, 17).status, 431);
    }
    {
        // Without any line end at all.
        HttpHeadScanner scanner(limits);
        QCOMPARE(feed(scanner, QByteArray(1000, 'G'), 64).status, 431);
    }
    {
        HttpHeadScanner scanner(limits);
        QByteArray input = "GET / HTTP/1.1\r\nHost: a\r\n"_ba;
        for (int i = 0; i < 6; ++i)
            input += "X-" + QByteArray::number(i) + ": 1\r\n";
        input += "\r\n";
        const Outcome out = feed(scanner, input, input.size());
        QCOMPARE(out.status, 431);
        QCOMPARE(out.code, "headers_too_large"_ba);
    }
    {
        // Endless empty lines before a request are head bytes too.
        HttpHeadScanner scanner(limits);
        QByteArray input;
        for (int i = 0; i < 200; ++i)
            input += "\r\n";
        QCOMPARE(feed(scanner, input, 10).status, 431);
    }
}

void TestHttpHeadScanner::expectContinue()
{
    HttpHeadScanner scanner;
    qsizetype used = 0;
    QCOMPARE(scanner.scan(
                 "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n",
                 &used),
             Event::HeadComplete);
    scanner.setBodyLimit(10);
    QVERIFY(scanner.awaitsBodyStart());
    QCOMPARE(scanner.scan("a", &used), Event::NeedMore);
    QVERIFY(!scanner.awaitsBodyStart());
    QCOMPARE(scanner.scan("bc", &used), Event::MessageComplete);

    QCOMPARE(scanner.scan("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n",
                          &used),
             Event::HeadComplete);
    scanner.setBodyLimit(10);
    QVERIFY(scanner.awaitsBodyStart());
    QCOMPARE(scanner.scan("1", &used), Event::NeedMore);
    QVERIFY(!scanner.awaitsBodyStart());
}

void TestHttpHeadScanner::opaqueSkipping()
{
    HttpHeadScanner scanner;
    qsizetype used = 0;
    QCOMPARE(scanner.scan("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n", &used),
             Event::HeadComplete);
    scanner.setBodyLimit(100);
    QCOMPARE(scanner.opaqueBytesAhead(), 10);
    scanner.skipOpaque(4);
    QCOMPARE(scanner.bodyBytes(), 4);
    QCOMPARE(scanner.opaqueBytesAhead(), 6);
    scanner.skipOpaque(60); // clamped
    QCOMPARE(scanner.scan({}, &used), Event::MessageComplete);
    QVERIFY(scanner.isIdle());
    QCOMPARE(scanner.opaqueBytesAhead(), 0);
}

void TestHttpHeadScanner::upgradeStepsAside()
{
    HttpHeadScanner scanner;
    const QByteArray head
        = "GET /api/v1/ws HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade\r\n"
          "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\r\n"_ba;
    qsizetype used = 0;
    QCOMPARE(scanner.scan(QByteArray(head + "\x81\x05hello"), &used), Event::Upgrade);
    QCOMPARE(used, head.size());
    QVERIFY(scanner.isUpgraded());
    QVERIFY(scanner.head().upgrade);
    QCOMPARE(scanner.scan(QByteArray(100000, '\0'), &used), Event::Upgrade);
    QCOMPARE(used, 0);

    // Other upgrades are ordinary requests to the scanner: it keeps guarding.
    HttpHeadScanner h2c;
    QCOMPARE(
        h2c.scan("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n", &used),
        Event::HeadComplete);
    // A WebSocket upgrade with a body is malformed.
    HttpHeadScanner withBody;
    QCOMPARE(
        withBody.scan("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                      "Content-Length: 5\r\n\r\n",
                      &used),
        Event::Error);
}

QTEST_GUILESS_MAIN(TestHttpHeadScanner)
#include "tst_httpheadscanner.moc"
