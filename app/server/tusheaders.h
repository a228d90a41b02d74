#pragma once

#include <QByteArray>
#include <QCryptographicHash>
#include <QHash>
#include <QString>

#include <optional>

// The tus request headers UploadApi reads, as pure functions (fuzzed by tests/fuzz).
class TusHeaders final
{
public:
    TusHeaders() = delete;

    struct Checksum
    {
        QCryptographicHash::Algorithm algorithm;
        std::optional<QByteArray> digest; // decoded; nullopt unless base64 of the right length
    };

    // A non-negative decimal header value ("Upload-Offset: 42"); nullopt if absent or malformed.
    static std::optional<qint64> parseCount(const QByteArray &value);
    // "filename d29ybGQ=,is_confidential" -> {filename: "world", is_confidential: ""}
    static std::optional<QHash<QString, QByteArray>> parseMetadata(const QByteArray &header);
    // "sha256 BASE64DIGEST" (sha1, sha256 or md5); nullopt if it is not "name digest".
    static std::optional<Checksum> parseChecksum(const QByteArray &header);
};
