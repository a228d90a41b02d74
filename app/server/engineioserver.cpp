#include "engineioserver.h"

#include "app/server/accesstoken.h"
#include "requestcontext.h"
#include "router.h"
#include "securitypolicy.h"

#include <QCryptographicHash>
#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace {
// Engine.IO's error codes (engine.io Server.errors).
enum EngineError {
    TransportUnknown = 0,
    SessionUnknown = 1,
    BadHandshakeMethod = 2,
    BadRequest = 3,
    Forbidden = 4,
    UnsupportedVersion = 5
};

HttpReply engineError(int status, EngineError code, const QString &apiCode, const QString &message)
{
    // Both shapes: engine.io's {"code", "message"} and the API's {"error": {...}}.
    const QJsonObject body {
        { u"code"_s, int(code) },
        { u"message"_s, message },
        { u"error"_s, QJsonObject { { u"code"_s, apiCode }, { u"message"_s, message } } },
    };
    return HttpReply::json(body, status);
}
} // namespace

EngineIoServer::EngineIoServer(const SecurityPolicy &policy, QObject *parent)
    : QObject(parent), m_policy(policy)
{
    m_options.maxPayload = MaxPayload;
}

EngineIoServer::~EngineIoServer()
{
    for (const QPointer<EngineIoSession> &session : std::as_const(m_sessions))
        delete session.data();
}

void EngineIoServer::setTimings(int pingIntervalMs, int pingTimeoutMs)
{
    m_options.pingIntervalMs = pingIntervalMs;
    m_options.pingTimeoutMs = pingTimeoutMs;
}

int EngineIoServer::sessionCount() const
{
    int count = 0;
    for (const QPointer<EngineIoSession> &session : m_sessions)
        count += session && !session->isClosed() ? 1 : 0;
    return count;
}

void EngineIoServer::addRoutes(Router &router)
{
    const QString path = QString::fromLatin1(Path);
    // Polling POSTs carry up to MaxPayload; a GET may upgrade to the WebSocket transport.
    const RouteRules rules = RouteRules().withBodyLimit(MaxPayload);
    router.addWebSocket(
        path, [this](RequestContext &c) { return handle(c); },
        [this](RequestContext &c) { return checkUpgrade(c); },
        [this](std::unique_ptr<QWebSocket> socket) { acceptWebSocket(std::move(socket)); }, rules);
    router.add(
        QHttpServerRequest::Method::Post, path, [this](RequestContext &c) { return handle(c); },
        rules);
}

QByteArray EngineIoServer::principal() const
{
    return m_policy.sessionValue();
}

std::optional<HttpReply> EngineIoServer::checkQuery(const QUrlQuery &query,
                                                    const QString &transport) const
{
    const QString version = query.queryItemValue(u"EIO"_s);
    if (version != u"4") {
        return engineError(400, UnsupportedVersion, u"unsupported_protocol_version"_s,
                           tr("Unsupported protocol version: this server speaks Engine.IO 4 "
                              "(Socket.IO 3 and 4 clients), not EIO=%1.")
                               .arg(version.isEmpty() ? u"(none)"_s : version));
    }
    if (query.hasQueryItem(u"j"_s))
        return engineError(400, BadRequest, u"bad_request"_s,
                           tr("JSONP polling is not supported."));
    if (query.queryItemValue(u"transport"_s) != transport) {
        return engineError(400, TransportUnknown, u"transport_unknown"_s,
                           tr("Transport unknown: use transport=polling, or a WebSocket "
                              "upgrade with transport=websocket."));
    }
    return std::nullopt;
}

EngineIoSession *EngineIoServer::createSession()
{
    m_sessions.removeIf([](const auto &it) { return it.value().isNull(); });
    if (m_sessions.size() >= MaxSessions)
        return nullptr;
    auto *session = new EngineIoSession(EngineIoSession::randomId(), principal(), m_options, this);
    m_sessions.insert(session->sid(), session);
    connect(session, &EngineIoSession::finished, this, [this, session] {
        m_sessions.remove(session->sid());
        session->deleteLater();
    });
    if (m_handler)
        m_handler(session);
    return session;
}

EngineIoSession *EngineIoServer::findSession(const QByteArray &sid) const
{
    EngineIoSession *session = m_sessions.value(sid);
    // A session of another token is answered like an unknown one.
    if (!session || !AccessToken::constantTimeEquals(principal(), session->principal()))
        return nullptr;
    return session;
}

HttpReply EngineIoServer::handle(RequestContext &context)
{
    const QUrlQuery query = context.request.query();
    const bool isGet = context.request.method() == QHttpServerRequest::Method::Get;
    if (auto bad = checkQuery(query, u"polling"_s))
        return *bad;
    const QByteArray sid = query.queryItemValue(u"sid"_s).toLatin1();
    if (sid.isEmpty()) {
        if (!isGet)
            return engineError(400, BadHandshakeMethod, u"bad_handshake_method"_s,
                               tr("Bad handshake method: a session starts with a GET."));
        EngineIoSession *session = createSession();
        if (!session)
            return engineError(503, Forbidden, u"too_many_sessions"_s,
                               tr("Too many Socket.IO sessions are open."));
        HttpReply reply;
        reply.body = session->openPacket();
        reply.withHeader("Content-Type", "text/plain; charset=UTF-8");
        reply.withHeader("Cache-Control", "no-store");
        // Clients that send the token only with the handshake (python-socketio's polling)
        // keep the session cookie instead, as a browser signed in through ?token= does.
        if (!context.request.value("authorization").isEmpty())
            reply.withHeader("Set-Cookie", m_policy.setCookieHeader());
        return reply;
    }
    EngineIoSession *session = findSession(sid);
    if (!session)
        return engineError(400, SessionUnknown, u"session_unknown"_s, tr("Session ID unknown."));
    if (session->transport() != EngineIoSession::Transport::Polling)
        return engineError(400, BadRequest, u"bad_request"_s,
                           tr("This session runs on a WebSocket now: polling is over."));
    if (isGet) {
        auto headers = m_policy.responseHeaders(context.host, true);
        const bool closeAfter = context.request.value("connection").toLower().contains("close");
        if (!session->poll(context.socket, headers, closeAfter)) {
            session->close(u"overlapping polls"_s);
            return engineError(400, BadRequest, u"bad_request"_s,
                               tr("Another poll of this session is still open."));
        }
        return HttpReply::taken();
    }
    QString error;
    if (!session->receivePayload(context.request.body(), &error)) {
        session->close(u"parse error"_s);
        return engineError(400, BadRequest, u"bad_request"_s, tr("Bad request: %1").arg(error));
    }
    HttpReply reply;
    reply.body = "ok";
    reply.withHeader("Content-Type", "text/plain; charset=UTF-8");
    return reply;
}

HttpReply EngineIoServer::checkUpgrade(const RequestContext &context) const
{
    const QUrlQuery query = context.request.query();
    if (auto bad = checkQuery(query, u"websocket"_s))
        return *bad;
    const QByteArray sid = query.queryItemValue(u"sid"_s).toLatin1();
    if (!sid.isEmpty()) {
        const EngineIoSession *session = findSession(sid);
        if (!session)
            return engineError(400, SessionUnknown, u"session_unknown"_s,
                               tr("Session ID unknown."));
        if (session->transport() != EngineIoSession::Transport::Polling || session->isProbing()
            || session->isClosed())
            return engineError(400, BadRequest, u"bad_request"_s,
                               tr("This session cannot be upgraded now."));
    }
    return HttpReply::taken();
}

void EngineIoServer::acceptWebSocket(std::unique_ptr<QWebSocket> socket)
{
    // The front door and checkUpgrade() passed this handshake; the session may have gone since.
    const QByteArray sid = QUrlQuery(socket->requestUrl()).queryItemValue(u"sid"_s).toLatin1();
    if (sid.isEmpty()) {
        EngineIoSession *session = createSession();
        if (!session) {
            socket->close(QWebSocketProtocol::CloseCodeTooMuchData, u"too many sessions"_s);
            socket.release()->deleteLater();
            return;
        }
        session->startWebSocket(std::move(socket));
        return;
    }
    EngineIoSession *session = findSession(sid);
    if (!session) {
        socket->close(QWebSocketProtocol::CloseCodePolicyViolated, u"session ID unknown"_s);
        socket.release()->deleteLater();
        return;
    }
    session->probeWebSocket(std::move(socket));
}
