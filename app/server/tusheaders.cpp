#include "tusheaders.h"

#include <QList>

std::optional<qint64> TusHeaders::parseCount(const QByteArray &value)
{
    const QByteArray v = value.trimmed();
    if (v.isEmpty() || v.size() > 18)
        return std::nullopt;
    for (const char c : v) {
        if (c < '0' || c > '9')
            return std::nullopt;
    }
    return v.toLongLong();
}

std::optional<QHash<QString, QByteArray>> TusHeaders::parseMetadata(const QByteArray &header)
{
    QHash<QString, QByteArray> result;
    if (header.trimmed().isEmpty())
        return result;
    for (const QByteArray &pair : header.split(',')) {
        const QList<QByteArray> parts = pair.trimmed().split(' ');
        if (parts.isEmpty() || parts.size() > 2 || parts.first().isEmpty())
            return std::nullopt;
        // Keys are printable ASCII without spaces (tus 1.0); a control character kept in a key
        // ("k\r v") would not survive the header being sent back (found by tests/fuzz).
        for (const char c : parts.first()) {
            if (c <= ' ' || c > '~')
                return std::nullopt;
        }
        QByteArray value;
        if (parts.size() == 2) {
            const auto decoded = QByteArray::fromBase64Encoding(
                parts.at(1), QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                return std::nullopt;
            value = *decoded;
        }
        result.insert(QString::fromLatin1(parts.first()), value);
    }
    return result;
}

std::optional<TusHeaders::Checksum> TusHeaders::parseChecksum(const QByteArray &header)
{
    const QList<QByteArray> parts = header.trimmed().split(' ');
    std::optional<QCryptographicHash::Algorithm> algorithm;
    const QByteArray name = parts.first().toLower();
    if (name == "sha1")
        algorithm = QCryptographicHash::Sha1;
    else if (name == "sha256")
        algorithm = QCryptographicHash::Sha256;
    else if (name == "md5")
        algorithm = QCryptographicHash::Md5;
    if (parts.size() != 2 || !algorithm)
        return std::nullopt;
    Checksum checksum { *algorithm, std::nullopt };
    // A digest of the wrong length (Qt decodes "2" as empty) could never match: answering
    // 460 "send it again" would make a client resend forever (found by tests/fuzz).
    const auto decoded
        = QByteArray::fromBase64Encoding(parts.at(1), QByteArray::AbortOnBase64DecodingErrors);
    if (decoded && (*decoded).size() == QCryptographicHash::hashLength(*algorithm))
        checksum.digest = *decoded;
    return checksum;
}
