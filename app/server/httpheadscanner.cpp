#include "app/server/httpheadscanner.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace {

constexpr qint64 kHugeLength = std::numeric_limits<qint64>::max();

// RFC 9110 tchar: the characters of a token (method, header name).
bool isTokenChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u >= '0' && u <= '9')
        return true;
    if ((u | 0x20) >= 'a' && (u | 0x20) <= 'z')
        return true;
    return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool isToken(QByteArrayView s)
{
    return !s.isEmpty() && std::all_of(s.begin(), s.end(), isTokenChar);
}

// Field values and chunk extensions: no control characters but HTAB (obs-text allowed).
bool isFieldText(QByteArrayView s)
{
    return std::none_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && u != '\t') || u == 0x7f;
    });
}

// A request-target: visible ASCII only (clients percent-encode everything else).
bool isTargetText(QByteArrayView s)
{
    return !s.isEmpty() && std::all_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u > 0x20 && u < 0x7f;
    });
}

bool equalsNoCase(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && qstrnicmp(a.data(), a.size(), b.data(), b.size()) == 0;
}

// True when the comma-separated list value holds token (case-insensitive).
bool listContains(QByteArrayView value, QByteArrayView token)
{
    while (!value.isEmpty()) {
        const qsizetype comma = value.indexOf(',');
        const QByteArrayView item = (comma < 0 ? value : value.first(comma)).trimmed();
        if (equalsNoCase(item, token))
            return true;
        if (comma < 0)
            break;
        value = value.sliced(comma + 1);
    }
    return false;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace

HttpHeadScanner::HttpHeadScanner() : HttpHeadScanner(Limits()) { }

HttpHeadScanner::HttpHeadScanner(Limits limits) : m_limits(limits) { }

void HttpHeadScanner::reset()
{
    const Limits limits = m_limits;
    *this = HttpHeadScanner(limits);
}

bool HttpHeadScanner::isIdle() const
{
    return m_phase == Phase::Start;
}

bool HttpHeadScanner::inHead() const
{
    return m_phase == Phase::RequestLine || m_phase == Phase::Headers;
}

bool HttpHeadScanner::inBody() const
{
    switch (m_phase) {
    case Phase::AwaitLimit:
    case Phase::BodyLength:
    case Phase::ChunkSize:
    case Phase::ChunkData:
    case Phase::ChunkDataEnd:
    case Phase::Trailer:
    case Phase::Done:
        return true;
    default:
        return false;
    }
}

bool HttpHeadScanner::awaitsBodyStart() const
{
    if (!m_head.expectContinue || m_bodyBytes != 0)
        return false;
    if (m_phase == Phase::BodyLength)
        return m_remaining == m_head.contentLength;
    if (m_phase == Phase::ChunkSize)
        return m_line.isEmpty() && m_messageBytes == m_headBytes;
    return false;
}

qint64 HttpHeadScanner::opaqueBytesAhead() const
{
    return (m_phase == Phase::BodyLength || m_phase == Phase::ChunkData) ? m_remaining : 0;
}

void HttpHeadScanner::skipOpaque(qint64 count)
{
    count = std::clamp<qint64>(count, 0, opaqueBytesAhead());
    if (count == 0)
        return;
    m_remaining -= count;
    m_bodyBytes += count;
    if (m_remaining == 0)
        m_phase = m_phase == Phase::BodyLength ? Phase::Done : Phase::ChunkDataEnd;
}

HttpHeadScanner::Event HttpHeadScanner::fail(int status, const char *code, const QString &message)
{
    m_phase = Phase::Failed;
    m_failure = { status, QByteArray(code), message };
    m_line.clear();
    return Event::Error;
}

HttpHeadScanner::Event HttpHeadScanner::failBadRequest(const QString &message)
{
    return fail(400, "bad_request", message);
}

HttpHeadScanner::Event HttpHeadScanner::failTooLarge()
{
    return fail(
        413, "payload_too_large",
        tr("The request body is larger than the %1 bytes this endpoint accepts.").arg(m_bodyLimit));
}

HttpHeadScanner::Event HttpHeadScanner::failHeadTooLarge()
{
    return fail(431, "headers_too_large",
                tr("The request head is larger than %1 bytes or has more than %2 header fields.")
                    .arg(m_limits.maxHeadBytes)
                    .arg(m_limits.maxHeaderCount));
}

bool HttpHeadScanner::addMessageBytes(qint64 count)
{
    m_messageBytes += count;
    return m_limits.maxMessageBytes <= 0 || m_messageBytes <= m_limits.maxMessageBytes;
}

bool HttpHeadScanner::takeLine(QByteArrayView data, qsizetype *pos, qsizetype maxLine,
                               bool *overflow)
{
    const char *begin = data.data() + *pos;
    const qsizetype avail = data.size() - *pos;
    const void *newline = std::memchr(begin, '\n', size_t(avail));
    const qsizetype take = newline ? static_cast<const char *>(newline) - begin + 1 : avail;
    if (m_line.size() + take > maxLine) {
        *overflow = true;
        return false;
    }
    m_line.append(begin, take);
    *pos += take;
    return newline != nullptr;
}

HttpHeadScanner::Event HttpHeadScanner::scan(QByteArrayView data, qsizetype *consumed)
{
    qsizetype pos = 0;
    const auto done = [&](Event event) {
        *consumed = pos;
        return event;
    };

    for (;;) {
        switch (m_phase) {
        case Phase::Failed:
            return done(Event::Error);
        case Phase::Upgraded:
            return done(Event::Upgrade);
        case Phase::AwaitLimit:
            // The caller skipped setBodyLimit(): no body is allowed then.
            setBodyLimit(0);
            continue;
        case Phase::Done:
            m_phase = Phase::Start;
            ++m_requestCount;
            return done(Event::MessageComplete);
        default:
            break;
        }
        if (pos >= data.size())
            return done(Event::NeedMore);

        switch (m_phase) {
        case Phase::Start:
            m_head = Head();
            m_headBytes = 0;
            m_messageBytes = 0;
            m_bodyBytes = 0;
            m_remaining = 0;
            m_hostCount = 0;
            m_sawContentLength = m_sawTransferEncoding = false;
            m_upgradeWebSocket = m_connectionUpgrade = m_cookieSeen = false;
            m_phase = Phase::RequestLine;
            [[fallthrough]];
        case Phase::RequestLine:
        case Phase::Headers: {
            const qsizetype before = pos;
            bool overflow = false;
            const bool complete = takeLine(
                data, &pos, m_limits.maxHeadBytes - m_headBytes + m_line.size(), &overflow);
            m_headBytes += pos - before;
            if (overflow)
                return done(failHeadTooLarge());
            if (!complete)
                return done(Event::NeedMore);
            if (m_line.size() < 2 || m_line.at(m_line.size() - 2) != '\r')
                return done(failBadRequest(tr("Lines must end with CRLF.")));
            const QByteArray line = std::exchange(m_line, QByteArray());
            const QByteArrayView content = QByteArrayView(line).chopped(2);
            const Event event
                = m_phase == Phase::RequestLine ? onRequestLine(content) : onHeaderLine(content);
            if (event != Event::NeedMore)
                return done(event);
            break;
        }
        case Phase::BodyLength:
        case Phase::ChunkData: {
            const qint64 n = std::min<qint64>(m_remaining, data.size() - pos);
            pos += qsizetype(n);
            skipOpaque(n);
            break;
        }
        case Phase::ChunkDataEnd: {
            const char c = data.at(pos++);
            if (c != (m_chunkEndSeen == 0 ? '\r' : '\n'))
                return done(failBadRequest(tr("A chunk's data must end with CRLF.")));
            if (++m_chunkEndSeen == 2) {
                m_chunkEndSeen = 0;
                m_phase = Phase::ChunkSize;
            }
            break;
        }
        case Phase::ChunkSize:
        case Phase::Trailer: {
            const qsizetype before = pos;
            bool overflow = false;
            const bool complete = takeLine(data, &pos, m_limits.maxChunkLineBytes, &overflow);
            if (overflow)
                return done(failBadRequest(tr("A chunk size line is too long.")));
            if (!addMessageBytes(pos - before))
                return done(failTooLarge());
            if (!complete)
                return done(Event::NeedMore);
            if (m_line.size() < 2 || m_line.at(m_line.size() - 2) != '\r')
                return done(failBadRequest(tr("Lines must end with CRLF.")));
            const QByteArray line = std::exchange(m_line, QByteArray());
            const QByteArrayView content = QByteArrayView(line).chopped(2);
            if (m_phase == Phase::Trailer) {
                if (!content.isEmpty())
                    return done(failBadRequest(tr("Trailer fields are not supported.")));
                m_phase = Phase::Done;
                break;
            }
            const Event event = onChunkSizeLine(content);
            if (event != Event::NeedMore)
                return done(event);
            break;
        }
        default:
            break;
        }
    }
}

HttpHeadScanner::Event HttpHeadScanner::onRequestLine(QByteArrayView line)
{
    // Clients may send an empty line before a request (RFC 9112 2.2); it counts as head bytes.
    if (line.isEmpty())
        return Event::NeedMore;

    const qsizetype sp1 = line.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0)
        return failBadRequest(tr("The request line is malformed."));
    const QByteArrayView method = line.first(sp1);
    const QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = line.sliced(sp2 + 1);
    if (!isToken(method))
        return failBadRequest(tr("The request method is malformed."));
    if (!isTargetText(target))
        return failBadRequest(tr("The request target is malformed."));
    if (version == "HTTP/1.1")
        m_head.minorVersion = 1;
    else if (version == "HTTP/1.0")
        m_head.minorVersion = 0;
    else
        return failBadRequest(tr("Only HTTP/1.0 and HTTP/1.1 are supported."));
    if (method == "CONNECT")
        return fail(405, "method_not_allowed", tr("CONNECT is not supported."));

    m_head.method = method.toByteArray();
    m_head.target = target.toByteArray();
    qsizetype end = m_head.target.indexOf('?');
    const qsizetype hash = m_head.target.indexOf('#');
    if (hash >= 0 && (end < 0 || hash < end))
        end = hash;
    m_head.path = end < 0 ? m_head.target : m_head.target.first(end);
    m_phase = Phase::Headers;
    return Event::NeedMore;
}

HttpHeadScanner::Event HttpHeadScanner::onHeaderLine(QByteArrayView line)
{
    if (line.isEmpty())
        return onHeadEnd();
    if (++m_head.headerCount > m_limits.maxHeaderCount)
        return failHeadTooLarge();
    if (line.front() == ' ' || line.front() == '\t')
        return failBadRequest(tr("Folded header lines are not allowed."));
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon)))
        return failBadRequest(tr("A header field name is malformed."));
    const QByteArrayView name = line.first(colon);
    const QByteArrayView rawValue = line.sliced(colon + 1);
    if (!isFieldText(rawValue))
        return failBadRequest(tr("A header field value holds control characters."));
    const QByteArrayView value = rawValue.trimmed();
    if (m_head.method != "GET")
        m_head.fields.append({ name.toByteArray().toLower(), value.toByteArray() });

    if (equalsNoCase(name, "content-length")) {
        if (m_sawContentLength)
            return failBadRequest(tr("Content-Length must appear only once."));
        m_sawContentLength = true;
        if (value.isEmpty())
            return failBadRequest(tr("Content-Length must be a decimal number."));
        qint64 length = 0;
        for (const char c : value) {
            if (c < '0' || c > '9')
                return failBadRequest(tr("Content-Length must be a decimal number."));
            if (length > (kHugeLength - 9) / 10)
                length = kHugeLength; // absurdly large: refused as too large, not as malformed
            else
                length = length * 10 + (c - '0');
        }
        m_head.contentLength = length;
    } else if (equalsNoCase(name, "transfer-encoding")) {
        if (m_sawTransferEncoding)
            return failBadRequest(tr("Transfer-Encoding must appear only once."));
        m_sawTransferEncoding = true;
        if (!equalsNoCase(value, "chunked"))
            return failBadRequest(tr("The only supported transfer coding is \"chunked\"."));
        m_head.chunked = true;
    } else if (equalsNoCase(name, "host")) {
        ++m_hostCount;
        m_head.host = value.toByteArray();
    } else if (equalsNoCase(name, "authorization")) {
        m_head.repeatedCredentials |= !m_head.authorization.isNull();
        m_head.authorization = value.toByteArray();
        if (m_head.authorization.isNull())
            m_head.authorization = QByteArray(""); // seen, though empty
    } else if (equalsNoCase(name, "cookie")) {
        m_head.repeatedCredentials |= m_cookieSeen;
        m_cookieSeen = true;
        if (!m_head.cookie.isEmpty())
            m_head.cookie += "; ";
        m_head.cookie += value;
    } else if (equalsNoCase(name, "expect")) {
        if (equalsNoCase(value, "100-continue"))
            m_head.expectContinue = true;
    } else if (equalsNoCase(name, "connection")) {
        if (listContains(value, "close"))
            m_head.connectionClose = true;
        if (listContains(value, "upgrade"))
            m_connectionUpgrade = m_head.anyUpgrade = true;
    } else if (equalsNoCase(name, "upgrade")) {
        m_head.anyUpgrade = true;
        if (listContains(value, "websocket"))
            m_upgradeWebSocket = true;
    }
    return Event::NeedMore;
}

HttpHeadScanner::Event HttpHeadScanner::onHeadEnd()
{
    if (m_sawContentLength && m_head.chunked)
        return failBadRequest(tr("Content-Length and Transfer-Encoding must not both be sent."));
    if (m_head.chunked && m_head.minorVersion == 0)
        return failBadRequest(tr("HTTP/1.0 requests cannot use chunked transfer coding."));
    if (m_hostCount > 1 || (m_head.minorVersion == 1 && m_hostCount == 0))
        return failBadRequest(tr("An HTTP/1.1 request needs exactly one Host header."));

    m_messageBytes = m_headBytes;
    if (m_limits.maxMessageBytes > 0 && m_messageBytes > m_limits.maxMessageBytes)
        return failHeadTooLarge();

    if (m_upgradeWebSocket && m_connectionUpgrade && m_head.method == "GET") {
        if (m_head.chunked || m_head.contentLength > 0)
            return failBadRequest(tr("A WebSocket upgrade request must not have a body."));
        m_head.upgrade = true;
        m_phase = Phase::Upgraded;
        ++m_requestCount;
        return Event::Upgrade;
    }
    m_phase = Phase::AwaitLimit;
    return Event::HeadComplete;
}

void HttpHeadScanner::setBodyLimit(qint64 maxBodyBytes, bool streamed)
{
    if (m_phase != Phase::AwaitLimit)
        return;
    m_bodyLimit = std::max<qint64>(0, maxBodyBytes);
    if (m_head.chunked) {
        m_phase = Phase::ChunkSize;
        return;
    }
    const qint64 length = std::max<qint64>(0, m_head.contentLength);
    if (length == 0) {
        m_phase = Phase::Done;
        return;
    }
    if (length > m_bodyLimit
        || (!streamed && m_limits.maxMessageBytes > 0
            && length > m_limits.maxMessageBytes - m_messageBytes)) {
        failTooLarge();
        return;
    }
    m_messageBytes += length;
    m_remaining = length;
    m_phase = Phase::BodyLength;
}

HttpHeadScanner::Event HttpHeadScanner::onChunkSizeLine(QByteArrayView line)
{
    qint64 size = 0;
    qsizetype i = 0;
    bool huge = false;
    for (; i < line.size(); ++i) {
        const int digit = hexValue(line.at(i));
        if (digit < 0)
            break;
        if (size > (kHugeLength >> 4))
            huge = true;
        else
            size = (size << 4) | digit;
    }
    if (i == 0)
        return failBadRequest(tr("A chunk size is malformed."));
    if (i < line.size()) {
        // Only chunk extensions may follow the size, without whitespace in between.
        if (line.at(i) != ';' || !isFieldText(line.sliced(i + 1)))
            return failBadRequest(tr("A chunk size is malformed."));
    }
    if (huge)
        return failTooLarge();
    if (size == 0) {
        m_phase = Phase::Trailer;
        return Event::NeedMore;
    }
    if (size > m_bodyLimit - m_bodyBytes)
        return failTooLarge();
    if (!addMessageBytes(size) || !addMessageBytes(2))
        return failTooLarge();
    m_remaining = size;
    m_phase = Phase::ChunkData;
    return Event::NeedMore;
}
