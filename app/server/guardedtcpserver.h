#pragma once

#include "app/server/guardedsocket.h"

#include <QHash>
#include <QHostAddress>
#include <QTcpServer>

#include <memory>

// The listening socket to give QAbstractHttpServer::bind(): every connection it accepts is a
// GuardedSocket, so request limits, strict framing, 100-continue and timeouts are enforced
// before Qt 6.4's QHttpServer buffers anything. Call listen() first, then bind().
class GuardedTcpServer final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GuardedTcpServer)

public:
    explicit GuardedTcpServer(QObject *parent = nullptr);
    explicit GuardedTcpServer(HttpGuardOptions options, QObject *parent = nullptr);

    // Applies to connections accepted from now on.
    void setOptions(HttpGuardOptions options);
    const HttpGuardOptions &options() const { return *m_options; }

    // Raises this process's soft limit of open descriptors to its hard limit (Qt keeps the
    // usual 1,024) and returns the soft limit now in force.
    static qint64 raiseDescriptorLimit();

    int connectionCount() const { return m_connections; }

    // Marks the connection of a long-lived response (e.g. Server-Sent Events) so the idle
    // timeout does not close it; false when socket is not one of ours.
    static bool setLongLived(QTcpSocket *socket, bool longLived = true);
    // A reply on this connection will be written later: the guard stops answering requests
    // itself there (GuardedSocket::holdAnswers); false when socket is not one of ours.
    static bool holdAnswers(QTcpSocket *socket);

Q_SIGNALS:
    // The guard refused a request before QHttpServer saw it (for logs and tests).
    void requestRejected(int status, const QByteArray &code, const QHostAddress &peer);

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    void onAcceptError(QAbstractSocket::SocketError error);
    int connectionCap() const;

    std::shared_ptr<const HttpGuardOptions> m_options;
    QHash<QHostAddress, int> m_perAddress;
    int m_connections = 0;
    bool m_acceptFailing = false;
};
