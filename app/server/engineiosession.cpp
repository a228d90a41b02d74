#include "engineiosession.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QWebSocket>

using namespace Qt::StringLiterals;

EngineIoSession::EngineIoSession(QByteArray sid, QByteArray principal, Options options,
                                 QObject *parent)
    : QObject(parent), m_sid(std::move(sid)), m_principal(std::move(principal)), m_options(options)
{
    m_pingTimer.setSingleShot(true);
    m_pingTimer.setInterval(m_options.pingIntervalMs);
    m_pongTimer.setSingleShot(true);
    m_pongTimer.setInterval(m_options.pingTimeoutMs);
    m_lingerTimer.setSingleShot(true);
    m_lingerTimer.setInterval(m_options.pingTimeoutMs);
    connect(&m_pingTimer, &QTimer::timeout, this, [this] {
        send({ EngineIoPacket::Type::Ping, {}, false });
        m_pongTimer.start();
    });
    connect(&m_pongTimer, &QTimer::timeout, this, [this] { close(u"ping timeout"_s); });
    connect(&m_lingerTimer, &QTimer::timeout, this, [this] { finish(); });
    m_pingTimer.start();
}

EngineIoSession::~EngineIoSession()
{
    for (auto *socket : { m_webSocket.get(), m_probe.get() }) {
        if (socket) {
            socket->disconnect(this);
            socket->abort();
        }
    }
    if (m_poll)
        m_poll->disconnect(this);
}

QByteArray EngineIoSession::randomId()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    return QByteArray(reinterpret_cast<const char *>(words), sizeof(words))
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray EngineIoSession::openPacket() const
{
    const QJsonObject open {
        { u"sid"_s, QString::fromLatin1(m_sid) },
        { u"upgrades"_s,
          m_transport == Transport::Polling ? QJsonArray { u"websocket"_s } : QJsonArray() },
        { u"pingInterval"_s, m_options.pingIntervalMs },
        { u"pingTimeout"_s, m_options.pingTimeoutMs },
        { u"maxPayload"_s, m_options.maxPayload },
    };
    return EngineIoPacket { EngineIoPacket::Type::Open,
                            QJsonDocument(open).toJson(QJsonDocument::Compact), false }
        .encode();
}

bool EngineIoSession::poll(QTcpSocket *socket, const Headers &headers, bool closeAfter)
{
    if (m_poll)
        return false;
    m_poll = socket;
    m_pollHeaders = headers;
    m_pollCloseAfter = closeAfter;
    // A client that goes away in the middle of a poll is gone (as engine.io decides).
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
        if (m_poll == socket) {
            m_poll = nullptr;
            close(u"poll connection closed"_s);
            finish();
        }
    });
    if (m_closed || !m_queue.isEmpty() || m_upgrading)
        flush();
    return true;
}

bool EngineIoSession::receivePayload(QByteArrayView body, QString *error)
{
    const auto packets = EngineIoPacket::decodePayload(body, error);
    if (!packets)
        return false;
    for (const EngineIoPacket &packet : *packets) {
        if (m_closed)
            break;
        if (packet.binary) {
            *error = tr("Binary payloads are not supported: send JSON data only.");
            return false;
        }
        receive(packet);
    }
    return true;
}

void EngineIoSession::startWebSocket(std::unique_ptr<QWebSocket> socket)
{
    m_webSocket = std::move(socket);
    useWebSocket();
    m_webSocket->sendTextMessage(QString::fromUtf8(openPacket()));
}

void EngineIoSession::probeWebSocket(std::unique_ptr<QWebSocket> socket)
{
    if (m_probe || m_transport != Transport::Polling || m_closed) {
        socket->close(QWebSocketProtocol::CloseCodePolicyViolated, u"cannot upgrade"_s);
        socket.release()->deleteLater();
        return;
    }
    m_probe = std::move(socket);
    setupWebSocket(m_probe.get());
    connect(m_probe.get(), &QWebSocket::textMessageReceived, this,
            &EngineIoSession::onProbeMessage);
    connect(m_probe.get(), &QWebSocket::disconnected, this, [this] {
        // A failed probe leaves the session on polling.
        m_upgrading = false;
        if (m_probe)
            m_probe.release()->deleteLater();
    });
}

void EngineIoSession::useWebSocket()
{
    m_transport = Transport::WebSocket;
    setupWebSocket(m_webSocket.get());
    connect(m_webSocket.get(), &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        QString error;
        const auto packet = EngineIoPacket::decode(text.toUtf8(), &error);
        if (!packet)
            close(u"parse error: "_s + error);
        else
            receive(*packet);
    });
    connect(m_webSocket.get(), &QWebSocket::disconnected, this, [this] {
        close(u"transport close"_s);
        finish();
    });
}

void EngineIoSession::setupWebSocket(QWebSocket *socket)
{
    socket->setMaxAllowedIncomingMessageSize(quint64(m_options.maxPayload));
    socket->setMaxAllowedIncomingFrameSize(quint64(m_options.maxPayload));
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this, socket] {
        socket->close(QWebSocketProtocol::CloseCodeDatatypeNotSupported,
                      tr("Binary payloads are not supported: send JSON data only."));
        close(u"binary payload"_s);
    });
    connect(socket, &QWebSocket::bytesWritten, this, [this] { Q_EMIT drained(); });
}

void EngineIoSession::onProbeMessage(const QString &text)
{
    if (text == u"2probe") {
        m_probe->sendTextMessage(u"3probe"_s);
        m_upgrading = true;
        // The client pauses polling before it sends 5: release the held GET.
        flush();
    } else if (text == u"5") {
        completeUpgrade();
    } else {
        m_probe->close(QWebSocketProtocol::CloseCodeProtocolError, u"unexpected packet"_s);
    }
}

void EngineIoSession::completeUpgrade()
{
    m_probe->disconnect(this);
    m_webSocket = std::move(m_probe);
    m_upgrading = false;
    useWebSocket();
    if (m_poll)
        answerPoll(EngineIoPacket { EngineIoPacket::Type::Noop, {}, false }.encode());
    for (const QByteArray &packet : std::as_const(m_queue))
        m_webSocket->sendTextMessage(QString::fromUtf8(packet));
    m_queue.clear();
    m_queuedBytes = 0;
    Q_EMIT drained();
}

void EngineIoSession::receive(const EngineIoPacket &packet)
{
    switch (packet.type) {
    case EngineIoPacket::Type::Pong:
        m_pongTimer.stop();
        m_pingTimer.start();
        break;
    case EngineIoPacket::Type::Ping:
        send({ EngineIoPacket::Type::Pong, packet.data, false });
        break;
    case EngineIoPacket::Type::Message:
        if (packet.binary)
            close(u"binary payload"_s);
        else
            Q_EMIT messageReceived(packet.data);
        break;
    case EngineIoPacket::Type::Close:
        close(u"client close"_s);
        break;
    case EngineIoPacket::Type::Noop:
        break;
    case EngineIoPacket::Type::Open:
    case EngineIoPacket::Type::Upgrade:
        close(u"parse error: unexpected packet"_s);
        break;
    }
}

void EngineIoSession::sendMessage(const QByteArray &text)
{
    send({ EngineIoPacket::Type::Message, text, false });
}

void EngineIoSession::send(const EngineIoPacket &packet)
{
    if (m_closed)
        return;
    const QByteArray encoded = packet.encode();
    if (m_transport == Transport::WebSocket) {
        m_webSocket->sendTextMessage(QString::fromUtf8(encoded));
        return;
    }
    if (m_queuedBytes + encoded.size() > m_options.maxQueuedBytes) {
        // A client that does not poll while its commands pile up answers: drop it.
        m_queue.clear();
        m_queuedBytes = 0;
        close(u"queue overflow"_s);
        return;
    }
    m_queue.append(encoded);
    m_queuedBytes += encoded.size();
    scheduleFlush();
}

void EngineIoSession::scheduleFlush()
{
    // Packets sent in one turn of the event loop go out in one poll answer.
    if (m_flushScheduled || !m_poll)
        return;
    m_flushScheduled = true;
    QMetaObject::invokeMethod(this, &EngineIoSession::flush, Qt::QueuedConnection);
}

void EngineIoSession::flush()
{
    m_flushScheduled = false;
    if (!m_poll)
        return;
    QByteArray body;
    for (const QByteArray &packet : std::as_const(m_queue)) {
        if (!body.isEmpty())
            body += EngineIoPacket::Separator;
        body += packet;
    }
    m_queue.clear();
    m_queuedBytes = 0;
    if (body.isEmpty()) // closing, or an upgrade: release the poll with a no-op
        body = EngineIoPacket { EngineIoPacket::Type::Noop, {}, false }.encode();
    answerPoll(body);
    if (m_closed)
        finish();
    else
        Q_EMIT drained();
}

void EngineIoSession::answerPoll(const QByteArray &body)
{
    QTcpSocket *socket = m_poll;
    m_poll = nullptr;
    socket->disconnect(this);
    if (socket->state() != QAbstractSocket::ConnectedState)
        return;
    QByteArray response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                          "Content-Length: "
        + QByteArray::number(body.size()) + "\r\n";
    for (const auto &[name, value] : std::as_const(m_pollHeaders))
        response += name + ": " + value + "\r\n";
    response += "\r\n" + body;
    socket->write(response);
    if (m_pollCloseAfter)
        socket->disconnectFromHost();
}

qint64 EngineIoSession::pendingBytes() const
{
    qint64 bytes = m_queuedBytes;
    if (m_webSocket)
        bytes += m_webSocket->bytesToWrite();
    return bytes;
}

void EngineIoSession::close(const QString &reason)
{
    if (m_closed)
        return;
    m_pingTimer.stop();
    m_pongTimer.stop();
    const bool timedOut = reason == u"ping timeout";
    if (!timedOut) {
        const EngineIoPacket closePacket { EngineIoPacket::Type::Close, {}, false };
        if (m_transport == Transport::WebSocket) {
            m_webSocket->sendTextMessage(QString::fromUtf8(closePacket.encode()));
        } else {
            m_queue.append(closePacket.encode());
            m_queuedBytes += 1;
        }
    }
    m_closed = true;
    Q_EMIT closed(reason);
    if (m_transport == Transport::WebSocket) {
        m_webSocket->close(QWebSocketProtocol::CloseCodeNormal, reason);
        finish();
    } else if (m_poll) {
        scheduleFlush();
    } else if (timedOut) {
        finish();
    } else {
        m_lingerTimer.start(); // the client's next poll takes the close packet
    }
}

void EngineIoSession::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_lingerTimer.stop();
    if (m_probe)
        m_probe->abort();
    Q_EMIT finished();
}
