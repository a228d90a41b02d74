#pragma once

#include "httpreply.h"
#include "router.h"

#include <QCoreApplication>

class UploadDriver;

// The tus 1.0 resumable upload protocol (core, creation, termination, checksum) under
// /api/v1/uploads, on top of UploadDriver: header parsing and checks, status codes and the
// Tus-* headers on every answer. PATCH bodies are bounded before Qt buffers them by the
// transport guard (the PATCH route's RouteRules::bodyLimit, UploadDriver::ChunkLimit).
class UploadApi final
{
    Q_DECLARE_TR_FUNCTIONS(UploadApi)

public:
    // manager may be null (a server without a data dir): every route answers 503.
    explicit UploadApi(UploadDriver *manager);

    void addRoutes(Router &router);

private:
    HttpReply options(RequestContext &context);
    HttpReply create(RequestContext &context);
    HttpReply head(RequestContext &context);
    HttpReply patch(RequestContext &context);
    HttpReply terminate(RequestContext &context);
    std::optional<HttpReply> refuse(const RequestContext &context) const;

    UploadDriver *m_manager;
};
