#include "uploadapi.h"

#include "app/core/uploaderror.h"
#include "tusheaders.h"
#include "uploaddriver.h"
#include "uploadstream.h"

#include <QCryptographicHash>
#include <QHttpServerRequest>

#include <optional>

using namespace Qt::StringLiterals;

namespace {
using Method = QHttpServerRequest::Method;

const QByteArray TusVersion = QByteArrayLiteral("1.0.0");
const QByteArray UploadsPrefix = QByteArrayLiteral("/api/v1/uploads/");

HttpReply tus(HttpReply reply)
{
    reply.withHeader("Tus-Resumable", TusVersion);
    return reply;
}

HttpReply tusError(int status, const QString &code, const QString &message)
{
    return tus(HttpReply::error(status, code, message));
}

// The upload's domain error as tus answers it: 460 is tus's checksum mismatch, 507 is
// WebDAV's Insufficient Storage, which tus clients show as it is.
int tusStatus(UploadError::Kind kind)
{
    switch (kind) {
    case UploadError::Kind::None:
        return 200;
    case UploadError::Kind::TooLarge:
        return 413;
    case UploadError::Kind::DiskFull:
        return 507;
    case UploadError::Kind::NotFound:
        return 404;
    case UploadError::Kind::OffsetMismatch:
        return 409;
    case UploadError::Kind::ChecksumMismatch:
        return 460;
    case UploadError::Kind::VerifyFailed:
    case UploadError::Kind::Io:
        return 500;
    }
    return 500;
}

HttpReply tusError(const UploadError &error)
{
    return tusError(tusStatus(error.kind), error.code(), error.message);
}

} // namespace

UploadApi::UploadApi(UploadDriver *manager) : m_manager(manager) { }

void UploadApi::addRoutes(Router &router)
{
    router.add(Method::Options, u"/api/v1/uploads"_s,
               [this](RequestContext &c) { return options(c); });
    router.add(Method::Post, u"/api/v1/uploads"_s, [this](RequestContext &c) { return create(c); });
    router.add(Method::Head, u"/api/v1/uploads/{id}"_s,
               [this](RequestContext &c) { return head(c); });
    // A chunk may be bigger than other bodies: the guard reads this limit before Qt buffers it.
    // Streamed instead when the guard can take the request whole (openStream()).
    RouteRules patchRules = RouteRules().withBodyLimit(UploadDriver::ChunkLimit);
    patchRules.streamedBody = true;
    router.add(
        Method::Patch, u"/api/v1/uploads/{id}"_s, [this](RequestContext &c) { return patch(c); },
        patchRules);
    router.add(Method::Delete, u"/api/v1/uploads/{id}"_s,
               [this](RequestContext &c) { return terminate(c); });
}

std::optional<HttpReply> UploadApi::refuse(const RequestContext &context) const
{
    const QHttpServerRequest &request = context.request;
    return refuse([&request](QByteArrayView name) { return request.value(name.toByteArray()); });
}

std::optional<HttpReply> UploadApi::refuse(const Header &header) const
{
    if (!m_manager) {
        return tusError(503, u"uploads_unavailable"_s,
                        tr("Uploads need a data directory (start Headway with --data-dir)."));
    }
    if (header("tus-resumable").trimmed() != TusVersion) {
        return tusError(412, u"unsupported_tus_version"_s,
                        tr("Send Tus-Resumable: 1.0.0; this server speaks tus 1.0.0 only."))
            .withHeader("Tus-Version", TusVersion);
    }
    return std::nullopt;
}

HttpReply UploadApi::options(RequestContext &)
{
    HttpReply reply;
    reply.status = 204;
    reply.withHeader("Tus-Version", TusVersion);
    reply.withHeader("Tus-Extension", "creation,termination,checksum");
    reply.withHeader("Tus-Checksum-Algorithm", "sha1,sha256,md5");
    if (m_manager)
        reply.withHeader("Tus-Max-Size", QByteArray::number(m_manager->options().maxSize));
    return tus(std::move(reply));
}

HttpReply UploadApi::create(RequestContext &context)
{
    if (auto refused = refuse(context))
        return *refused;
    const QHttpServerRequest &request = context.request;
    if (!request.value("upload-defer-length").isEmpty()) {
        return tusError(400, u"invalid_request"_s,
                        tr("Upload-Defer-Length is not supported: send Upload-Length."));
    }
    const std::optional<qint64> length = TusHeaders::parseCount(request.value("upload-length"));
    if (!length) {
        return tusError(
            400, u"invalid_request"_s,
            tr("Upload-Length must be the file's size in bytes (a non-negative integer)."));
    }
    const QByteArray metadataHeader = request.value("upload-metadata");
    const auto metadata = TusHeaders::parseMetadata(metadataHeader);
    if (!metadata) {
        return tusError(400, u"invalid_request"_s,
                        tr("Upload-Metadata must be comma-separated \"key base64value\" pairs."));
    }
    QByteArray filename = metadata->value(u"filename"_s);
    if (filename.isEmpty())
        filename = metadata->value(u"name"_s);
    QByteArray sha256 = metadata->value(u"sha256"_s).trimmed().toLower();
    if (!sha256.isEmpty()
        && (sha256.size() != 64 || QByteArray::fromHex(sha256).toHex() != sha256)) {
        return tusError(400, u"invalid_request"_s,
                        tr("The sha256 metadata must be 64 hexadecimal digits."));
    }
    UploadError error;
    const auto info
        = m_manager->create(*length, QString::fromUtf8(filename), metadataHeader, sha256, &error);
    if (!info)
        return tusError(error);
    HttpReply reply;
    reply.status = 201;
    reply.withHeader("Location", UploadsPrefix + info->id.toLatin1());
    reply.withHeader("Upload-Offset", QByteArray::number(info->offset));
    if (!info->taskId.isEmpty())
        reply.withHeader("Headway-Task-Id", info->taskId.toLatin1());
    return tus(std::move(reply));
}

HttpReply UploadApi::head(RequestContext &context)
{
    HttpReply reply;
    if (auto refused = refuse(context)) {
        reply = *refused;
    } else if (const auto info = m_manager->info(context.arg(u"id"_s))) {
        reply.status = 200;
        reply.withHeader("Upload-Offset", QByteArray::number(info->offset));
        reply.withHeader("Upload-Length", QByteArray::number(info->length));
        if (!info->metadata.isEmpty())
            reply.withHeader("Upload-Metadata", info->metadata);
        if (!info->taskId.isEmpty())
            reply.withHeader("Headway-Task-Id", info->taskId.toLatin1());
        reply = tus(std::move(reply));
    } else {
        reply = tusError(404, u"not_found"_s, tr("There is no such upload."));
    }
    // A HEAD answer never has a body.
    reply.body.clear();
    reply.headers.removeIf([](const auto &h) { return h.first == "Content-Type"; });
    reply.withHeader("Cache-Control", "no-store");
    return reply;
}

std::optional<HttpReply> UploadApi::checkPatchHead(const Header &header, qint64 *offset) const
{
    if (auto refused = refuse(header))
        return refused;
    const QByteArray type = header("content-type").split(';').first().trimmed().toLower();
    if (type != "application/offset+octet-stream") {
        return tusError(415, u"unsupported_media_type"_s,
                        tr("A chunk needs Content-Type: application/offset+octet-stream."));
    }
    const std::optional<qint64> parsed = TusHeaders::parseCount(header("upload-offset"));
    if (!parsed)
        return tusError(400, u"invalid_request"_s,
                        tr("Upload-Offset must be a non-negative integer."));
    *offset = *parsed;
    return std::nullopt;
}

HttpReply UploadApi::patched(qint64 offset) const
{
    HttpReply reply;
    reply.status = 204;
    reply.withHeader("Upload-Offset", QByteArray::number(offset));
    return tus(std::move(reply));
}

HttpReply UploadApi::patchFailed(const QString &id, const UploadError &error) const
{
    HttpReply reply = tusError(error);
    if (error.kind == UploadError::Kind::OffsetMismatch && m_manager) {
        if (const auto info = m_manager->info(id))
            reply.withHeader("Upload-Offset", QByteArray::number(info->offset));
    }
    return reply;
}

std::unique_ptr<BodySink> UploadApi::openStream(const QString &id, const Header &header,
                                                qint64 bodyLength, const Serialize &serialize,
                                                QByteArray *refusal)
{
    // A chunk checksum is verified before any of its bytes is kept: that one is buffered.
    if (!header("upload-checksum").trimmed().isEmpty())
        return nullptr;
    const auto refuseWith = [&](HttpReply reply) -> std::unique_ptr<BodySink> {
        // The guard closes the connection after it: the body is not read.
        *refusal = serialize(reply.withHeader("Connection", "close"));
        return nullptr;
    };
    qint64 offset = 0;
    if (auto refused = checkPatchHead(header, &offset)) {
        // A body the normal path can buffer gets its answer there, keep-alive and all.
        return bodyLength <= UploadDriver::ChunkLimit ? nullptr : refuseWith(*refused);
    }
    UploadError error;
    if (!m_manager->beginStream(id, offset, bodyLength, &error))
        return refuseWith(patchFailed(id, error));
    return std::make_unique<UploadStream>(m_manager, this, id, serialize);
}

HttpReply UploadApi::patch(RequestContext &context)
{
    const QHttpServerRequest &request = context.request;
    qint64 offsetValue = 0;
    if (auto refused = checkPatchHead(
            [&request](QByteArrayView name) { return request.value(name.toByteArray()); },
            &offsetValue))
        return *refused;
    const std::optional<qint64> offset = offsetValue;
    const QByteArray body = request.body();
    if (body.size() > UploadDriver::ChunkLimit) {
        return tusError(413, u"payload_too_large"_s,
                        tr("A chunk may have %1 bytes at most.").arg(UploadDriver::ChunkLimit));
    }
    const QByteArray checksum = request.value("upload-checksum").trimmed();
    if (!checksum.isEmpty()) {
        const auto parsed = TusHeaders::parseChecksum(checksum);
        if (!parsed) {
            return tusError(400, u"unsupported_checksum"_s,
                            tr("Upload-Checksum must be \"sha1|sha256|md5 BASE64DIGEST\"."));
        }
        if (!parsed->digest)
            return tusError(
                400, u"unsupported_checksum"_s,
                tr("The Upload-Checksum digest is not the base64 of a digest of that algorithm."));
        if (QCryptographicHash::hash(body, parsed->algorithm) != *parsed->digest) {
            // The chunk is dropped; the offset stays where it was.
            return tusError(460, u"checksum_mismatch"_s,
                            tr("The chunk does not match its Upload-Checksum: send it again."));
        }
    }
    UploadError error;
    const std::optional<qint64> newOffset
        = m_manager->append(context.arg(u"id"_s), *offset, body, &error);
    if (!newOffset)
        return patchFailed(context.arg(u"id"_s), error);
    return patched(*newOffset);
}

HttpReply UploadApi::terminate(RequestContext &context)
{
    if (auto refused = refuse(context))
        return *refused;
    const UploadError error = m_manager->terminate(context.arg(u"id"_s));
    if (error)
        return tusError(error);
    HttpReply reply;
    reply.status = 204;
    return tus(std::move(reply));
}
