// Tests of EngineIoServer and EngineIoSession (and the Socket.IO layer and Headway binding on
// them) against a real HeadwayServer on an ephemeral loopback port: the polling handshake,
// CONNECT and events, the WebSocket upgrade, direct WebSockets, ping timeout, every security
// rule and malformed packets.
#include "app/server/engineioserver.h"
#include "tests/server/serverclient.h"
#include "tests/server/testserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

#include <memory>

using namespace Qt::StringLiterals;

using ServerClient::Answer;

namespace {
// The Socket.IO events in a list of Engine.IO packets ("42[...]"): name and payload.
QList<std::pair<QString, QJsonValue>> eventsIn(const QList<QByteArray> &packets)
{
    QList<std::pair<QString, QJsonValue>> events;
    for (const QByteArray &packet : packets) {
        if (!packet.startsWith("42["))
            continue;
        const QJsonArray array = QJsonDocument::fromJson(packet.mid(2)).array();
        events.append({ array.at(0).toString(), array.at(1) });
    }
    return events;
}
} // namespace

class tst_EngineIoServer : public QObject
{
    Q_OBJECT

private:
    QByteArray hostHeader() const { return "127.0.0.1:" + QByteArray::number(m_server->port()); }
    QString base() const { return u"http://127.0.0.1:%1"_s.arg(m_server->port()); }
    QByteArray bearer() const { return "Bearer " + m_server->token().toLatin1(); }

    Answer request(const QByteArray &method, const QString &query, const QByteArray &body = {},
                   QList<std::pair<QByteArray, QByteArray>> headers = {}, bool auth = true)
    {
        QNetworkRequest req(QUrl(base() + u"/socket.io/?"_s + query));
        // Cookies only where a test sends one: the handshake sets the session cookie.
        req.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
        req.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
        if (auth)
            req.setRawHeader("Authorization", bearer());
        req.setRawHeader("Content-Type", "text/plain;charset=UTF-8");
        for (const auto &[k, v] : headers)
            req.setRawHeader(k, v);
        return ServerClient::finish(m_nam->sendCustomRequest(req, method, body), 10000);
    }
    // Handshake over polling; returns the open packet's JSON.
    QJsonObject handshake()
    {
        const Answer a = request("GET", u"EIO=4&transport=polling"_s);
        if (a.status != 200 || !a.body.startsWith('0')) {
            qWarning() << a.status << a.body;
            return {};
        }
        return QJsonDocument::fromJson(a.body.mid(1)).object();
    }
    QString pollQuery(const QString &sid) const { return u"EIO=4&transport=polling&sid="_s + sid; }
    // Polls until `done` holds for what arrived (answering pings), or the poll fails.
    QList<QByteArray> pollUntil(const QString &sid,
                                const std::function<bool(const QList<QByteArray> &)> &done,
                                bool answerPings = true)
    {
        QList<QByteArray> packets;
        for (int i = 0; i < 200 && !done(packets); ++i) {
            const Answer a = request("GET", pollQuery(sid));
            if (a.status != 200)
                break;
            for (const QByteArray &p : a.body.split('\x1e')) {
                packets.append(p);
                if (p == "2" && answerPings)
                    request("POST", pollQuery(sid), "3");
            }
            if (packets.contains("1"))
                break;
        }
        return packets;
    }
    QString connectedSession()
    {
        const QString sid = handshake().value(u"sid"_s).toString();
        if (request("POST", pollQuery(sid), "40").status != 200)
            return {};
        const QList<QByteArray> packets = pollUntil(sid, [](const QList<QByteArray> &p) {
            return !p.isEmpty() && p.last().startsWith("40{");
        });
        return packets.isEmpty() || !packets.last().startsWith("40{\"sid\"") ? QString() : sid;
    }
    QByteArray raw(const QByteArray &request, int timeoutMs = 3000)
    {
        return ServerClient::exchange(m_server->port(), request, timeoutMs);
    }

    std::unique_ptr<TestServer> m_fixture;
    HeadwayServer *m_server = nullptr;
    TaskEngine *m_engine = nullptr;
    std::unique_ptr<QNetworkAccessManager> m_nam;

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TestServer>();
        m_server = &m_fixture->server();
        m_engine = &m_fixture->engine();
        m_server->setDemoTask(4, 20);
        QString error;
        QVERIFY2(m_fixture->listen(&error), qPrintable(error));
        m_nam = std::make_unique<QNetworkAccessManager>();
    }
    void cleanup()
    {
        m_nam.reset();
        m_fixture.reset();
    }

    void pollingHandshake()
    {
        const QJsonObject open = handshake();
        const QString sid = open.value(u"sid"_s).toString();
        QVERIFY(sid.size() >= 20); // 128 random bits
        QCOMPARE(open.value(u"upgrades"_s).toArray(), QJsonArray { u"websocket"_s });
        QCOMPARE(open.value(u"pingInterval"_s).toInt(), 25000);
        QCOMPARE(open.value(u"pingTimeout"_s).toInt(), 20000);
        QCOMPARE(open.value(u"maxPayload"_s).toInt(), int(EngineIoServer::MaxPayload));
        QVERIFY(handshake().value(u"sid"_s).toString() != sid);
        QCOMPARE(m_server->engineIo().sessionCount(), 2);
    }

    void connectAndStartTask_data()
    {
        QTest::addColumn<QByteArray>("connect");
        QTest::newRow("without auth") << QByteArray("40");
        QTest::newRow("with auth") << QByteArray("40{\"token\":\"ignored\"}");
    }
    void connectAndStartTask()
    {
        QFETCH(QByteArray, connect);
        const QString sid = handshake().value(u"sid"_s).toString();
        // CONNECT and the tutorial's start_task in one payload, as a batch.
        QCOMPARE(request("POST", pollQuery(sid),
                         connect
                             + "\x1e"
                               "42[\"start_task\"]")
                     .status,
                 200);
        const QList<QByteArray> packets = pollUntil(sid, [](const QList<QByteArray> &p) {
            for (const auto &[name, payload] : eventsIn(p)) {
                if (name == u"progress_update"
                    && payload.toObject().value(u"status"_s).toString() == u"completed")
                    return true;
            }
            return false;
        });
        QVERIFY(!packets.isEmpty());
        QVERIFY2(packets.first().startsWith("40{\"sid\":\""), packets.first().constData());
        const auto events = eventsIn(packets);
        QVERIFY(!events.isEmpty());
        QCOMPARE(events.first().first, u"task_started"_s);
        const QString taskId = events.first().second.toObject().value(u"task_id"_s).toString();
        QVERIFY(m_engine->task(taskId).has_value());
        int last = -1;
        for (const auto &[name, payload] : events.mid(1)) {
            QCOMPARE(name, u"progress_update"_s);
            const QJsonObject update = payload.toObject();
            QCOMPARE(update.value(u"task_id"_s).toString(), taskId);
            const int progress = update.value(u"progress"_s).toInt();
            QVERIFY(progress >= last); // never backwards
            last = progress;
        }
        QCOMPARE(last, 100);
        QCOMPARE(events.last().second.toObject().value(u"status"_s).toString(), u"completed"_s);
    }

    void commandsAndAcks()
    {
        const QString sid = connectedSession();
        QVERIFY(!sid.isEmpty());
        // A long task, so cancel finds it running.
        QCOMPARE(request("POST", pollQuery(sid),
                         "421[\"start_task\",{\"type\":\"demo\",\"params\":{\"steps\":100,"
                         "\"delay_ms\":200}}]")
                     .status,
                 200);
        QList<QByteArray> packets = pollUntil(sid, [](const QList<QByteArray> &p) {
            return std::any_of(p.begin(), p.end(),
                               [](const QByteArray &x) { return x.startsWith("431["); });
        });
        QByteArray ack;
        for (const QByteArray &p : packets)
            if (p.startsWith("431["))
                ack = p;
        const QJsonObject started = QJsonDocument::fromJson(ack.mid(3)).array().at(0).toObject();
        QVERIFY(started.value(u"ok"_s).toBool());
        const QString id = started.value(u"task_id"_s).toString();
        QVERIFY(!id.isEmpty());

        const QByteArray payload = "422[\"pause\",{\"task_id\":\"" + id.toLatin1()
            + "\"}]\x1e"
              "423[\"cancel\",\""
            + id.toLatin1()
            + "\"]\x1e"
              "424[\"explode\"]\x1e"
              "425[\"subscribe\",{\"ids\":[\""
            + id.toLatin1()
            + "\"]}]\x1e"
              "426[\"start_task\",{\"type\":\"nope\"}]";
        QCOMPARE(request("POST", pollQuery(sid), payload).status, 200);
        QHash<int, QJsonObject> acks;
        packets = pollUntil(sid, [&](const QList<QByteArray> &p) {
            for (const QByteArray &x : p) {
                if (x.startsWith("43") && x.size() > 3)
                    acks.insert(x.mid(2, 1).toInt(),
                                QJsonDocument::fromJson(x.mid(3)).array().at(0).toObject());
            }
            return acks.size() >= 5;
        });
        QVERIFY(acks.value(2).value(u"ok"_s).toBool()); // pause
        QCOMPARE(acks.value(2).value(u"task"_s).toObject().value(u"id"_s).toString(), id);
        QVERIFY(acks.value(3).value(u"ok"_s).toBool()); // cancel
        QCOMPARE(acks.value(4).value(u"error"_s).toObject().value(u"code"_s).toString(),
                 u"bad_command"_s);
        QVERIFY(acks.value(5).value(u"ok"_s).toBool()); // subscribe: where the task stands
        QCOMPARE(acks.value(5).value(u"tasks"_s).toArray().size(), 1);
        QVERIFY(!acks.value(6).value(u"ok"_s).toBool()); // unknown type
        QCOMPARE(acks.value(6).value(u"error"_s).toObject().value(u"code"_s).toString(),
                 u"unknown_type"_s);

        // The cancel ends with a final update carrying status and error, and `task` events.
        QList<QByteArray> all = packets;
        bool sawTask = false;
        bool canceled = false;
        pollUntil(sid, [&](const QList<QByteArray> &p) {
            for (const auto &[name, value] : eventsIn(all + p)) {
                sawTask |= name == u"task";
                canceled |= name == u"progress_update"
                    && value.toObject().value(u"status"_s).toString() == u"canceled"
                    && !value.toObject().value(u"error"_s).toString().isEmpty();
            }
            return canceled;
        });
        QVERIFY(canceled);
        QVERIFY(sawTask);
    }

    void onlyOwnTasks()
    {
        const QString a = connectedSession();
        const QString b = connectedSession();
        QVERIFY(!a.isEmpty() && !b.isEmpty());
        QCOMPARE(request("POST", pollQuery(a), "42[\"start_task\"]").status, 200);
        pollUntil(a, [](const QList<QByteArray> &p) {
            for (const auto &[name, value] : eventsIn(p)) {
                if (value.toObject().value(u"status"_s).toString() == u"completed")
                    return true;
            }
            return false;
        });
        // b started nothing: a no-op query round (ping answered by polling) shows no events.
        QCOMPARE(request("POST", pollQuery(b), "42[\"start_task\"]").status, 200);
        const QList<QByteArray> got = pollUntil(b, [](const QList<QByteArray> &p) {
            for (const auto &[name, value] : eventsIn(p)) {
                if (value.toObject().value(u"status"_s).toString() == u"completed")
                    return true;
            }
            return false;
        });
        QStringList ids;
        for (const auto &[name, value] : eventsIn(got))
            ids.append(value.toObject().value(u"task_id"_s).toString());
        ids.removeDuplicates();
        QCOMPARE(ids.size(), 1); // only its own task, never a's
    }

    void upgradeToWebSocket()
    {
        const QString sid = connectedSession();
        QVERIFY(!sid.isEmpty());
        // A held poll, released by the upgrade with a noop.
        QNetworkRequest pollRequest(QUrl(base() + u"/socket.io/?"_s + pollQuery(sid)));
        pollRequest.setRawHeader("Authorization", bearer());
        QNetworkReply *held = m_nam->get(pollRequest);

        QWebSocket ws;
        QStringList received;
        connect(&ws, &QWebSocket::textMessageReceived, this,
                [&](const QString &t) { received.append(t); });
        QNetworkRequest wsRequest(QUrl(
            u"ws://127.0.0.1:%1/socket.io/?EIO=4&transport=websocket&sid=%2"_s.arg(m_server->port())
                .arg(sid)));
        wsRequest.setRawHeader("Authorization", bearer());
        ws.open(wsRequest);
        QTRY_COMPARE_WITH_TIMEOUT(ws.state(), QAbstractSocket::ConnectedState, 5000);
        ws.sendTextMessage(u"2probe"_s);
        QTRY_VERIFY_WITH_TIMEOUT(received.contains(u"3probe"_s), 5000);
        const Answer released = ServerClient::finish(held, 5000);
        QCOMPARE(released.status, 200);
        QCOMPARE(released.body, QByteArray("6"));
        ws.sendTextMessage(u"5"_s);
        ws.sendTextMessage(u"42[\"start_task\"]"_s);
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(received.begin(), received.end(),
                                             [](const QString &t) {
                                                 return t.startsWith(u"42[\"progress_update\"")
                                                     && t.contains(u"\"completed\"");
                                             }),
                                 10000);
        // Polling is over for this session.
        QCOMPARE(request("GET", pollQuery(sid)).status, 400);
        ws.close();
        QTRY_COMPARE_WITH_TIMEOUT(m_server->engineIo().sessionCount(), 0, 5000);
    }

    void directWebSocketAndPingTimeout()
    {
        m_server->engineIo().setTimings(100, 150);
        QWebSocket ws;
        QStringList received;
        connect(&ws, &QWebSocket::textMessageReceived, this,
                [&](const QString &t) { received.append(t); });
        QNetworkRequest wsRequest(QUrl(
            u"ws://127.0.0.1:%1/socket.io/?EIO=4&transport=websocket"_s.arg(m_server->port())));
        wsRequest.setRawHeader("Authorization", bearer());
        QSignalSpy disconnected(&ws, &QWebSocket::disconnected);
        ws.open(wsRequest);
        QTRY_VERIFY_WITH_TIMEOUT(!received.isEmpty(), 5000);
        QVERIFY(received.first().startsWith(u"0{"));
        const QJsonObject open = QJsonDocument::fromJson(received.first().mid(1).toUtf8()).object();
        QCOMPARE(open.value(u"upgrades"_s).toArray(), QJsonArray());
        QCOMPARE(open.value(u"pingInterval"_s).toInt(), 100);
        ws.sendTextMessage(u"40"_s);
        QTRY_VERIFY_WITH_TIMEOUT(received.size() >= 2 && received.at(1).startsWith(u"40{"), 5000);
        // Pongs keep it open over several intervals...
        connect(&ws, &QWebSocket::textMessageReceived, this, [&](const QString &t) {
            if (t == u"2" && received.count(u"2"_s) <= 3)
                ws.sendTextMessage(u"3"_s);
        });
        QTRY_VERIFY_WITH_TIMEOUT(received.count(u"2"_s) >= 4, 5000);
        // ...and without a pong the server closes the session.
        QTRY_VERIFY_WITH_TIMEOUT(!disconnected.isEmpty(), 5000);
        QCOMPARE(m_server->engineIo().sessionCount(), 0);
    }

    void pollingPingTimeout()
    {
        m_server->engineIo().setTimings(100, 150);
        const QString sid = handshake().value(u"sid"_s).toString();
        QVERIFY(!sid.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(m_server->engineIo().sessionCount(), 0, 5000);
        const Answer a = request("GET", pollQuery(sid));
        QCOMPARE(a.status, 400);
        QCOMPARE(a.json.value(u"code"_s).toInt(), 1); // Session ID unknown
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("engineCode"); // -1: an API error, not Engine.IO's
        QTest::newRow("EIO=3") << QByteArray("GET") << u"EIO=3&transport=polling"_s << 400 << 5;
        QTest::newRow("no EIO") << QByteArray("GET") << u"transport=polling"_s << 400 << 5;
        QTest::newRow("unknown transport")
            << QByteArray("GET") << u"EIO=4&transport=flash"_s << 400 << 0;
        QTest::newRow("websocket without upgrade")
            << QByteArray("GET") << u"EIO=4&transport=websocket"_s << 400 << 0;
        QTest::newRow("JSONP") << QByteArray("GET") << u"EIO=4&transport=polling&j=0"_s << 400 << 3;
        QTest::newRow("POST handshake")
            << QByteArray("POST") << u"EIO=4&transport=polling"_s << 400 << 2;
        QTest::newRow("unknown sid")
            << QByteArray("GET") << u"EIO=4&transport=polling&sid=nope"_s << 400 << 1;
    }
    void refusals()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, query);
        QFETCH(int, status);
        QFETCH(int, engineCode);
        const Answer a = request(method, query, method == "POST" ? "40" : QByteArray());
        QCOMPARE(a.status, status);
        QCOMPARE(a.json.value(u"code"_s).toInt(), engineCode);
        QVERIFY(!a.json.value(u"message"_s).toString().isEmpty());
        QVERIFY(!a.code().isEmpty()); // the API's {"error": {"code"}} too
        QCOMPARE(m_server->engineIo().sessionCount(), 0);
    }

    void security_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<bool>("auth");
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<QByteArray>("origin");
        QTest::addColumn<int>("status");
        QTest::newRow("no token") << QByteArray("GET") << false << QByteArray() << QByteArray()
                                  << 401;
        QTest::newRow("foreign host")
            << QByteArray("GET") << true << QByteArray("evil.example") << QByteArray() << 403;
        QTest::newRow("foreign origin on POST") << QByteArray("POST") << true << QByteArray()
                                                << QByteArray("http://evil.example") << 403;
        QTest::newRow("own origin on POST")
            << QByteArray("POST") << true << QByteArray() << QByteArray("own") << 200;
    }
    void security()
    {
        QFETCH(QByteArray, method);
        QFETCH(bool, auth);
        QFETCH(QByteArray, host);
        QFETCH(QByteArray, origin);
        QFETCH(int, status);
        const QString sid = handshake().value(u"sid"_s).toString();
        QVERIFY(!sid.isEmpty());
        QList<std::pair<QByteArray, QByteArray>> headers;
        if (!host.isEmpty())
            headers.append({ "Host", host });
        if (origin == "own")
            origin = "http://" + hostHeader();
        if (!origin.isEmpty())
            headers.append({ "Origin", origin });
        const Answer a = request(method, pollQuery(sid), method == "POST" ? "40" : QByteArray(),
                                 headers, auth);
        QCOMPARE(a.status, status);
    }

    void sidNeedsTheSession()
    {
        // The handshake by token also sets the session cookie (for clients that send the
        // token only once, like python-socketio's polling).
        const Answer open = request("GET", u"EIO=4&transport=polling"_s);
        QCOMPARE(open.status, 200);
        const QByteArray cookie = open.header("Set-Cookie").split(';').first();
        QVERIFY(cookie.startsWith("headway_session_"));
        QVERIFY(open.header("Set-Cookie").contains("HttpOnly"));
        const QString sid
            = QJsonDocument::fromJson(open.body.mid(1)).object().value(u"sid"_s).toString();
        // The sid alone is nothing: without the token or cookie, or with a wrong one, 401.
        QCOMPARE(request("POST", pollQuery(sid), "40", {}, false).status, 401);
        QCOMPARE(
            request("POST", pollQuery(sid), "40", { { "Authorization", "Bearer wrong" } }, false)
                .status,
            401);
        QCOMPARE(m_server->engineIo().sessionCount(), 1);
        // The cookie is the same access session as the token: the sid goes on with it.
        const Answer withCookie
            = request("POST", pollQuery(sid), "40", { { "Cookie", cookie } }, false);
        QCOMPARE(withCookie.status, 200);
        QCOMPARE(withCookie.body, QByteArray("ok"));
    }

    void upgradeRefused_data()
    {
        QTest::addColumn<QByteArray>("origin");
        QTest::addColumn<bool>("withToken");
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<QByteArray>("expect");
        QTest::newRow("foreign origin")
            << QByteArray("http://evil.example") << true << QByteArray("EIO=4&transport=websocket")
            << QByteArray("HTTP/1.1 403");
        QTest::newRow("no token") << QByteArray() << false
                                  << QByteArray("EIO=4&transport=websocket")
                                  << QByteArray("HTTP/1.1 401");
        QTest::newRow("EIO=3") << QByteArray() << true << QByteArray("EIO=3&transport=websocket")
                               << QByteArray("HTTP/1.1 400");
        QTest::newRow("unknown sid")
            << QByteArray() << true << QByteArray("EIO=4&transport=websocket&sid=abc")
            << QByteArray("HTTP/1.1 400");
    }
    void upgradeRefused()
    {
        QFETCH(QByteArray, origin);
        QFETCH(bool, withToken);
        QFETCH(QByteArray, query);
        QFETCH(QByteArray, expect);
        const QByteArray response
            = raw("GET /socket.io/?" + query + " HTTP/1.1\r\nHost: " + hostHeader()
                  + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  + (origin.isEmpty() ? QByteArray() : "Origin: " + origin + "\r\n")
                  + (withToken ? "Authorization: " + bearer() + "\r\n" : QByteArray()) + "\r\n");
        QVERIFY2(response.startsWith(expect), response.constData());
        QCOMPARE(m_server->engineIo().sessionCount(), 0);
    }

    void oversizedPostRefusedBeforeBuffering()
    {
        const QString sid = handshake().value(u"sid"_s).toString();
        const QByteArray response = raw(
            "POST /socket.io/?" + pollQuery(sid).toLatin1() + " HTTP/1.1\r\nHost: " + hostHeader()
            + "\r\nAuthorization: " + bearer() + "\r\nContent-Type: text/plain\r\nContent-Length: "
            + QByteArray::number(EngineIoServer::MaxPayload + 1) + "\r\n\r\n42");
        QVERIFY2(response.startsWith("HTTP/1.1 413"), response.left(200).constData());
    }

    void malformedPackets_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("message"); // in the CONNECT_ERROR, when one is sent
        QTest::newRow("unknown engine packet") << QByteArray("9") << 400 << QByteArray();
        QTest::newRow("empty engine packet") << QByteArray("40\x1e") << 400 << QByteArray();
        QTest::newRow("engine binary") << QByteArray("bAQID") << 400 << QByteArray();
        QTest::newRow("bad base64") << QByteArray("b!!") << 400 << QByteArray();
        QTest::newRow("socket.io bad json")
            << QByteArray("42[\"start_task\"") << 200 << QByteArray("Malformed");
        QTest::newRow("socket.io event without name")
            << QByteArray("42[]") << 200 << QByteArray("Malformed");
        QTest::newRow("socket.io binary attachment")
            << QByteArray("451-[\"up\",{\"_placeholder\":true,\"num\":0}]\x1e"
                          "bAQID")
            << 200 << QByteArray("Binary attachments");
        QTest::newRow("event before connect")
            << QByteArray("42[\"x\"]") << 200 << QByteArray("CONNECT");
    }
    void malformedPackets()
    {
        QFETCH(QByteArray, payload);
        QFETCH(int, status);
        QFETCH(QByteArray, message);
        const QString sid = handshake().value(u"sid"_s).toString();
        if (!payload.startsWith("42[\"x\"]"))
            QCOMPARE(request("POST", pollQuery(sid), "40").status, 200);
        const Answer a = request("POST", pollQuery(sid), payload);
        QCOMPARE(a.status, status);
        if (status == 400) {
            QCOMPARE(a.json.value(u"code"_s).toInt(), 3);
        } else {
            // The client hears why (CONNECT_ERROR), then the session closes.
            const QList<QByteArray> packets
                = pollUntil(sid, [](const QList<QByteArray> &p) { return p.contains("1"); });
            QByteArray refusal;
            for (const QByteArray &p : packets)
                if (p.startsWith("44{"))
                    refusal = p;
            QVERIFY2(refusal.contains(message), refusal.constData());
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_server->engineIo().sessionCount(), 0, 5000);
        QCOMPARE(m_engine->taskCount(), 0);
    }

    void overlappingPollsClose()
    {
        const QString sid = connectedSession();
        QVERIFY(!sid.isEmpty());
        // Two polls at once: whichever comes second breaks the protocol (400), the held one
        // is answered with the close packet.
        QNetworkRequest req(QUrl(base() + u"/socket.io/?"_s + pollQuery(sid)));
        req.setRawHeader("Authorization", bearer());
        QNetworkReply *first = m_nam->get(req);
        QNetworkReply *second = m_nam->get(req);
        const Answer a = ServerClient::finish(first, 5000);
        const Answer b = ServerClient::finish(second, 5000);
        QCOMPARE(QSet<int>({ a.status, b.status }), QSet<int>({ 200, 400 }));
        QVERIFY((a.status == 200 ? a : b).body.endsWith("1"));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->engineIo().sessionCount(), 0, 5000);
    }
};

QTEST_MAIN(tst_EngineIoServer)
#include "tst_engineioserver.moc"
