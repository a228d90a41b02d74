#pragma once

#include <QtGlobal>

// What a route demands before its handler runs, declared where the route is added
// (Router::add) and read by the front door (HeadwayServer::frontDoor) and the transport guard
// (its body limit and whether a body may be read before the full check).
struct RouteRules
{
    enum class Access {
        Public, // no token (GET /api/v1/health)
        Token, // the access token (Bearer) or the session cookie
        TokenOrReportToken, // also a task's own report token (/report, /finish)
    };
    // How a refusal is answered: a JSON error for programs, a small HTML page for a browser.
    enum class Errors { Json, Page };
    enum class Origin {
        SameOrigin, // a request that changes something must come from this server's pages
        // Also "Origin: null": Chromium sends it on form posts from a no-referrer page; the
        // no-JS forms carry a CSRF value tied to the SameSite=Strict session instead.
        SameOriginOrCsrfForm,
    };

    Access access = Access::Token;
    Errors errors = Errors::Json;
    Origin origin = Origin::SameOrigin;
    qint64 bodyLimit = 0; // bytes; 0: the guard's default
    bool webSocket = false; // a GET here may upgrade to a WebSocket (Router::addWebSocket)
    // The GET answer depends on nothing but the task named by the path's {id} (and the Host,
    // which the security headers name): the answer cache may replay it while that task is
    // unchanged (AnswerCache). Only for Access::Token routes.
    bool cachedPerTask = false;
    // The transport guard may take a request here whole and hand its body, as it arrives, to
    // the route's sink (a tus PATCH into the partial file, UploadApi::openStream) instead of
    // QHttpServer buffering it; bodyLimit then bounds only the requests it leaves to Qt.
    bool streamedBody = false;
    // The handler reads or changes the engine: with the server on its own thread the whole
    // handler runs on the engine's thread, in one call (EngineCall), the server's thread
    // waiting meanwhile (Router::runOnEngineThread marks an API's routes).
    bool engineThread = false;

    static RouteRules page()
    {
        RouteRules rules;
        rules.errors = Errors::Page;
        return rules;
    }
    RouteRules &withAccess(Access a)
    {
        access = a;
        return *this;
    }
    RouteRules &withOrigin(Origin o)
    {
        origin = o;
        return *this;
    }
    static RouteRules taskAnswer()
    {
        RouteRules rules;
        rules.cachedPerTask = true;
        return rules;
    }
    RouteRules &withBodyLimit(qint64 limit)
    {
        bodyLimit = limit;
        return *this;
    }
};
