// libFuzzer target for HttpHeadScanner: arbitrary bytes, arbitrary splits, arbitrary limits.
// The first input byte picks the split size and the body limit; invariants are checked with
// abort() so both libFuzzer and the ctest replay catch violations.
#include "app/server/httpheadscanner.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const qsizetype step = 1 + (data[0] & 0x3f);
    const qint64 bodyLimit = qint64(data[0] >> 6) * 64;
    HttpHeadScanner::Limits limits;
    limits.maxHeadBytes = 512;
    limits.maxHeaderCount = 8;
    limits.maxMessageBytes = 2048;
    HttpHeadScanner scanner(limits);

    const QByteArrayView input(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    qint64 completed = 0;
    for (qsizetype offset = 0; offset < input.size();) {
        QByteArrayView piece = input.sliced(offset, std::min(step, input.size() - offset));
        offset += piece.size();
        for (int guard = 0;; ++guard) {
            if (guard > 100000)
                std::abort(); // no progress
            qsizetype used = -1;
            const auto event = scanner.scan(piece, &used);
            if (used < 0 || used > piece.size())
                std::abort();
            piece = piece.sliced(used);
            if (event == HttpHeadScanner::Event::NeedMore) {
                if (!piece.isEmpty())
                    std::abort();
                break;
            }
            if (event == HttpHeadScanner::Event::Error) {
                const int status = scanner.failure().status;
                if (status != 400 && status != 405 && status != 413 && status != 431)
                    std::abort();
                return 0;
            }
            if (event == HttpHeadScanner::Event::Upgrade)
                return 0;
            if (event == HttpHeadScanner::Event::HeadComplete) {
                if (scanner.head().method.isEmpty() || !scanner.head().path.startsWith(""))
                    std::abort();
                scanner.setBodyLimit(bodyLimit);
            }
            if (event == HttpHeadScanner::Event::MessageComplete) {
                ++completed;
                if (scanner.requestCount() != completed || !scanner.isIdle())
                    std::abort();
            }
            if (scanner.bodyBytes() > bodyLimit)
                std::abort();
        }
    }
    return 0;
}
