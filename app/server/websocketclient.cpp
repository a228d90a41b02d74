#include "websocketclient.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QWebSocket>

using namespace Qt::StringLiterals;

WebSocketClient::WebSocketClient(std::unique_ptr<QWebSocket> socket, SyncHub &hub,
                                 CommandHandler handler, QObject *parent)
    : PushClient(hub, 0, parent), m_socket(std::move(socket)), m_handler(std::move(handler))
{
    // Bounded input: a client cannot make the server buffer large frames or messages.
    m_socket->setMaxAllowedIncomingFrameSize(MaxFrameSize);
    m_socket->setMaxAllowedIncomingMessageSize(MaxMessageSize);
    connect(m_socket.get(), &QWebSocket::textMessageReceived, this,
            &WebSocketClient::onTextMessage);
    connect(m_socket.get(), &QWebSocket::binaryMessageReceived, this, [this] {
        m_socket->close(QWebSocketProtocol::CloseCodeDatatypeNotSupported, u"text messages only"_s);
    });
    connect(m_socket.get(), &QWebSocket::bytesWritten, this, [this] { pump(); });
    connect(m_socket.get(), &QWebSocket::disconnected, this, [this] { Q_EMIT closed(); });
    start();
}

WebSocketClient::~WebSocketClient()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

qint64 WebSocketClient::pendingBytes() const
{
    return m_socket->bytesToWrite();
}

bool WebSocketClient::hasRoom()
{
    if (!m_dropping && m_socket->bytesToWrite() > MaxPendingBytes) {
        m_dropping = true;
        // Queued: the socket may be in the middle of delivering frames to us.
        QMetaObject::invokeMethod(m_socket.get(), &QWebSocket::abort, Qt::QueuedConnection);
    }
    return !m_dropping;
}

void WebSocketClient::sendMessage(const QByteArray &json, qint64)
{
    if (hasRoom())
        m_socket->sendTextMessage(QString::fromUtf8(json));
}

void WebSocketClient::sendPing()
{
    if (!hasRoom())
        return;
    m_socket->ping();
    m_socket->sendTextMessage(u"{\"type\":\"ping\"}"_s);
}

QJsonObject WebSocketClient::replyTo(const QByteArray &message, const CommandHandler &handler)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(message, &parseError);
    QJsonObject reply;
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        reply = QJsonObject {
            { u"reply_to"_s, QJsonValue() },
            { u"ok"_s, false },
            { u"error"_s,
              QJsonObject { { u"code"_s, u"bad_json"_s },
                            { u"message"_s, tr("A command must be a JSON object.") } } },
        };
    } else {
        reply = handler(doc.object());
    }
    reply.insert(u"type"_s, u"reply"_s);
    return reply;
}

void WebSocketClient::onTextMessage(const QString &message)
{
    if (!hasRoom())
        return;
    const QJsonObject reply = replyTo(message.toUtf8(), m_handler);
    m_socket->sendTextMessage(
        QString::fromUtf8(QJsonDocument(reply).toJson(QJsonDocument::Compact)));
}
