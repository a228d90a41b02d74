#pragma once

#include "httpheadscanner.h"
#include "httpreply.h"
#include "loginlinks.h"
#include "routerules.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

class AnswerCache;
class BodySink;
class AuthRateLimiter;
class TaskSource;
class EngineCall;
class EngineIoServer;
class HttpFrontend;
class PlainPage;
class PushClient;
class ReportApi;
class QHttpServerRequest;
class QTcpServer;
class QTcpSocket;
class QWebSocket;
class Router;
class SecurityPolicy;
class SeedApi;
class SyncHub;
class TaskApi;
class TaskEngine;
class UploadApi;
class UploadDriver;
struct RequestContext;

struct ServerOptions
{
    QHostAddress address = QHostAddress(QHostAddress::LocalHost); // LocalHost also serves ::1
    quint16 port = 8421; // the documented default; 0 = any free port
    QString dataDir; // the token file lives here; empty: a token for this run only
    bool rotateToken = false;
    QStringList allowedHosts; // extra Host names besides localhost/127.0.0.1/[::1]
    // An unfinished upload with no data for this long is removed (its task fails "expired").
    std::chrono::milliseconds uploadExpiry { std::chrono::hours(24) };
    // The transport guard answers polls of the hot routes from the answer cache (AnswerCache);
    // false: QHttpServer and the front door answer every request (tests compare the two).
    bool answerCache = true;
    // What the change feeds (sync, WebSocket, SSE, Socket.IO) show; null: the engine's tasks.
    // `headway screenshot` shows a scenario's tasks (a StaticTaskSource) on the page this way.
    TaskSource *feed = nullptr;
    // How the server reaches the engine when it runs on a thread of its own (ServerThread
    // gives it); null: the engine is on the server's thread, calls are direct.
    std::shared_ptr<EngineCall> engineCall;
};

// The local HTTP server: the REST API, incremental sync, WebSocket and Server-Sent Events
// push, the tutorial's seed-compatible endpoints, the page's static files and the no-JS
// page, all behind one front door that every request passes (Host, Origin, token or
// session cookie, rate limit of failed attempts, security headers on every answer).
// Runs on the thread it is built on: the engine's (tests, `headway screenshot`) or its own
// (ServerThread, the app), reaching the engine through ServerOptions::engineCall then.
class HeadwayServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeadwayServer)

public:
    HeadwayServer(TaskEngine &engine, ServerOptions options, QObject *parent = nullptr);
    ~HeadwayServer() override;

    // False with a readable message (port busy, bad token file...).
    bool listen(QString *errorMessage);
    quint16 port() const;
    QString token() const;
    QUrl pageUrl(bool withToken = true) const; // http://127.0.0.1:PORT/ (+ ?token=TOKEN)

    // For the Celery workers panel: what GET /api/v1/workers lists (unset: []).
    void setWorkersProvider(std::function<QJsonArray()> provider);

    // Tests: the route table (held against the OpenAPI document), the demo task the seed
    // endpoints and the no-JS page start, and the push clients' ping period.
    const Router &router() const;
    void setDemoTask(int steps, int delayMs);
    void setPingInterval(int ms);
    int pushClientCount() const;
    // Requests answered from the answer cache, by the transport guard (tests, benchmarks).
    qint64 cachedAnswerCount() const { return m_cachedAnswers; }
    // One HTTP answer as the bytes written: status line, headers (the reply's, then the
    // security headers every answer carries, Content-Length) and body, in one buffer.
    QByteArray serializeReply(const HttpReply &reply, const QByteArray &host) const;
    // Resumable uploads (tus, /api/v1/uploads); null without a data dir.
    UploadDriver *uploads() const;
    // Socket.IO at /socket.io/ (tests change its ping timings and count its sessions).
    EngineIoServer &engineIo() const;

private:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket);
    HttpReply frontDoor(RequestContext &context, bool upgrade);
    HttpReply route(RequestContext &context, bool upgrade);
    HttpReply staticFile(const QString &path) const;
    HttpReply openEventStream(RequestContext &context);
    // Writes the answer in one write; returns the bytes written (empty when not written).
    QByteArray writeReply(const QHttpServerRequest &request, QTcpSocket *socket,
                          const QByteArray &host, HttpReply reply);
    // Keeps the answer of a GET of a RouteRules::cachedPerTask route for the guard to replay.
    void rememberAnswer(const RequestContext &context, const QByteArray &response);
    // HttpGuardOptions::answer: a plain GET answered from the cache when its task is
    // unchanged and the request carries the owner's token or session (what the front door
    // demands of these routes).
    bool answerFromCache(const HttpHeadScanner::Head &head, QByteArray *response);
    // HttpGuardOptions::streamBody: a sink for a request of a RouteRules::streamedBody route
    // that the front door's rules admit (UploadApi::openStream), else null.
    std::unique_ptr<BodySink> openStream(const HttpHeadScanner::Head &head, QByteArray *refusal);
    // A request that changes something must come from our own pages (or be a no-JS form).
    bool originAccepted(bool changesState, bool upgrade, const QByteArray &origin,
                        const QByteArray &host, const RouteRules &rules) const;
    void acceptWebSockets();
    void acceptPushSocket(std::unique_ptr<QWebSocket> socket);
    void addPushClient(PushClient *client);
    // A report token that opens this path's /report or /finish (ReportApi, engine's thread).
    // Read-your-writes across the two threads: publishForHub() in the engine call of a request
    // that changed something, catchUpHub() on the server's thread after it.
    void publishForHub();
    void catchUpHub();
    bool reportTokenAccepted(const QString &path, const QByteArray &token) const;
    // The server changed something: answers that may show the old state go (AnswerCache).
    void dropAnswers(const QString &taskId = {});

    bool loadToken(QString *errorMessage);
    bool isRateLimited(const QHostAddress &address) const;
    void noteFailedToken(const QHostAddress &address);

    TaskEngine &m_engine;
    QPointer<TaskEngine> m_engineAlive;
    ServerOptions m_options;
    std::shared_ptr<EngineCall> m_call;
    const bool m_ownThread; // built on another thread than the engine's (ServerThread)
    std::unique_ptr<SecurityPolicy> m_policy;
    std::unique_ptr<SyncHub> m_hub;
    std::unique_ptr<Router> m_router;
    std::unique_ptr<TaskApi> m_api;
    std::unique_ptr<SeedApi> m_seed;
    std::unique_ptr<PlainPage> m_plain;
    std::unique_ptr<AuthRateLimiter> m_limiter;
    std::unique_ptr<UploadDriver> m_uploads;
    std::unique_ptr<UploadApi> m_uploadApi;
    std::unique_ptr<ReportApi> m_reports; // lives on the engine's thread (its driver)
    LoginLinks m_loginLinks;
    std::unique_ptr<EngineIoServer> m_engineIo;
    std::unique_ptr<AnswerCache> m_answers; // null when ServerOptions::answerCache is off
    qint64 m_cachedAnswers = 0;
    HttpFrontend *m_front = nullptr;
    QList<QPointer<PushClient>> m_pushClients;
    QString m_token;
    quint16 m_port = 0;
    int m_pingMs = 15000;
};
