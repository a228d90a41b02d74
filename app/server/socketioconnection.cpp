#include "socketioconnection.h"

#include "engineiosession.h"
#include "socketiopacket.h"

using namespace Qt::StringLiterals;

namespace {
constexpr int ConnectTimeoutMs = 45000; // socket.io's connectTimeout
}

SocketIoConnection::SocketIoConnection(EngineIoSession *session)
    : QObject(session), m_session(session)
{
    connect(session, &EngineIoSession::messageReceived, this, &SocketIoConnection::onMessage);
    connect(session, &EngineIoSession::drained, this, &SocketIoConnection::drained);
    connect(session, &EngineIoSession::closed, this,
            [this](const QString &reason) { setDisconnected(reason); });
    // A client that never joins the namespace holds a session for nothing.
    m_connectTimer.setSingleShot(true);
    m_connectTimer.setInterval(ConnectTimeoutMs);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        if (m_session)
            m_session->close(u"connect timeout"_s);
    });
    m_connectTimer.start();
}

qint64 SocketIoConnection::pendingBytes() const
{
    return m_session ? m_session->pendingBytes() : 0;
}

void SocketIoConnection::send(const SocketIoPacket &packet)
{
    if (m_session)
        m_session->sendMessage(packet.encode());
}

void SocketIoConnection::emitEvent(const QString &name, const QJsonValue &payload)
{
    if (!m_connected)
        return;
    SocketIoPacket packet;
    packet.type = SocketIoPacket::Type::Event;
    packet.data = QJsonArray { name, payload };
    send(packet);
}

void SocketIoConnection::acknowledge(qint64 id, const QJsonArray &args)
{
    if (!m_connected || id == NoAck)
        return;
    SocketIoPacket packet;
    packet.type = SocketIoPacket::Type::Ack;
    packet.id = id;
    packet.data = args;
    send(packet);
}

void SocketIoConnection::refuse(const QString &message, bool closeSession)
{
    SocketIoPacket packet;
    packet.type = SocketIoPacket::Type::ConnectError;
    packet.data = QJsonObject { { u"message"_s, message } };
    send(packet);
    if (closeSession && m_session)
        m_session->close(u"parse error"_s);
}

void SocketIoConnection::setDisconnected(const QString &reason)
{
    m_connectTimer.stop();
    if (!m_connected)
        return;
    m_connected = false;
    Q_EMIT disconnected(reason);
}

void SocketIoConnection::onMessage(const QByteArray &text)
{
    QString error;
    const auto packet = SocketIoPacket::decode(text, &error);
    if (!packet) {
        refuse(tr("Malformed Socket.IO packet: %1.").arg(error), true);
        return;
    }
    if (packet->type == SocketIoPacket::Type::BinaryEvent
        || packet->type == SocketIoPacket::Type::BinaryAck) {
        refuse(tr("Binary attachments are not supported by this server: send JSON data only."),
               true);
        return;
    }
    if (packet->nsp != u"/") {
        if (packet->type == SocketIoPacket::Type::Connect) {
            SocketIoPacket answer;
            answer.type = SocketIoPacket::Type::ConnectError;
            answer.nsp = packet->nsp;
            answer.data = QJsonObject { { u"message"_s, u"Invalid namespace"_s } };
            send(answer);
        }
        return;
    }
    switch (packet->type) {
    case SocketIoPacket::Type::Connect: {
        m_connectTimer.stop();
        if (m_sid.isEmpty())
            m_sid = EngineIoSession::randomId();
        SocketIoPacket answer;
        answer.type = SocketIoPacket::Type::Connect;
        answer.data = QJsonObject { { u"sid"_s, QString::fromLatin1(m_sid) } };
        const bool wasConnected = m_connected;
        m_connected = true;
        send(answer);
        if (!wasConnected)
            Q_EMIT connected(packet->data.toObject());
        break;
    }
    case SocketIoPacket::Type::Disconnect:
        setDisconnected(u"client namespace disconnect"_s);
        break;
    case SocketIoPacket::Type::Event: {
        if (!m_connected) {
            refuse(tr("Send CONNECT before any event."), true);
            return;
        }
        QJsonArray args = packet->data.toArray();
        args.removeFirst();
        Q_EMIT eventReceived(packet->eventName(), args, packet->id.value_or(NoAck));
        break;
    }
    case SocketIoPacket::Type::Ack: // the server asks no acknowledgements
        break;
    default:
        refuse(tr("A client does not send this packet type."), true);
        break;
    }
}
