// libFuzzer target for the tus headers (TusHeaders): the input is up to three header values
// separated by '\n' (Upload-Length/Offset, Upload-Metadata, Upload-Checksum). Whatever parses
// must survive a round trip through its own encoding; violations abort().
#include "app/server/tusheaders.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QList<QByteArray> lines
        = QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)).split('\n');
    const QByteArray count = lines.value(0);
    const QByteArray metadata = lines.value(1);
    const QByteArray checksum = lines.value(2);

    if (const auto n = TusHeaders::parseCount(count)) {
        if (*n < 0 || *n != count.trimmed().toLongLong()
            || TusHeaders::parseCount(QByteArray::number(*n)) != n)
            std::abort();
    }
    if (const auto map = TusHeaders::parseMetadata(metadata)) {
        QList<QByteArray> pairs;
        for (auto it = map->begin(); it != map->end(); ++it) {
            if (it.key().isEmpty() || it.key().contains(u' ') || it.key().contains(u','))
                std::abort();
            pairs.append(it.key().toLatin1() + ' ' + it.value().toBase64());
        }
        if (TusHeaders::parseMetadata(pairs.join(',')) != map)
            std::abort();
    }
    if (const auto parsed = TusHeaders::parseChecksum(checksum)) {
        if (parsed->digest) {
            const QByteArray name = checksum.trimmed().split(' ').first();
            const auto again = TusHeaders::parseChecksum(name + ' ' + parsed->digest->toBase64());
            if (!again || again->algorithm != parsed->algorithm || again->digest != parsed->digest)
                std::abort();
        }
    }
    return 0;
}
