#include "sseclient.h"

#include <QTcpSocket>

SseClient::SseClient(QTcpSocket *socket, const QList<std::pair<QByteArray, QByteArray>> &headers,
                     SyncHub &hub, qint64 startRid, QObject *parent)
    : PushClient(hub, startRid, parent), m_socket(socket)
{
    // From now on the socket is ours: QHttpServer must not parse anything more from it.
    QObject::disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
    connect(socket, &QTcpSocket::readyRead, this, [this] {
        if (m_socket)
            m_socket->skip(m_socket->bytesAvailable()); // a stream client has nothing to say
    });
    connect(socket, &QTcpSocket::bytesWritten, this, [this] { pump(); });
    connect(socket, &QTcpSocket::disconnected, this, [this] { Q_EMIT closed(); });
    connect(socket, &QObject::destroyed, this, [this] { Q_EMIT closed(); });

    QByteArray head = "HTTP/1.1 200 OK\r\n"
                      "Content-Type: text/event-stream; charset=utf-8\r\n"
                      "Connection: close\r\n";
    for (const auto &[name, value] : headers)
        head += name + ": " + value + "\r\n";
    head += "\r\nretry: 2000\n\n";
    socket->write(head);
    start();
}

SseClient::~SseClient()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->disconnectFromHost();
    }
}

qint64 SseClient::pendingBytes() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

void SseClient::sendMessage(const QByteArray &json, qint64 rid)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_socket->write("id: " + QByteArray::number(rid) + "\ndata: " + json + "\n\n");
}

void SseClient::sendPing()
{
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->write(": ping\ndata: {\"type\":\"ping\"}\n\n");
}
