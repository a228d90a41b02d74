#pragma once

#include "engineiosession.h"
#include "httpreply.h"

#include <QCoreApplication>
#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

class QUrlQuery;
class QWebSocket;
class Router;
class SecurityPolicy;
struct RequestContext;

// Engine.IO v4 at /socket.io/, behind the server's front door (which already checked Host,
// Origin, token or cookie): the polling handshake, GET/POST with a sid, the WebSocket upgrade
// and direct WebSocket connections. Session ids are random (128 bits) and bound to the
// access session that opened them; EIO=3, JSONP and binary payloads get Engine.IO errors
// ({"code", "message"} plus the API's {"error"}), never a hang.
class EngineIoServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EngineIoServer)

public:
    static constexpr qint64 MaxPayload = 100000; // also the polling POST body limit
    static constexpr int MaxSessions = 4096;
    static constexpr QByteArrayView Path = "/socket.io/";

    using SessionHandler = std::function<void(EngineIoSession *)>;

    explicit EngineIoServer(const SecurityPolicy &policy, QObject *parent = nullptr);
    ~EngineIoServer() override;

    // Called for every new session, before its first packet (the Socket.IO layer attaches).
    void setSessionHandler(SessionHandler handler) { m_handler = std::move(handler); }
    void setTimings(int pingIntervalMs, int pingTimeoutMs);
    int sessionCount() const;

    void addRoutes(Router &router);
    // A WebSocket upgrade to /socket.io/: taken() when Qt may accept it, else the refusal.
    HttpReply checkUpgrade(const RequestContext &context) const;
    void acceptWebSocket(std::unique_ptr<QWebSocket> socket);

private:
    HttpReply handle(RequestContext &context);
    EngineIoSession *createSession();
    EngineIoSession *findSession(const QByteArray &sid) const;
    // The session the request's credentials prove (the bearer token and the cookie are the
    // same secret: the cookie holds a MAC of the token). A session id works only with it, so
    // a new token (--rotate-token) ends every session opened under the old one.
    QByteArray principal() const;
    // Validates EIO and transport; an error reply when they are not ours.
    std::optional<HttpReply> checkQuery(const QUrlQuery &query, const QString &transport) const;

    const SecurityPolicy &m_policy;
    EngineIoSession::Options m_options;
    QHash<QByteArray, QPointer<EngineIoSession>> m_sessions;
    SessionHandler m_handler;
};
