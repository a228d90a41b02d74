#pragma once

#include "httpconnection.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QUrl>

// Uploads `size` bytes of `source` to Headway's tus endpoint over `http` (one POST, then PATCHes
// of `chunkSize` bytes on the same keep-alive connection). Throws HttpConnection::Error on any
// refusal or when the deadline passes. bench_upload and bench_gui's upload scenario share it.
inline void tusUpload(HttpConnection &http, const QByteArray &token, const QString &filename,
                      QFile &source, qint64 size, qint64 chunkSize, const QDeadlineTimer &deadline)
{
    using Error = HttpConnection::Error;
    const QList<QByteArray> auth { "Authorization: Bearer " + token, "Tus-Resumable: 1.0.0" };
    const HttpConnection::Answer created = http.request(
        "POST", "/api/v1/uploads",
        auth
            + QList<QByteArray> { "Upload-Length: " + QByteArray::number(size),
                                  "Upload-Metadata: filename " + filename.toUtf8().toBase64() });
    if (created.status != 201)
        throw Error { QStringLiteral("POST /api/v1/uploads -> %1: %2")
                          .arg(created.status)
                          .arg(QString::fromUtf8(created.body)) };
    const QByteArray location
        = QUrl::fromEncoded(created.headers.value("location")).path(QUrl::FullyEncoded).toUtf8();
    QByteArray chunk(chunkSize, Qt::Uninitialized);
    for (qint64 offset = 0; offset < size;) {
        if (deadline.hasExpired())
            throw Error { QStringLiteral("timed out at offset %1 of %2").arg(offset).arg(size) };
        const qint64 n = source.read(chunk.data(), std::min<qint64>(chunk.size(), size - offset));
        if (n <= 0)
            throw Error {
                QStringLiteral("cannot read %1 at %2").arg(source.fileName()).arg(offset)
            };
        const HttpConnection::Answer patched = http.request(
            "PATCH", location,
            auth
                + QList<QByteArray> { "Content-Type: application/offset+octet-stream",
                                      "Upload-Offset: " + QByteArray::number(offset) },
            QByteArrayView(chunk.constData(), n));
        const qint64 next = patched.headers.value("upload-offset").toLongLong();
        if (patched.status != 204 || next != offset + n)
            throw Error { QStringLiteral("PATCH at %1 -> %2 (Upload-Offset %3): %4")
                              .arg(offset)
                              .arg(patched.status)
                              .arg(next)
                              .arg(QString::fromUtf8(patched.body)) };
        offset = next;
    }
}
