#include "app/server/guardedtcpserver.h"

#include <QTimer>

#include <algorithm>
#include <limits>
#include <sys/resource.h>
#include <unistd.h>

GuardedTcpServer::GuardedTcpServer(QObject *parent) : GuardedTcpServer(HttpGuardOptions(), parent)
{
}

GuardedTcpServer::GuardedTcpServer(HttpGuardOptions options, QObject *parent)
    : QTcpServer(parent), m_options(std::make_shared<const HttpGuardOptions>(std::move(options)))
{
    connect(this, &QTcpServer::acceptError, this, &GuardedTcpServer::onAcceptError);
}

qint64 GuardedTcpServer::raiseDescriptorLimit()
{
    struct rlimit limit = {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return -1;
    if (limit.rlim_cur < limit.rlim_max) {
        const rlim_t old = limit.rlim_cur;
        limit.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &limit) != 0)
            limit.rlim_cur = old;
    }
    return limit.rlim_cur == RLIM_INFINITY ? std::numeric_limits<qint64>::max()
                                           : qint64(limit.rlim_cur);
}

int GuardedTcpServer::connectionCap() const
{
    // Room below the descriptor limit for the store, uploads and Qt itself: the cap refuses
    // clearly before accept() would fail.
    struct rlimit limit = {};
    qint64 cap = m_options->maxConnections;
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
        cap = std::min<qint64>(cap, std::max<qint64>(8, qint64(limit.rlim_cur) - 64));
    return int(cap);
}

void GuardedTcpServer::onAcceptError(QAbstractSocket::SocketError error)
{
    // Out of descriptors (EMFILE) Qt pauses accepting for good; take a short break instead,
    // then try again, so the server neither spins nor stays deaf once descriptors are free.
    if (!m_acceptFailing) // once per episode, not every retry
        qWarning("Headway: cannot accept a connection (%d: %s); retrying shortly", int(error),
                 qUtf8Printable(errorString()));
    m_acceptFailing = true;
    pauseAccepting();
    QTimer::singleShot(std::chrono::milliseconds(200), this, [this] { resumeAccepting(); });
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

bool GuardedTcpServer::holdAnswers(QTcpSocket *socket)
{
    auto *guarded = qobject_cast<GuardedSocket *>(socket);
    if (!guarded)
        return false;
    guarded->holdAnswers();
    return true;
}

void GuardedTcpServer::incomingConnection(qintptr socketDescriptor)
{
    m_acceptFailing = false;
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
    // Counted until the socket object goes (QHttpServer or QWebSocket deletes it).
    ++m_connections;
    int &fromPeer = m_perAddress[peer];
    ++fromPeer;
    connect(socket, &QObject::destroyed, this, [this, peer] {
        --m_connections;
        const auto it = m_perAddress.find(peer);
        if (it != m_perAddress.end() && --*it <= 0)
            m_perAddress.erase(it);
    });
    if (m_connections > connectionCap() || fromPeer > m_options->maxConnectionsPerAddress) {
        connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
        socket->refuse(503, "too_many_connections",
                       tr("Too many open connections: close some and try again."));
        return;
    }
    // QHttpServer connects its readyRead slot when it takes the socket: after ours.
    addPendingConnection(socket);
}
