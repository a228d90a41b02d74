#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

// An incremental, strict HTTP/1.1 request framing scanner. It sees the same bytes as
// QHttpServer, before QHttpServer buffers them, and decides where each request's head and
// body end, so the guard can refuse a request while it is still arriving: head size and
// header count limits (431), declared or actual body over the route's limit (413), and
// framing that QHttpServer would accept loosely or differently (400): duplicate
// Content-Length, Content-Length with Transfer-Encoding, codings other than "chunked",
// folded headers, bare LF, bad chunk lines, trailers. A WebSocket upgrade head makes it step
// aside for good. It never buffers a body: body bytes are only counted.
//
// Usage: call scan() with the next bytes; it stops right after an event and says how much it
// consumed. After HeadComplete call setBodyLimit() before scanning on.
class HttpHeadScanner final
{
    Q_DECLARE_TR_FUNCTIONS(HttpHeadScanner)

public:
    struct Limits
    {
        qsizetype maxHeadBytes = 32 * 1024; // request line + header lines + blank line
        int maxHeaderCount = 100;
        qsizetype maxChunkLineBytes = 1024; // one chunk-size line with its extensions
        qint64 maxMessageBytes = 0; // head + framed body; 0 = no limit (backstop)
    };

    enum class Event {
        NeedMore, // all input consumed, nothing to report
        HeadComplete, // a request head ended: call setBodyLimit(), then scan on
        MessageComplete, // the request ended (body included); next bytes start a new one
        Upgrade, // a WebSocket upgrade head ended: the scanner steps aside for good
        Error // see failure(); the scanner stays failed until reset()
    };

    struct Head
    {
        QByteArray method;
        QByteArray target; // request-target as sent
        QByteArray path; // target without query and fragment
        int minorVersion = 1; // HTTP/1.x
        qint64 contentLength = -1; // -1 = no Content-Length header
        bool chunked = false;
        bool expectContinue = false;
        bool connectionClose = false;
        bool upgrade = false; // WebSocket upgrade
        int headerCount = 0;
        QByteArray authorization; // kept so the guard can authenticate before any body
        QByteArray cookie; // several Cookie lines are joined with "; "
        QByteArray host; // the Host value, trimmed (exactly one per HTTP/1.1 request)
        // Seen for the answer cache, which serves only plain requests: an Authorization or
        // Cookie line more than once, any Upgrade header or "Connection: upgrade".
        bool repeatedCredentials = false;
        bool anyUpgrade = false;
        // Every header line of a request that is not a GET (lower-case name, trimmed value),
        // so the guard can check a request whose body it streams (a tus PATCH) as the front
        // door would, before QHttpServer has seen it.
        QList<std::pair<QByteArray, QByteArray>> fields;
        // The value of a header that appears once in `fields`; nullopt when absent or repeated.
        std::optional<QByteArray> field(QByteArrayView lowerName) const
        {
            std::optional<QByteArray> found;
            for (const auto &[name, value] : fields) {
                if (name != lowerName)
                    continue;
                if (found)
                    return std::nullopt;
                found = value;
            }
            return found;
        }
    };

    struct Failure
    {
        int status = 0; // 400, 405, 413, 431
        QByteArray code; // bad_request, method_not_allowed, payload_too_large, headers_too_large
        QString message; // human readable, translated
    };

    HttpHeadScanner();
    explicit HttpHeadScanner(Limits limits);

    // Scans from the start of data; stops right after an event. *consumed gets the number of
    // bytes used (all of them for NeedMore; 0 once failed or upgraded).
    Event scan(QByteArrayView data, qsizetype *consumed);

    // Body bytes ahead that need no inspection (Content-Length payload or chunk data); the
    // caller may account for up to that many with skipOpaque() instead of scan().
    qint64 opaqueBytesAhead() const;
    void skipOpaque(qint64 count);

    // The body limit of the request whose head just completed. A declared Content-Length over
    // it fails at once (413), before a single body byte; chunked bodies fail as they grow.
    // streamed: the body does not go to QHttpServer's buffer (the guard hands it on as it
    // arrives), so the backstop of Limits::maxMessageBytes does not apply to it.
    void setBodyLimit(qint64 maxBodyBytes, bool streamed = false);

    const Head &head() const { return m_head; }
    const Failure &failure() const { return m_failure; }
    const Limits &limits() const { return m_limits; }

    bool isFailed() const { return m_phase == Phase::Failed; }
    bool isUpgraded() const { return m_phase == Phase::Upgraded; }
    bool isIdle() const; // between requests, no byte of the next one seen yet
    bool inHead() const;
    bool inBody() const; // head done, body not finished (includes waiting for setBodyLimit)
    // Head done with Expect: 100-continue, a body is due, and none of it has arrived.
    bool awaitsBodyStart() const;
    qint64 bodyBytes() const { return m_bodyBytes; } // decoded body bytes of this request
    qint64 requestCount() const { return m_requestCount; } // complete requests so far

    void reset();

private:
    enum class Phase {
        Start,
        RequestLine,
        Headers,
        AwaitLimit,
        BodyLength,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailer,
        Done,
        Upgraded,
        Failed
    };

    Event fail(int status, const char *code, const QString &message);
    Event failBadRequest(const QString &message);
    Event failTooLarge();
    Event failHeadTooLarge();
    // Appends bytes up to and including LF to m_line; true when a full line is ready.
    bool takeLine(QByteArrayView data, qsizetype *pos, qsizetype maxLine, bool *overflow);
    Event onRequestLine(QByteArrayView line);
    Event onHeaderLine(QByteArrayView line);
    Event onHeadEnd();
    Event onChunkSizeLine(QByteArrayView line);
    bool addMessageBytes(qint64 count); // false when over maxMessageBytes

    Limits m_limits;
    Phase m_phase = Phase::Start;
    Head m_head;
    Failure m_failure;
    QByteArray m_line;
    qsizetype m_headBytes = 0;
    qint64 m_messageBytes = 0;
    qint64 m_bodyLimit = 0;
    qint64 m_bodyBytes = 0;
    qint64 m_remaining = 0; // of the Content-Length body or the current chunk
    qint64 m_requestCount = 0;
    int m_chunkEndSeen = 0; // CR/LF bytes after a chunk's data
    int m_hostCount = 0;
    bool m_sawContentLength = false;
    bool m_sawTransferEncoding = false;
    bool m_upgradeWebSocket = false;
    bool m_connectionUpgrade = false;
    bool m_cookieSeen = false;
};
