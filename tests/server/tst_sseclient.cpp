// Tests of SseClient over a real loopback connection: the response head (status, event-stream
// type, the headers it is given, retry), each message as "id: RID" + "data: JSON", only what
// changed after the Last-Event-ID a reconnect gives, pings as comments, closed() when the
// peer goes.
#include "app/server/sseclient.h"
#include "app/server/synchub.h"
#include "progressevents.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
struct Event
{
    qint64 id = -1;
    QJsonObject data;
};

// The complete events ("...\n\n") in `stream` after its head; comments and pings skipped.
QList<Event> events(const QByteArray &stream)
{
    QList<Event> out;
    const qsizetype body = stream.indexOf("\r\n\r\n");
    if (body < 0)
        return out;
    QByteArray rest = stream.mid(body + 4);
    // Complete blocks only: each ends with an empty line.
    for (qsizetype end = rest.indexOf("\n\n"); end >= 0; end = rest.indexOf("\n\n")) {
        Event e;
        for (const QByteArray &line : rest.left(end).split('\n')) {
            if (line.startsWith("id: "))
                e.id = line.mid(4).toLongLong();
            else if (line.startsWith("data: "))
                e.data = QJsonDocument::fromJson(line.mid(6)).object();
        }
        rest.remove(0, end + 2);
        if (!e.data.isEmpty() && e.data.value(QLatin1String("type")) != QLatin1String("ping"))
            out.append(e);
    }
    return out;
}
} // namespace

class tst_SseClient : public QObject
{
    Q_OBJECT

private:
    SyncHub m_hub;
    QTcpServer m_server;
    std::unique_ptr<QTcpSocket> m_peer; // the EventSource's end
    QByteArray m_stream;

    // Connects a peer and hands the server's end to a new SseClient starting at `rid`.
    std::unique_ptr<SseClient> connectClient(qint64 rid)
    {
        m_stream.clear();
        m_peer = std::make_unique<QTcpSocket>();
        connect(m_peer.get(), &QTcpSocket::readyRead, this,
                [this] { m_stream += m_peer->readAll(); });
        m_peer->connectToHost(QHostAddress::LocalHost, m_server.serverPort());
        if (!m_server.waitForNewConnection(5000))
            return nullptr;
        QTcpSocket *socket = m_server.nextPendingConnection();
        return std::make_unique<SseClient>(
            socket, QList<std::pair<QByteArray, QByteArray>> { { "X-Test", "yes" } }, m_hub, rid);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_server.listen(QHostAddress::LocalHost, 0));
        m_hub.tasksChanged(progressEvents(u"a"_s, 10));
    }

    void headThenSnapshotThenChanges()
    {
        const std::unique_ptr<SseClient> client = connectClient(0);
        QVERIFY(client);
        QTRY_COMPARE(events(m_stream).size(), 1);
        QVERIFY(m_stream.startsWith("HTTP/1.1 200 OK\r\n"));
        const QByteArray head = m_stream.left(m_stream.indexOf("\r\n\r\n"));
        QVERIFY(head.contains("\r\nContent-Type: text/event-stream; charset=utf-8"));
        QVERIFY(head.contains("\r\nX-Test: yes"));
        QVERIFY(m_stream.contains("\r\n\r\nretry: 2000\n\n"));
        const Event snapshot = events(m_stream).at(0);
        QCOMPARE(snapshot.id, m_hub.rid());
        QCOMPARE(snapshot.data.value(u"type"_s).toString(), u"snapshot"_s);

        m_hub.tasksChanged(progressEvents(u"b"_s, 20));
        QTRY_COMPARE(events(m_stream).size(), 2);
        const Event changes = events(m_stream).at(1);
        QCOMPARE(changes.id, m_hub.rid());
        QCOMPARE(changes.data.value(u"type"_s).toString(), u"changes"_s);
        QCOMPARE(changes.data.value(u"tasks"_s).toArray().size(), 1);
    }

    // A reconnect with Last-Event-ID gets only what changed since, never the snapshot again.
    void resumesAfterLastEventId()
    {
        const qint64 seen = m_hub.rid();
        m_hub.tasksChanged(progressEvents(u"c"_s, 30));
        const std::unique_ptr<SseClient> client = connectClient(seen);
        QVERIFY(client);
        QTRY_COMPARE(events(m_stream).size(), 1);
        const Event first = events(m_stream).at(0);
        QCOMPARE(first.data.value(u"type"_s).toString(), u"changes"_s);
        const QJsonArray tasks = first.data.value(u"tasks"_s).toArray();
        QCOMPARE(tasks.size(), 1);
        QCOMPARE(tasks.at(0).toObject().value(u"id"_s).toString(), u"c"_s);
    }

    void pings()
    {
        const std::unique_ptr<SseClient> client = connectClient(0);
        QVERIFY(client);
        client->setPingInterval(20);
        QTRY_VERIFY(m_stream.contains(": ping\ndata: {\"type\":\"ping\"}\n\n"));
    }

    void peerGoneEmitsClosed()
    {
        const std::unique_ptr<SseClient> client = connectClient(0);
        QVERIFY(client);
        QSignalSpy closed(client.get(), &SseClient::closed);
        QTRY_COMPARE(events(m_stream).size(), 1);
        m_peer->disconnectFromHost();
        QVERIFY(closed.wait());
    }
};

QTEST_GUILESS_MAIN(tst_SseClient)
#include "tst_sseclient.moc"
