#include "app/server/guardedtcpserver.h"

#include <unistd.h>

GuardedTcpServer::GuardedTcpServer(QObject *parent) : GuardedTcpServer(HttpGuardOptions(), parent)
{
}

GuardedTcpServer::GuardedTcpServer(HttpGuardOptions options, QObject *parent)
    : QTcpServer(parent), m_options(std::make_shared<const HttpGuardOptions>(std::move(options)))
{
}

void GuardedTcpServer::setOptions(HttpGuardOptions options)
{
    m_options = std::make_shared<const HttpGuardOptions>(std::move(options));
}

bool GuardedTcpServer::setLongLived(QTcpSocket *socket, bool longLived)
{
    auto *guarded = qobject_cast<GuardedSocket *>(socket);
    if (!guarded)
        return false;
    guarded->setLongLived(longLived);
    return true;
}

void GuardedTcpServer::incomingConnection(qintptr socketDescriptor)
{
    auto *socket = new GuardedSocket(m_options, this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        ::close(int(socketDescriptor)); // not adopted: still ours to close
        return;
    }
    const QHostAddress peer = socket->peerAddress();
    connect(socket, &GuardedSocket::rejected, this,
            [this, peer](int status, const QByteArray &code) {
                Q_EMIT requestRejected(status, code, peer);
            });
    // QHttpServer connects its readyRead slot when it takes the socket: after ours.
    addPendingConnection(socket);
}
