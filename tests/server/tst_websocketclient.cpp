// Tests of WebSocketClient over a real loopback WebSocket: the snapshot first, then the hub's
// changes; commands answered through the handler ("type": "reply"), bad JSON answered
// bad_json, binary frames refused, pings; closed() when the peer goes.
#include "app/server/synchub.h"
#include "app/server/websocketclient.h"
#include "progressevents.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace Qt::StringLiterals;

namespace {
QJsonObject parse(const QString &message)
{
    return QJsonDocument::fromJson(message.toUtf8()).object();
}
} // namespace

class tst_WebSocketClient : public QObject
{
    Q_OBJECT

private:
    SyncHub m_hub;
    std::unique_ptr<QWebSocketServer> m_server;
    std::unique_ptr<QWebSocket> m_peer; // the browser's end
    std::unique_ptr<WebSocketClient> m_client; // the server's end
    QStringList m_received;
    QList<QJsonObject> m_commands;

    QJsonObject next(qsizetype index)
    {
        if (!QTest::qWaitFor([&] { return m_received.size() > index; }))
            return {};
        return parse(m_received.at(index));
    }

private Q_SLOTS:
    void init()
    {
        m_received.clear();
        m_commands.clear();
        m_hub.tasksChanged(progressEvents(u"a"_s, 10));
        m_server = std::make_unique<QWebSocketServer>(u"test"_s, QWebSocketServer::NonSecureMode);
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
        QSignalSpy pending(m_server.get(), &QWebSocketServer::newConnection);
        m_peer = std::make_unique<QWebSocket>();
        connect(m_peer.get(), &QWebSocket::textMessageReceived, this,
                [this](const QString &m) { m_received.append(m); });
        m_peer->open(QUrl(u"ws://127.0.0.1:%1/api/v1/ws"_s.arg(m_server->serverPort())));
        QVERIFY(pending.wait());
        m_client = std::make_unique<WebSocketClient>(
            std::unique_ptr<QWebSocket>(m_server->nextPendingConnection()), m_hub,
            [this](const QJsonObject &command) {
                m_commands.append(command);
                return QJsonObject { { u"reply_to"_s, command.value(u"id"_s) }, { u"ok"_s, true } };
            });
        QTRY_COMPARE(m_peer->state(), QAbstractSocket::ConnectedState);
    }

    void cleanup()
    {
        m_client.reset();
        m_peer.reset();
        m_server.reset();
    }

    void snapshotThenChanges()
    {
        const QJsonObject snapshot = next(0);
        QCOMPARE(snapshot.value(u"type"_s).toString(), u"snapshot"_s);
        QCOMPARE(snapshot.value(u"full_update"_s).toBool(), true);
        QVERIFY(snapshot.value(u"tasks"_s).toArray().size() >= 1);
        m_hub.tasksChanged(progressEvents(u"b"_s, 20));
        const QJsonObject changes = next(1);
        QCOMPARE(changes.value(u"type"_s).toString(), u"changes"_s);
        QCOMPARE(changes.value(u"rid"_s).toInteger(), m_hub.rid());
        const QJsonArray tasks = changes.value(u"tasks"_s).toArray();
        QCOMPARE(tasks.size(), 1);
        QCOMPARE(tasks.at(0).toObject().value(u"id"_s).toString(), u"b"_s);
    }

    void commandsAreAnswered()
    {
        QVERIFY(!next(0).isEmpty()); // the snapshot
        m_peer->sendTextMessage(u"{\"id\": 7, \"command\": \"cancel\", \"task_id\": \"a\"}"_s);
        const QJsonObject reply = next(1);
        QCOMPARE(reply.value(u"type"_s).toString(), u"reply"_s);
        QCOMPARE(reply.value(u"reply_to"_s).toInt(), 7);
        QCOMPARE(reply.value(u"ok"_s).toBool(), true);
        QCOMPARE(m_commands.size(), 1);
        QCOMPARE(m_commands.at(0).value(u"task_id"_s).toString(), u"a"_s);
    }

    void badJsonIsAnswered_data()
    {
        QTest::addColumn<QString>("message");
        QTest::newRow("not json") << u"cancel a"_s;
        QTest::newRow("array") << u"[1, 2]"_s;
        QTest::newRow("truncated") << u"{\"id\": 1"_s;
    }

    void badJsonIsAnswered()
    {
        QFETCH(QString, message);
        QVERIFY(!next(0).isEmpty());
        m_peer->sendTextMessage(message);
        const QJsonObject reply = next(1);
        QCOMPARE(reply.value(u"type"_s).toString(), u"reply"_s);
        QCOMPARE(reply.value(u"ok"_s).toBool(), false);
        QCOMPARE(reply.value(u"error"_s).toObject().value(u"code"_s).toString(), u"bad_json"_s);
        QVERIFY(m_commands.isEmpty()); // the handler never saw it
        QCOMPARE(m_peer->state(), QAbstractSocket::ConnectedState);
    }

    void binaryIsRefused()
    {
        QSignalSpy closed(m_client.get(), &WebSocketClient::closed);
        m_peer->sendBinaryMessage("\x01\x02");
        QVERIFY(closed.wait());
        QTRY_COMPARE(m_peer->state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(m_peer->closeCode(), QWebSocketProtocol::CloseCodeDatatypeNotSupported);
    }

    void tooLargeMessageCloses()
    {
        QSignalSpy closed(m_client.get(), &WebSocketClient::closed);
        m_peer->sendTextMessage(QString(int(WebSocketClient::MaxMessageSize) + 1, u'x'));
        QVERIFY(closed.wait());
        QVERIFY(m_commands.isEmpty());
    }

    void pings()
    {
        QVERIFY(!next(0).isEmpty());
        m_client->setPingInterval(20);
        // The ping frame, answered by the peer's Qt with a pong the server's end receives.
        QSignalSpy pong(m_client->socket(), &QWebSocket::pong);
        const QJsonObject ping = next(1);
        QCOMPARE(ping.value(u"type"_s).toString(), u"ping"_s);
        QVERIFY(pong.count() > 0 || pong.wait());
    }

    void peerGoneEmitsClosed()
    {
        QSignalSpy closed(m_client.get(), &WebSocketClient::closed);
        m_peer->close();
        QVERIFY(closed.wait());
    }
};

QTEST_GUILESS_MAIN(tst_WebSocketClient)
#include "tst_websocketclient.moc"
