#pragma once

#include "engineiopacket.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <utility>

class QTcpSocket;
class QWebSocket;

// One Engine.IO v4 client: its transport (HTTP long-polling, then maybe WebSocket after the
// 2probe/3probe/5 upgrade, or WebSocket from the start), the queue of packets waiting for the
// next poll, and the heartbeat (a ping every pingInterval; no pong within pingTimeout closes).
// It speaks packets only; the Socket.IO layer above sends and receives its messages.
class EngineIoSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EngineIoSession)

public:
    struct Options
    {
        int pingIntervalMs = 25000;
        int pingTimeoutMs = 20000;
        qint64 maxPayload = 100000; // bytes of one POST body or WebSocket message
        // Packets waiting for a slow or absent client; beyond this the session is closed
        // (the Headway events themselves never queue this much: they are merged).
        qint64 maxQueuedBytes = 1024 * 1024;
    };
    enum class Transport { Polling, WebSocket };
    using Headers = QList<std::pair<QByteArray, QByteArray>>;

    EngineIoSession(QByteArray sid, QByteArray principal, Options options,
                    QObject *parent = nullptr);
    ~EngineIoSession() override;

    // 128 random bits from the system generator, base64url: unguessable session ids.
    static QByteArray randomId();

    const QByteArray &sid() const { return m_sid; }
    const QByteArray &principal() const { return m_principal; }
    Transport transport() const { return m_transport; }
    bool isClosed() const { return m_closed; }
    bool isProbing() const { return m_probe != nullptr; }
    // "0{"sid","upgrades","pingInterval","pingTimeout","maxPayload"}"
    QByteArray openPacket() const;

    // A polling GET: answered at once when packets wait, else held until one does. False when
    // a GET is already held (the client broke the protocol): the caller answers 400.
    bool poll(QTcpSocket *socket, const Headers &headers, bool closeAfter);
    // A polling POST body; false with a reason when it is not a valid payload.
    bool receivePayload(QByteArrayView body, QString *error);

    // A WebSocket opened without a sid: the session runs on it from the start.
    void startWebSocket(std::unique_ptr<QWebSocket> socket);
    // A WebSocket opened with this sid: the upgrade probe (2probe, 3probe, then 5).
    void probeWebSocket(std::unique_ptr<QWebSocket> socket);

    void sendMessage(const QByteArray &text);
    // What the client has not taken yet (queued packets and unsent socket bytes).
    qint64 pendingBytes() const;
    // Sends a close packet where it still can and stops; closed() is emitted once.
    void close(const QString &reason);

Q_SIGNALS:
    void messageReceived(const QByteArray &text);
    void drained(); // pendingBytes() went down: more may be sent
    void closed(const QString &reason);
    void finished(); // nothing more will be sent or received: the owner may delete it

private:
    void send(const EngineIoPacket &packet);
    void receive(const EngineIoPacket &packet);
    void scheduleFlush();
    void flush();
    void answerPoll(const QByteArray &body);
    void onProbeMessage(const QString &text);
    void completeUpgrade();
    void useWebSocket(); // m_webSocket becomes the transport
    void setupWebSocket(QWebSocket *socket);
    void finish();

    QByteArray m_sid;
    QByteArray m_principal;
    Options m_options;
    Transport m_transport = Transport::Polling;
    QList<QByteArray> m_queue; // encoded packets for the next poll
    qint64 m_queuedBytes = 0;
    QPointer<QTcpSocket> m_poll; // the held GET
    Headers m_pollHeaders;
    bool m_pollCloseAfter = false;
    std::unique_ptr<QWebSocket> m_webSocket;
    std::unique_ptr<QWebSocket> m_probe;
    QTimer m_pingTimer;
    QTimer m_pongTimer;
    QTimer m_lingerTimer; // closing on polling: wait for the poll that takes the close packet
    bool m_upgrading = false; // 3probe sent: polls are released at once
    bool m_flushScheduled = false;
    bool m_closed = false;
    bool m_finished = false;
};
