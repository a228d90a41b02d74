#pragma once

#include "app/core/uploaderror.h"
#include "httpreply.h"
#include "router.h"

#include <QCoreApplication>

#include <functional>
#include <memory>
#include <optional>

class BodySink;
class UploadDriver;

// The tus 1.0 resumable upload protocol (core, creation, termination, checksum) under
// /api/v1/uploads, on top of UploadDriver: header parsing and checks, status codes and the
// Tus-* headers on every answer. PATCH bodies are bounded before Qt buffers them by the
// transport guard (the PATCH route's RouteRules::bodyLimit, UploadDriver::ChunkLimit), or,
// when the guard takes the request whole (RouteRules::streamedBody), streamed to the partial
// file as they arrive (openStream()).
class UploadApi final
{
    Q_DECLARE_TR_FUNCTIONS(UploadApi)

public:
    using Header = std::function<QByteArray(QByteArrayView lowerName)>;
    // Writes a reply as the server does (its security headers for the request's Host).
    using Serialize = std::function<QByteArray(const HttpReply &reply)>;

    // manager may be null (a server without a data dir): every route answers 503.
    explicit UploadApi(UploadDriver *manager);

    void addRoutes(Router &router);

    // A PATCH of upload `id` with a body of bodyLength bytes, its head read through `header`
    // and admitted by the front door's rules: a sink that writes the body to the partial file
    // as it arrives, or null. Null with *refusal: the answer a buffered PATCH would have got
    // (a wrong offset, ...), to write before closing; null alone: not for streaming (an
    // Upload-Checksum to verify before a byte is kept, or a refusal that is better given by
    // the normal path because it cannot differ from this one).
    std::unique_ptr<BodySink> openStream(const QString &id, const Header &header, qint64 bodyLength,
                                         const Serialize &serialize, QByteArray *refusal);
    // What a PATCH is answered: 204 with the new Upload-Offset, or the tus error (a 409 also
    // says where the server stands).
    HttpReply patched(qint64 offset) const;
    HttpReply patchFailed(const QString &id, const UploadError &error) const;

private:
    // The checks of a PATCH before its body: tus version, content type, offset.
    std::optional<HttpReply> checkPatchHead(const Header &header, qint64 *offset) const;
    HttpReply options(RequestContext &context);
    HttpReply create(RequestContext &context);
    HttpReply head(RequestContext &context);
    HttpReply patch(RequestContext &context);
    HttpReply terminate(RequestContext &context);
    std::optional<HttpReply> refuse(const RequestContext &context) const;
    std::optional<HttpReply> refuse(const Header &header) const;

    UploadDriver *m_manager;
};
