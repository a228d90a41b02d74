#include "headwayserver.h"

#include "answercache.h"
#include "app/core/enginecall.h"
#include "app/core/privatedir.h"
#include "app/core/taskengine.h"
#include "app/core/tasksource.h"
#include "app/server/accesstoken.h"
#include "app/server/authratelimiter.h"
#include "app/server/guardedtcpserver.h"
#include "bodysink.h"
#include "engineioserver.h"
#include "httpfrontend.h"
#include "plainpage.h"
#include "reportapi.h"
#include "router.h"
#include "securitypolicy.h"
#include "seedapi.h"
#include "socketiobinding.h"
#include "socketioconnection.h"
#include "sseclient.h"
#include "synchub.h"
#include "taskapi.h"
#include "uploadapi.h"
#include "uploaddriver.h"
#include "websocketclient.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QHttpServerRequest>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace {

UploadDriver::Options uploadOptions(const ServerOptions &options,
                                    const std::shared_ptr<EngineCall> &call)
{
    UploadDriver::Options upload;
    upload.expiry = options.uploadExpiry;
    upload.engineCall = call;
    return upload;
}

HttpReply shuttingDown()
{
    return HttpReply::error(
               503, u"shutting_down"_s,
               QCoreApplication::translate("HeadwayServer", "Headway is shutting down."))
        .withHeader("Retry-After", "5");
}
using Method = QHttpServerRequest::Method;

bool isWebSocketUpgrade(const QHttpServerRequest &request)
{
    return request.value("upgrade").trimmed().toLower() == "websocket"
        && request.value("connection").toLower().contains("upgrade");
}

HttpReply unauthorized(const RouteRules &rules, const QString &message)
{
    if (rules.errors == RouteRules::Errors::Json) {
        return HttpReply::error(401, u"unauthorized"_s, message)
            .withHeader("WWW-Authenticate", "Bearer realm=\"headway\"");
    }
    const QString html
        = u"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"_s
        + QCoreApplication::translate("HeadwayServer", "Headway: sign-in needed").toHtmlEscaped()
        + u"</title></head><body><h1>"_s
        + QCoreApplication::translate("HeadwayServer", "Sign-in needed").toHtmlEscaped()
        + u"</h1><p>"_s + message.toHtmlEscaped() + u"</p><p>"_s
        + QCoreApplication::translate("HeadwayServer",
                                      "Open the address Headway printed when it started: it "
                                      "ends with ?token=…")
              .toHtmlEscaped()
        + u"</p></body></html>\n"_s;
    return HttpReply::html(html.toUtf8(), 401);
}
} // namespace

HeadwayServer::HeadwayServer(TaskEngine &engine, ServerOptions options, QObject *parent)
    : QObject(parent), m_engine(engine), m_options(std::move(options)),
      m_call(m_options.engineCall ? m_options.engineCall : std::make_shared<EngineCall>(&engine)),
      m_ownThread(!m_call->isDirect()), m_policy(std::make_unique<SecurityPolicy>()),
      m_hub(std::make_unique<SyncHub>()), m_router(std::make_unique<Router>()),
      m_api(std::make_unique<TaskApi>(engine, *m_hub)), m_seed(std::make_unique<SeedApi>(engine)),
      m_plain(std::make_unique<PlainPage>(engine, *m_policy)),
      m_limiter(std::make_unique<AuthRateLimiter>()),
      m_uploads(m_options.dataDir.isEmpty()
                    ? nullptr
                    : std::make_unique<UploadDriver>(engine, m_options.dataDir,
                                                     uploadOptions(m_options, m_call))),
      m_uploadApi(std::make_unique<UploadApi>(m_uploads.get())),
      // The engine calls it as the "report" tasks' driver and its lease timers run there.
      m_reports(m_call->callAlways([&engine] { return std::make_unique<ReportApi>(engine); })),
      m_engineIo(std::make_unique<EngineIoServer>(*m_policy)),
      // On its own thread the server checks cached answers against its hub, not the engine.
      m_answers(m_options.answerCache ? std::make_unique<AnswerCache>(
                    engine, m_call->isDirect() ? nullptr : m_hub.get())
                                      : nullptr),
      m_front(new HttpFrontend(this))
{
    m_api->setReportApi(m_reports.get());
    m_policy->setAllowedHosts(m_options.allowedHosts);
    m_policy->setListenAddress(m_options.address);
    // Progress 30 times a second, a command's output (what the feeds summarize) once.
    // The hub stays on this thread: the engine's events come to it queued.
    m_call->callAlways([this] {
        if (m_options.feed)
            m_options.feed->addTracker(m_hub.get(), 30, 1);
        else
            m_engine.addTracker(m_hub.get(), 30, true, 1);
        m_engineAlive = &m_engine; // the server may outlive the engine at shutdown
    });

    m_front->setHandler([this](const QHttpServerRequest &request, QTcpSocket *socket) {
        return handleRequest(request, socket);
    });
    connect(m_front, &QAbstractHttpServer::newWebSocketConnection, this,
            &HeadwayServer::acceptWebSockets);

    // Routes. The OpenAPI test holds this table against resources/openapi.json.
    RouteRules pageRules = RouteRules::page();
    pageRules.engineThread = true; // the no-JS page lists the engine's tasks
    m_router->add(
        Method::Get, u"/"_s,
        [this](RequestContext &c) {
            if (!c.request.query().hasQueryItem(u"nojs"_s) && QFile::exists(u":/web/index.html"_s))
                return staticFile(u"/index.html"_s);
            return m_plain->render(c);
        },
        pageRules);
    m_router->add(Method::Get, u"/api/openapi.json"_s, [](RequestContext &) {
        QFile file(u":/headway/server/openapi.json"_s);
        if (!file.open(QIODevice::ReadOnly))
            return HttpReply::error(500, u"internal"_s, tr("The API description is missing."));
        HttpReply reply;
        reply.body = file.readAll();
        reply.headers.append(std::pair<QByteArray, QByteArray>("Content-Type", "application/json"));
        return reply;
    });
    m_router->add(
        Method::Get, u"/api/v1/health"_s,
        [](RequestContext &) {
            return HttpReply::json(QJsonObject { { u"status"_s, u"ok"_s } });
        },
        RouteRules().withAccess(RouteRules::Access::Public)); // the one route without a token
    m_router->addWebSocket(
        u"/api/v1/ws"_s,
        [](RequestContext &) {
            return HttpReply::error(
                       426, u"upgrade_required"_s,
                       tr("This is a WebSocket endpoint: connect with a WebSocket client."))
                .withHeader("Upgrade", "websocket");
        },
        [](RequestContext &) { return HttpReply::taken(); },
        [this](std::unique_ptr<QWebSocket> socket) { acceptPushSocket(std::move(socket)); });
    m_router->add(Method::Get, u"/api/v1/events"_s,
                  [this](RequestContext &c) { return openEventStream(c); });
    // `headway open`: a one-time link to the page, so no command line ever shows the token.
    m_router->add(Method::Post, u"/api/v1/login-links"_s, [this](RequestContext &) {
        QUrl url = pageUrl(false);
        url.setQuery(u"login="_s + QString::fromLatin1(m_loginLinks.create()));
        return HttpReply::json(
            QJsonObject { { u"url"_s, url.toString() },
                          { u"expires_in"_s, qint64(LoginLinks::Lifetime.count()) } },
            201);
    });
    // These APIs' handlers read and change the engine: each runs on its thread, whole.
    const qsizetype engineRoutes = m_router->routes().size();
    m_api->addRoutes(*m_router);
    m_seed->addRoutes(*m_router);
    m_plain->addRoutes(*m_router);
    m_reports->addRoutes(*m_router);
    m_router->runOnEngineThread(engineRoutes);
    m_uploadApi->addRoutes(*m_router);
    m_engineIo->addRoutes(*m_router);
    m_engineIo->setSessionHandler([this](EngineIoSession *session) {
        auto *binding = new SocketIoBinding(new SocketIoConnection(session), m_engine, *m_call,
                                            *m_hub, *m_api, *m_seed);
        connect(binding, &SocketIoBinding::changedTasks, this, [this] { dropAnswers(); });
    });
}

EngineIoServer &HeadwayServer::engineIo() const
{
    return *m_engineIo;
}

UploadDriver *HeadwayServer::uploads() const
{
    return m_uploads.get();
}

HeadwayServer::~HeadwayServer()
{
    // Answers already written reach their clients before the sockets go (at shutdown, the
    // 503s of requests the engine no longer took included); a client that does not read gets
    // one second in all, not one each.
    const QDeadlineTimer deadline(1000);
    for (QAbstractSocket *socket : findChildren<QAbstractSocket *>()) {
        socket->flush();
        if (socket->bytesToWrite() > 0 && !deadline.hasExpired())
            socket->waitForBytesWritten(int(deadline.remainingTime()));
    }
    m_call->callAlways([this] {
        if (m_options.feed)
            m_options.feed->removeTracker(m_hub.get());
        else if (m_engineAlive)
            m_engine.removeTracker(m_hub.get());
        m_api->setReportApi(nullptr);
        m_reports.reset(); // on the thread of its lease timers
    });
    for (const QPointer<PushClient> &client : std::as_const(m_pushClients))
        delete client.data();
}

const Router &HeadwayServer::router() const
{
    return *m_router;
}

void HeadwayServer::setDemoTask(int steps, int delayMs)
{
    m_seed->setDemo(steps, delayMs);
    m_plain->setDemo(steps, delayMs);
}

void HeadwayServer::setPingInterval(int ms)
{
    m_pingMs = ms;
}

int HeadwayServer::pushClientCount() const
{
    int count = 0;
    for (const QPointer<PushClient> &client : m_pushClients)
        count += client ? 1 : 0;
    return count;
}

void HeadwayServer::setWorkersProvider(std::function<QJsonArray()> provider)
{
    m_api->setWorkersProvider(std::move(provider));
}

bool HeadwayServer::loadToken(QString *errorMessage)
{
    if (m_options.dataDir.isEmpty()) {
        m_token = AccessToken::ephemeral().toString();
        return true;
    }
    QString error;
    const std::optional<AccessToken> token = m_options.rotateToken
        ? AccessToken::rotate(m_options.dataDir, &error)
        : AccessToken::loadOrCreate(m_options.dataDir, &error);
    if (!token) {
        if (errorMessage)
            *errorMessage = error;
        return false;
    }
    m_token = token->toString();
    // The uploads folder is checked like the data dir: someone else's is never served.
    return !m_uploads || PrivateDir::prepare(m_uploads->uploadDir(), errorMessage);
}

bool HeadwayServer::isRateLimited(const QHostAddress &address) const
{
    return m_limiter->isBlocked(address);
}

void HeadwayServer::noteFailedToken(const QHostAddress &address)
{
    m_limiter->recordFailure(address);
}

bool HeadwayServer::listen(QString *errorMessage)
{
    if (!loadToken(errorMessage))
        return false;
    m_policy->setToken(m_token.toLatin1());

    // The body limit is the route's (upload chunks, Engine.IO polls may be bigger).
    HttpGuardOptions guard;
    guard.bodyLimit
        = [this, limit = guard.defaultBodyLimit](QByteArrayView method, QByteArrayView path) {
              const qint64 routeLimit = m_router->rules(method, path).bodyLimit;
              return routeLimit > 0 ? routeLimit : limit;
          };
    // No body is taken from a client without the token (issue 15, W3); the front door then
    // checks every request in full.
    guard.authorizeBody = [this](const HttpHeadScanner::Head &head) {
        const RouteRules rules = m_router->rules(head.method, head.path);
        if (rules.access == RouteRules::Access::Public)
            return true;
        const SecurityPolicy::Credentials credentials
            = m_policy->credentials(head.authorization, head.cookie);
        return m_policy->isOwner(credentials)
            || (credentials.kind == SecurityPolicy::Credentials::Kind::Bearer
                && rules.access == RouteRules::Access::TokenOrReportToken
                && reportTokenAccepted(QString::fromLatin1(head.path),
                                       credentials.value.toByteArray()));
    };
    if (m_answers) {
        guard.answer = [this](const HttpHeadScanner::Head &head, QByteArray *response) {
            return answerFromCache(head, response);
        };
    }
    // tus PATCH bodies go to the partial file as they arrive, never buffered whole.
    guard.streamBody = [this](const HttpHeadScanner::Head &head, QByteArray *refusal) {
        return openStream(head, refusal);
    };
    auto *server = new GuardedTcpServer(guard, this);
    if (!server->listen(m_options.address, m_options.port)) {
        if (errorMessage) {
            *errorMessage = tr("Cannot listen on %1 port %2: %3")
                                .arg(m_options.address.toString())
                                .arg(m_options.port)
                                .arg(server->errorString());
        }
        delete server;
        return false;
    }
    m_port = server->serverPort();
    m_front->bind(server);
    // "Local host" means both loopbacks: browsers resolve localhost to ::1 first.
    if (m_options.address == QHostAddress(QHostAddress::LocalHost)) {
        auto *server6 = new GuardedTcpServer(guard, this);
        if (server6->listen(QHostAddress(QHostAddress::LocalHostIPv6), m_port))
            m_front->bind(server6);
        else
            delete server6; // no IPv6 loopback here: 127.0.0.1 alone is fine
    }
    m_policy->setPort(m_port);
    return true;
}

quint16 HeadwayServer::port() const
{
    return m_port;
}

QString HeadwayServer::token() const
{
    return m_token;
}

QUrl HeadwayServer::pageUrl(bool withToken) const
{
    QString host = u"127.0.0.1"_s;
    const QHostAddress &address = m_options.address;
    if (address == QHostAddress(QHostAddress::LocalHostIPv6)) {
        host = u"[::1]"_s;
    } else if (!address.isLoopback() && !SecurityPolicy::isWildcardAddress(address)) {
        host = address.protocol() == QAbstractSocket::IPv6Protocol
            ? u'[' + address.toString() + u']'
            : address.toString();
    }
    QUrl url(u"http://"_s + host + u':' + QString::number(m_port) + u'/');
    if (withToken)
        url.setQuery(u"token="_s + m_token);
    return url;
}

bool HeadwayServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const bool upgrade = isWebSocketUpgrade(request);
    RequestContext context { request, socket, request.url().path(), {}, {}, {} };
    HttpReply reply = frontDoor(context, upgrade);
    if (upgrade && reply.deferred)
        return true; // Qt hands the socket to its WebSocket server now
    if (upgrade) {
        // Refused: written here; Qt then closes the connection (HttpFrontend::missingHandler).
        reply.headers.append(std::pair<QByteArray, QByteArray>("Connection", "close"));
        writeReply(request, socket, context.host, std::move(reply));
        return false;
    }
    if (reply.deferred) {
        // Answered later (an Engine.IO long poll): the guard must not answer a request queued
        // behind it first.
        GuardedTcpServer::holdAnswers(socket);
        return true;
    }
    const bool remember
        = m_answers && reply.status == 200 && request.method() == QHttpServerRequest::Method::Get;
    const QByteArray written = writeReply(request, socket, context.host, std::move(reply));
    if (remember && !written.isEmpty())
        rememberAnswer(context, written);
    return true;
}

void HeadwayServer::rememberAnswer(const RequestContext &context, const QByteArray &response)
{
    const QUrl &url = context.request.url();
    if (url.hasQuery() || url.hasFragment()
        || !m_router->rules(QHttpServerRequest::Method::Get, context.path).cachedPerTask)
        return;
    // A plain path (AnswerCache::isPlainTarget) is its own request target, byte for byte.
    m_answers->store(context.host, context.path.toLatin1(), context.arg(u"id"_s), response);
}

bool HeadwayServer::answerFromCache(const HttpHeadScanner::Head &head, QByteArray *response)
{
    // Only what the front door let through before gets here: an entry exists for this exact
    // Host (checked then) and target (a GET of an Access::Token route without a query, where
    // neither Origin nor the rate limit matter to the owner). What is left to check per
    // request is the owner's token or session, the same check the front door makes.
    if (head.target != head.path || !AnswerCache::isPlainTarget(head.target))
        return false;
    const QByteArray *cached = m_answers->find(head.host, head.target);
    if (!cached || !m_policy->isOwner(m_policy->credentials(head.authorization, head.cookie)))
        return false;
    *response = *cached;
    ++m_cachedAnswers;
    return true;
}

// The one place every request passes: Host, rate limit, Origin, token/cookie, then the route.
HttpReply HeadwayServer::frontDoor(RequestContext &context, bool upgrade)
{
    const QHttpServerRequest &request = context.request;
    const QByteArray host = request.value("host");
    if (!m_policy->isHostAllowed(host)) {
        return HttpReply::error(403, u"forbidden_host"_s,
                                tr("This server only answers requests addressed to it by a "
                                   "local name (localhost, 127.0.0.1, [::1]) and its port."));
    }
    context.host = host.trimmed();

    const Method method = request.method();
    const RouteRules rules = m_router->rules(method, context.path);
    if (rules.access == RouteRules::Access::Public)
        return route(context, upgrade);

    const bool changesState
        = upgrade || (method != Method::Get && method != Method::Head && method != Method::Options);
    const QByteArray origin = request.value("origin");
    if (!originAccepted(changesState, upgrade, origin, context.host, rules)) {
        return HttpReply::error(403, u"forbidden_origin"_s,
                                tr("Requests that change something must come from this "
                                   "server's own pages."));
    }

    // A wrong token costs the guesser, never the owner: the right token always passes (256
    // bits need no lockout), and what another site's page sends is not counted at all.
    const QHostAddress peer = context.socket ? context.socket->peerAddress() : QHostAddress();
    const bool crossSite = SecurityPolicy::isCrossSite(request.value("sec-fetch-site"), origin,
                                                       request.value("referer"), context.host);
    const auto wrongToken = [&](const QString &message) {
        if (isRateLimited(peer)) {
            const qint64 seconds = (m_limiter->retryAfter(peer).count() + 999) / 1000;
            return HttpReply::error(429, u"too_many_attempts"_s,
                                    tr("Too many wrong tokens from this address: wait a minute."))
                .withHeader("Retry-After", QByteArray::number(qMax<qint64>(1, seconds)));
        }
        if (!crossSite)
            noteFailedToken(peer);
        return unauthorized(rules, message);
    };

    // ?token= on a page address: set the session cookie and drop the token from the address.
    QUrlQuery query = request.query();
    // ?login= (a one-time link of `headway open`) does the same, once.
    const bool tokenLink = query.hasQueryItem(u"token"_s);
    if (method == Method::Get && !upgrade && (tokenLink || query.hasQueryItem(u"login"_s))
        && rules.errors == RouteRules::Errors::Page) {
        if (tokenLink) {
            const QByteArray token = query.queryItemValue(u"token"_s, QUrl::FullyDecoded).toUtf8();
            if (!m_policy->isTokenValid(token))
                return wrongToken(tr("The token in the address is wrong."));
        } else if (!m_loginLinks.consume(
                       query.queryItemValue(u"login"_s, QUrl::FullyDecoded).toUtf8())) {
            return wrongToken(tr("This login link was used already or has expired: run "
                                 "`headway open` again."));
        }
        query.removeAllQueryItems(u"token"_s);
        query.removeAllQueryItems(u"login"_s);
        QUrl target;
        target.setPath(context.path);
        if (!query.isEmpty())
            target.setQuery(query);
        return HttpReply::redirect(target.toEncoded())
            .withHeader("Set-Cookie", m_policy->setCookieHeader());
    }

    const QByteArray authorization = request.value("authorization");
    const QByteArray cookieHeader = request.value("cookie");
    const SecurityPolicy::Credentials credentials
        = m_policy->credentials(authorization, cookieHeader);
    switch (credentials.kind) {
    case SecurityPolicy::Credentials::Kind::Bearer:
    case SecurityPolicy::Credentials::Kind::Malformed: {
        const QByteArray token = credentials.value.toByteArray();
        // A report token opens its own task's /report and /finish, nothing else.
        const bool reporter = credentials.kind == SecurityPolicy::Credentials::Kind::Bearer
            && rules.access == RouteRules::Access::TokenOrReportToken
            && reportTokenAccepted(context.path, token);
        if (!reporter && !m_policy->isOwner(credentials))
            return wrongToken(tr("The token is wrong."));
        break;
    }
    case SecurityPolicy::Credentials::Kind::Session:
        if (!m_policy->isOwner(credentials))
            return wrongToken(tr("The session has expired (the token changed)."));
        context.sessionCookie = credentials.value.toByteArray();
        break;
    case SecurityPolicy::Credentials::Kind::None:
        return unauthorized(rules, tr("A token is needed: send Authorization: Bearer TOKEN."));
    }
    return route(context, upgrade);
}

bool HeadwayServer::originAccepted(bool changesState, bool upgrade, const QByteArray &origin,
                                   const QByteArray &host, const RouteRules &rules) const
{
    // Chromium sends "Origin: null" on form posts from a page with Referrer-Policy no-referrer;
    // the no-JS forms carry a CSRF value tied to the SameSite=Strict session, which proves more.
    const bool plainForm
        = !upgrade && origin == "null" && rules.origin == RouteRules::Origin::SameOriginOrCsrfForm;
    return !changesState || origin.isEmpty() || plainForm
        || m_policy->isOriginAllowed(origin, host);
}

std::unique_ptr<BodySink> HeadwayServer::openStream(const HttpHeadScanner::Head &head,
                                                    QByteArray *refusal)
{
    if (!m_uploads || head.target != head.path || !AnswerCache::isPlainTarget(head.target)
        || head.minorVersion != 1 || head.repeatedCredentials)
        return nullptr;
    const std::optional<Method> method = Router::methodFromName(head.method);
    if (!method)
        return nullptr;
    const QString path = QString::fromLatin1(head.path);
    const Router::Match match = m_router->match(*method, path);
    if (!match.route || !match.route->rules.streamedBody)
        return nullptr;
    // The headers read here must each come once: what QHttpServer makes of repeats is its own.
    for (const QByteArrayView name :
         { "origin", "tus-resumable", "content-type", "upload-offset", "upload-checksum" }) {
        int count = 0;
        for (const auto &field : head.fields)
            count += field.first == name ? 1 : 0;
        if (count > 1)
            return nullptr;
    }
    // The front door's checks, with its own predicates, for a request that changes state:
    // Host, Origin, then the owner's token or session (the guard let only a valid one send a
    // body, so no wrong token is ever counted here). Any doubt: the normal path decides.
    const RouteRules &rules = match.route->rules;
    const QByteArray origin = head.field("origin").value_or(QByteArray());
    if (rules.access != RouteRules::Access::Token || !m_policy->isHostAllowed(head.host)
        || !originAccepted(true, false, origin, head.host, rules)
        || !m_policy->isOwner(m_policy->credentials(head.authorization, head.cookie)))
        return nullptr;
    const QByteArray host = head.host;
    return m_uploadApi->openStream(
        match.args.value(u"id"_s),
        [&head](QByteArrayView name) { return head.field(name).value_or(QByteArray()); },
        head.contentLength,
        [this, host](const HttpReply &reply) {
            dropAnswers(); // the upload's task changed (its end above all): no stale answer
            return serializeReply(reply, host);
        },
        refusal);
}

void HeadwayServer::publishForHub()
{
    // On the engine's thread, in the call: its transitions (a new task above all) go out now,
    // to the store first and then, posted, to the hub on the server's thread.
    if (m_ownThread && !m_options.feed)
        m_engine.publishTransitions();
}

void HeadwayServer::catchUpHub()
{
    // On the server's thread, after the call: the hub takes what publishForHub() posted before
    // the answer goes, so a client that submits and then syncs finds its task there (without
    // this, a full update a moment later could lack it and a `headway submit --wait` read the
    // task as removed). On one thread the hub is already in step.
    if (m_ownThread)
        QCoreApplication::sendPostedEvents(m_hub.get(), QEvent::MetaCall);
}

bool HeadwayServer::reportTokenAccepted(const QString &path, const QByteArray &token) const
{
    return m_call->call([&] { return m_reports->acceptsToken(path, token); }).value_or(false);
}

void HeadwayServer::dropAnswers(const QString &taskId)
{
    if (!m_answers)
        return;
    if (taskId.isEmpty())
        m_answers->clear();
    else
        m_answers->dropTask(taskId);
}

HttpReply HeadwayServer::route(RequestContext &context, bool upgrade)
{
    const Method method = context.request.method();
    const Router::Match match = m_router->match(method, context.path);
    if (upgrade) {
        if (match.route && match.route->rules.webSocket) {
            context.args = match.args;
            return match.route->upgrade(context);
        }
        return HttpReply::error(404, u"not_found"_s, tr("There is no WebSocket at this address."));
    }
    if (match.route) {
        context.args = match.args;
        const bool changes = method != Method::Get && method != Method::Head;
        if (!match.route->rules.engineThread) {
            if (changes)
                dropAnswers();
            return match.route->handler(context);
        }
        // The whole handler on the engine's thread, this thread waiting: it reads the request
        // and the hub meanwhile, nothing runs here.
        const Router::Handler &handler = match.route->handler;
        std::optional<HttpReply> reply = m_call->call([&] {
            HttpReply answer = handler(context);
            if (changes)
                publishForHub();
            return answer;
        });
        if (!reply)
            return shuttingDown();
        if (changes) { // a command: the next poll of its task reads the engine
            dropAnswers(context.args.value(u"id"_s));
            catchUpHub();
        }
        return std::move(*reply);
    }
    if (!match.allowed.isEmpty()) {
        QByteArrayList allowed;
        for (const Method m : match.allowed)
            allowed.append(Router::methodName(m));
        return HttpReply::error(405, u"method_not_allowed"_s,
                                tr("%1 is not allowed here; use %2.")
                                    .arg(QString::fromLatin1(Router::methodName(method)),
                                         QString::fromLatin1(allowed.join(", "))))
            .withHeader("Allow", allowed.join(", "));
    }
    if (method == Method::Get
        && m_router->rules(method, context.path).errors == RouteRules::Errors::Page) {
        HttpReply reply = staticFile(context.path);
        if (reply.status == 200)
            return reply;
    }
    return HttpReply::error(404, u"not_found"_s, tr("There is nothing at this address."));
}

HttpReply HeadwayServer::staticFile(const QString &path) const
{
    if (path.contains(u"..") || path.contains(u'\\') || path.endsWith(u'/'))
        return HttpReply::error(404, u"not_found"_s, tr("There is nothing at this address."));
    QFile file(u":/web"_s + path);
    if (QFileInfo(file).isDir() || !file.open(QIODevice::ReadOnly))
        return HttpReply::error(404, u"not_found"_s, tr("There is nothing at this address."));
    HttpReply reply;
    reply.body = file.readAll();
    reply.headers.append(
        std::pair<QByteArray, QByteArray>("Content-Type", HttpReply::contentTypeFor(path)));
    reply.headers.append(std::pair<QByteArray, QByteArray>("Cache-Control", "no-cache"));
    return reply;
}

HttpReply HeadwayServer::openEventStream(RequestContext &context)
{
    // A reconnecting EventSource says where it stopped; ?rid= does the same for scripts.
    qint64 since = 0;
    QByteArray lastId = context.request.value("last-event-id");
    if (lastId.isEmpty())
        lastId = context.request.query().queryItemValue(u"rid"_s).toLatin1();
    if (!lastId.isEmpty()) {
        bool ok = false;
        since = lastId.toLongLong(&ok);
        if (!ok || since < 0)
            since = 0;
    }
    auto headers = m_policy->responseHeaders(context.host, true);
    headers.append(std::pair<QByteArray, QByteArray>("Cache-Control", "no-store"));
    GuardedTcpServer::setLongLived(context.socket);
    auto *client = new SseClient(context.socket, headers, *m_hub, since);
    client->setPingInterval(m_pingMs);
    addPushClient(client);
    connect(client, &SseClient::closed, client, &QObject::deleteLater);
    return HttpReply::taken();
}

void HeadwayServer::acceptWebSockets()
{
    while (m_front->hasPendingWebSocketConnections()) {
        std::unique_ptr<QWebSocket> socket = m_front->nextPendingWebSocketConnection();
        if (!socket)
            break;
        // Only upgrades a WebSocket route accepted get here: its route takes the socket.
        const Router::Match match = m_router->match(Method::Get, socket->requestUrl().path());
        if (match.route && match.route->accept)
            match.route->accept(std::move(socket));
    }
}

void HeadwayServer::acceptPushSocket(std::unique_ptr<QWebSocket> socket)
{
    auto *client
        = new WebSocketClient(std::move(socket), *m_hub, [this](const QJsonObject &command) {
              std::optional<QJsonObject> reply = m_call->call([&] {
                  QJsonObject answer = m_api->command(command);
                  publishForHub();
                  return answer;
              });
              dropAnswers(command.value(u"task_id"_s).toString());
              catchUpHub();
              if (reply)
                  return *reply;
              return QJsonObject { { u"ok"_s, false },
                                   { u"reply_to"_s, command.value(u"id"_s) },
                                   { u"error"_s,
                                     QJsonObject {
                                         { u"code"_s, u"shutting_down"_s },
                                         { u"message"_s, tr("Headway is shutting down.") } } } };
          });
    client->setPingInterval(m_pingMs);
    addPushClient(client);
    connect(client, &WebSocketClient::closed, client, &QObject::deleteLater);
}

void HeadwayServer::addPushClient(PushClient *client)
{
    m_pushClients.removeAll(QPointer<PushClient>());
    m_pushClients.append(client);
}

namespace {

QByteArrayView reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 206:
        return "Partial Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 303:
        return "See Other";
    case 304:
        return "Not Modified";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 406:
        return "Not Acceptable";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 411:
        return "Length Required";
    case 412:
        return "Precondition Failed";
    case 413:
        return "Payload Too Large";
    case 415:
        return "Unsupported Media Type";
    case 416:
        return "Range Not Satisfiable";
    case 422:
        return "Unprocessable Entity";
    case 423:
        return "Locked";
    case 426:
        return "Upgrade Required";
    case 428:
        return "Precondition Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 460:
        return "Checksum Mismatch"; // tus 1.0
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 507:
        return "Insufficient Storage";
    default:
        return "Status";
    }
}

} // namespace

QByteArray HeadwayServer::serializeReply(const HttpReply &reply, const QByteArray &host) const
{
    const auto securityHeaders = m_policy->responseHeaders(host, false);
    qsizetype size = 64 + reply.body.size();
    for (const auto &[name, value] : std::as_const(reply.headers))
        size += name.size() + value.size() + 4;
    for (const auto &[name, value] : securityHeaders)
        size += name.size() + value.size() + 4;
    QByteArray out;
    out.reserve(size);
    out += "HTTP/1.1 ";
    out += QByteArray::number(reply.status);
    out += ' ';
    out += reasonPhrase(reply.status);
    out += "\r\n";
    const auto header = [&out](QByteArrayView name, QByteArrayView value) {
        out += name;
        out += ": ";
        out += value;
        out += "\r\n";
    };
    for (const auto &[name, value] : std::as_const(reply.headers))
        header(name, value);
    const bool ownCacheControl = !reply.header("Cache-Control").isEmpty();
    for (const auto &[name, value] : securityHeaders) {
        if (name == "Cache-Control") {
            if (!ownCacheControl)
                header(name, "no-store");
            continue;
        }
        header(name, value);
    }
    if (reply.status != 204 && reply.status != 304)
        header("Content-Length", QByteArray::number(reply.body.size()));
    out += "\r\n";
    out += reply.body;
    return out;
}

QByteArray HeadwayServer::writeReply(const QHttpServerRequest &request, QTcpSocket *socket,
                                     const QByteArray &host, HttpReply reply)
{
    if (!socket || socket->state() != QAbstractSocket::ConnectedState)
        return {};
    // One buffer, one write: QHttpServerResponder wrote each header line apart.
    const QByteArray bytes = serializeReply(reply, host);
    socket->write(bytes);
    // Qt 6.4 keeps every connection open; honour a client's (or our own) Connection: close.
    if (request.value("connection").toLower().contains("close")
        || reply.header("Connection") == "close") {
        socket->disconnectFromHost();
    }
    return bytes;
}
