#include "app/server/guardedsocket.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMetaMethod>

#include <algorithm>
#include <limits>
#include <sys/socket.h>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcGuard, "headway.server.guard", QtInfoMsg)

namespace {

HttpHeadScanner::Limits scannerLimits(const HttpGuardOptions &options)
{
    HttpHeadScanner::Limits limits = options.scanner;
    // QHttpServer holds a whole request in the socket buffer: it must fit the backstop.
    if (options.readBufferSize > 0)
        limits.maxMessageBytes = options.readBufferSize;
    return limits;
}

QByteArrayView reasonPhrase(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 413:
        return "Payload Too Large";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

// Qt's WebSocket handshake answer carries Access-Control-Allow-* lines; a WebSocket needs no
// CORS and README promises none: the 101 goes out without them.
QByteArray withoutCorsHeaders(QByteArrayView response)
{
    const qsizetype headEnd = response.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return response.toByteArray();
    QByteArray out;
    out.reserve(response.size());
    for (qsizetype start = 0; start <= headEnd;) {
        const qsizetype end = response.indexOf("\r\n", start);
        const QByteArrayView line = response.sliced(start, end - start + 2);
        if (line.size() < 15 || qstrnicmp(line.data(), "access-control-", 15) != 0)
            out += line;
        start = end + 2;
    }
    return out + response.sliced(headEnd + 2);
}

// While lingering, QAbstractSocket buffers at most this much; we skip it as it comes.
constexpr qint64 kLingerReadBuffer = 64 * 1024;

} // namespace

GuardedSocket::GuardedSocket(std::shared_ptr<const HttpGuardOptions> options, QObject *parent)
    : QTcpSocket(parent),
      m_options(options ? std::move(options) : std::make_shared<const HttpGuardOptions>()),
      m_scanner(scannerLimits(*m_options))
{
    m_clock.start();
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &GuardedSocket::onTimeout);
    // Connected before addPendingConnection() hands the socket to QHttpServer, so this slot
    // runs before QHttpServer's readyRead slot and sees bytes before they are buffered.
    m_readConnection = connect(this, &QIODevice::readyRead, this, &GuardedSocket::onReadyRead);
    connect(this, &QIODevice::bytesWritten, this, &GuardedSocket::onBytesWritten);
    m_disconnectedConnection = connect(this, &QAbstractSocket::disconnected, this, [this] {
        m_timer.stop();
        m_scheduled = -1;
        endSink();
    });
    // Backstop only: over-limit requests are refused by the scanner long before this fills.
    setReadBufferSize(m_options->readBufferSize);
    armTimer();
}

GuardedSocket::~GuardedSocket()
{
    // ~QAbstractSocket emits disconnected() after our members (m_timer) are gone: our own
    // slots must not run then (UBSan: member call on a destroyed QTimer). Only ours: QHttpServer
    // frees its per-connection request from a lambda on this socket too.
    disconnect(m_disconnectedConnection);
    disconnect(m_readConnection);
    disconnect(this, &QIODevice::bytesWritten, this, &GuardedSocket::onBytesWritten);
    disconnect(m_afterConnection);
    endSink();
}

void GuardedSocket::endSink()
{
    // The connection is gone mid-body: the sink keeps what arrived (a tus PATCH's offset).
    if (m_sink) {
        m_sink->finish(BodySink::End::Lost);
        m_sink.reset();
    }
}

void GuardedSocket::setLongLived(bool longLived)
{
    m_longLived = longLived;
    m_timer.stop();
    m_scheduled = -1;
    armTimer();
}

QByteArray GuardedSocket::errorResponse(int status, QByteArrayView code, const QString &message)
{
    const QJsonObject error { { u"code"_s, QString::fromLatin1(code) }, { u"message"_s, message } };
    const QByteArray body
        = QJsonDocument(QJsonObject { { u"error"_s, error } }).toJson(QJsonDocument::Compact);
    QByteArray response;
    response.reserve(512 + body.size());
    response += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status).toByteArray()
        + "\r\nContent-Type: application/json"
          "\r\nContent-Length: "
        + QByteArray::number(body.size())
        + "\r\nConnection: close"
          "\r\nCache-Control: no-store"
          "\r\nX-Content-Type-Options: nosniff"
          "\r\nX-Frame-Options: SAMEORIGIN"
          "\r\nReferrer-Policy: no-referrer"
          "\r\nContent-Security-Policy: default-src 'self'; frame-ancestors 'self'"
          "\r\n\r\n"
        + body;
    return response;
}

void GuardedSocket::onReadyRead()
{
    if (m_mode != Mode::Guarding)
        return;
    // bytesAvailable() counts what QHttpServer has not read yet (inside its read transaction,
    // only the bytes since the last readyRead). Its front may be bytes we scanned before: the
    // rest of a pipeline QHttpServer left after a complete request and signals again. Each
    // byte is scanned once, so both parsers keep the same framing (issue 15, W2).
    const qint64 available = bytesAvailable();
    const qint64 fresh = available - std::min(available, m_scannedUnread);
    if (fresh <= 0)
        return;
    m_lastActivity = now();
    // The guard may take requests itself (answer them, stream their body) only where
    // QHttpServer stands between requests too: no earlier byte left unread (a pipeline's rest)
    // and none of a request half read. A body the guard streams is never QHttpServer's at all.
    const bool atBoundary
        = fresh == available && m_scanner.isIdle() && !m_answersHeld && !m_longLived;
    bool answering = m_options->answer && atBoundary;
    bool streaming = m_options->streamBody && atBoundary; // the first request of these bytes
    qsizetype answeredBytes = 0; // the leading bytes of `bytes` whose requests were answered
    QByteArray answers;

    // Body payload needs counting, not reading: skip the copy for it. A streamed body's bytes
    // are at the buffer's front: they go to its sink.
    const qint64 opaque = std::min(fresh, m_scanner.opaqueBytesAhead());
    m_scanner.skipOpaque(opaque);
    m_scannedBytes += fresh;
    qint64 consumed = 0; // taken off the buffer's front by the guard
    if (m_sink && opaque > 0) {
        if (!feedSink(opaque))
            return;
        consumed = opaque;
    }
    QByteArray bytes;
    if (fresh > opaque)
        bytes = peek(available - consumed).sliced(available - consumed - (fresh - opaque));
    // Until the slot behind QHttpServer's says otherwise, everything unread has been scanned.
    m_scannedUnread = m_afterConnection ? available - consumed : 0;
    QByteArrayView rest(bytes);
    qsizetype sinkFrom = -1; // where in `bytes` the body of a request streamed here starts
    qsizetype taken = 0; // the leading bytes of `bytes` taken off the buffer for the sink

    for (bool more = true; more;) {
        const bool headWasPending = m_scanner.inHead();
        qsizetype used = 0;
        const HttpHeadScanner::Event event = m_scanner.scan(rest, &used);
        rest = rest.sliced(used);
        if (!headWasPending && m_scanner.inHead())
            m_headStart = m_lastActivity; // a new request started in these bytes
        switch (event) {
        case HttpHeadScanner::Event::NeedMore:
            more = false;
            break;
        case HttpHeadScanner::Event::HeadComplete: {
            const HttpHeadScanner::Head &head = m_scanner.head();
            m_bodyStart = m_lastActivity;
            if ((head.contentLength > 0 || head.chunked) && m_options->authorizeBody
                && !m_options->authorizeBody(head)) {
                reject(401, "unauthorized",
                       tr("A token is needed before a request body is accepted: send "
                          "Authorization: Bearer TOKEN."));
                return;
            }
            std::unique_ptr<BodySink> sink;
            if (streaming && head.contentLength > 0 && !head.chunked && !head.upgrade
                && !head.anyUpgrade) {
                QByteArray refusal;
                sink = m_options->streamBody(head, &refusal);
                if (!sink && !refusal.isEmpty()) {
                    rejectWith(refusal, "refused");
                    return;
                }
            }
            streaming = false;
            if (sink) {
                m_scanner.setBodyLimit(sink->maxBytes(), true);
                if (m_scanner.isFailed()) {
                    sink->finish(BodySink::End::Lost); // 413 below: nothing was taken
                } else {
                    m_sink = std::move(sink);
                    sinkFrom = bytes.size() - rest.size();
                    answering = false;
                }
            } else {
                const qint64 limit = m_options->bodyLimit
                    ? m_options->bodyLimit(head.method, head.path)
                    : m_options->defaultBodyLimit;
                m_scanner.setBodyLimit(limit);
            }
            answering = answering && isPlainGet(head);
            if (m_scanner.awaitsBodyStart() && !m_continueQueued) {
                // After QHttpServer's slot has run on these bytes, so any response it wrote
                // for an earlier request goes out first.
                m_continueQueued = true;
                QMetaObject::invokeMethod(this, &GuardedSocket::maybeSendContinue,
                                          Qt::QueuedConnection);
            }
            break;
        }
        case HttpHeadScanner::Event::MessageComplete:
            streaming = false;
            if (m_sink) {
                // The streamed request ends here: the rest of these bytes are QHttpServer's.
                const qsizetype end = bytes.size() - rest.size();
                if (!takeForSink(std::max<qsizetype>(sinkFrom, 0), end, &taken))
                    return;
                const QByteArray response = m_sink->finish(BodySink::End::Complete);
                m_sink.reset();
                sinkFrom = -1;
                write(response);
                flush();
                answering = false;
                if (m_scanner.head().connectionClose) {
                    disconnectFromHost(); // as the front door does for a client that asks
                    return;
                }
                break;
            }
            if (answering) {
                QByteArray response;
                answering = m_options->answer(m_scanner.head(), &response);
                if (answering) {
                    answers += response; // shares the cached bytes when it is the only one
                    answeredBytes = bytes.size() - rest.size();
                    ++m_answered;
                }
            }
            break;
        case HttpHeadScanner::Event::Upgrade:
            stepAside();
            return;
        case HttpHeadScanner::Event::Error: {
            const HttpHeadScanner::Failure failure = m_scanner.failure();
            reject(failure.status, failure.code, failure.message);
            return;
        }
        }
    }
    // A body streamed from these bytes on goes on in the next ones: take what came so far.
    if (m_sink && sinkFrom >= 0 && !takeForSink(sinkFrom, bytes.size(), &taken))
        return;
    if (answeredBytes > 0) {
        // QHttpServer's open read transaction, if any, holds nothing (see `atBoundary`): end
        // it, so the answered requests leave the buffer for good instead of being kept for it.
        if (isTransactionStarted())
            commitTransaction();
        skip(answeredBytes);
        write(answers);
        flush(); // one write() now, not a write notifier's round trip
    }
    if (m_afterConnection && (taken > 0 || answeredBytes > 0 || consumed > 0))
        m_scannedUnread = bytesAvailable();
    armTimer();
}

bool GuardedSocket::feedSink(qint64 count)
{
    // QHttpServer's open read transaction holds nothing of a streamed request: end it, so the
    // bytes taken here leave the buffer instead of being kept for a rollback.
    if (isTransactionStarted())
        commitTransaction();
    const QByteArray piece = read(count);
    if (m_sink->write(piece))
        return true;
    const QByteArray response = m_sink->finish(BodySink::End::Failed);
    m_sink.reset();
    rejectWith(response, "stream_failed");
    return false;
}

bool GuardedSocket::takeForSink(qsizetype from, qsizetype to, qsizetype *taken)
{
    if (isTransactionStarted())
        commitTransaction();
    if (from > *taken)
        skip(from - *taken); // the request's head: nobody else's to read
    *taken = std::max(*taken, from);
    if (to > *taken) {
        const qint64 count = to - *taken;
        *taken = to;
        return feedSink(count);
    }
    return true;
}

bool GuardedSocket::isPlainGet(const HttpHeadScanner::Head &head)
{
    return head.method == "GET" && head.minorVersion == 1 && head.contentLength < 0 && !head.chunked
        && !head.expectContinue && !head.connectionClose && !head.upgrade && !head.anyUpgrade
        && !head.repeatedCredentials;
}

qint64 GuardedSocket::writeData(const char *data, qint64 len)
{
    // The first write after stepping aside for an upgrade is QWebSocketServer's handshake.
    if (m_mode == Mode::SteppedAside && !m_upgradeAnswered) {
        m_upgradeAnswered = true;
        const QByteArrayView bytes(data, len);
        if (bytes.startsWith("HTTP/1.1 101")) {
            const QByteArray filtered = withoutCorsHeaders(bytes);
            return QTcpSocket::writeData(filtered.constData(), filtered.size()) == filtered.size()
                ? len
                : -1;
        }
    }
    return QTcpSocket::writeData(data, len);
}

void GuardedSocket::connectNotify(const QMetaMethod &signal)
{
    QTcpSocket::connectNotify(signal);
    // QHttpServer connects its readyRead slot after ours: connect one more behind it, to see
    // how much it left unread.
    if (signal == QMetaMethod::fromSignal(&QIODevice::readyRead) && m_readConnection
        && !m_afterConnection && !m_connectingAfter) {
        m_connectingAfter = true; // this connect() notifies too
        m_afterConnection
            = connect(this, &QIODevice::readyRead, this, &GuardedSocket::afterHttpServerRead);
        m_connectingAfter = false;
    }
}

void GuardedSocket::afterHttpServerRead()
{
    // Nothing arrives during one readyRead emission: what is unread now was all scanned.
    if (m_mode == Mode::Guarding)
        m_scannedUnread = bytesAvailable();
}

void GuardedSocket::maybeSendContinue()
{
    m_continueQueued = false;
    if (m_mode != Mode::Guarding || state() != QAbstractSocket::ConnectedState)
        return;
    // QHttpServer read everything and waits for the body; the client waits for us.
    if (m_scanner.awaitsBodyStart() && bytesAvailable() == 0)
        write("HTTP/1.1 100 Continue\r\n\r\n");
}

void GuardedSocket::stepAside()
{
    // QHttpServer hands the socket to QWebSocketServer in this same readyRead emission (and
    // disconnects every slot, ours included); the WebSocket layer bounds frames from then on.
    m_mode = Mode::SteppedAside;
    m_timer.stop();
    m_scheduled = -1;
    QMetaObject::invokeMethod(this, &GuardedSocket::verifyHandedOver, Qt::QueuedConnection);
}

void GuardedSocket::verifyHandedOver()
{
    // Still wired to us and open means QHttpServer did not take the upgrade: this connection
    // would go on unguarded, so end it.
    if (m_readConnection && state() == QAbstractSocket::ConnectedState) {
        qCWarning(lcGuard, "upgrade request was not taken over; closing the connection");
        abort();
    }
}

void GuardedSocket::reject(int status, const QByteArray &code, const QString &message)
{
    rejectWith(errorResponse(status, code, message), code);
}

void GuardedSocket::rejectWith(const QByteArray &response, const QByteArray &code)
{
    if (m_mode == Mode::Rejecting)
        return;
    m_mode = Mode::Rejecting;
    const int status = response.mid(9, 3).toInt();
    qCDebug(lcGuard) << "refusing request:" << status << code << peerAddress();
    if (m_sink) {
        m_sink->finish(BodySink::End::Lost); // what arrived is kept
        m_sink.reset();
    }

    // Detach QHttpServer: it must neither parse nor buffer another byte of this connection.
    disconnect(this, &QIODevice::readyRead, nullptr, nullptr);
    connect(this, &QIODevice::readyRead, this, &GuardedSocket::drain);
    if (isTransactionStarted())
        commitTransaction(); // drops what QHttpServer had read of the refused request
    setReadBufferSize(kLingerReadBuffer);

    m_lingerStart = now();
    m_timer.stop();
    m_scheduled = -1;
    armTimer();

    write(response);
    flush();
    onBytesWritten();
    drain();
    Q_EMIT rejected(status, code);
}

void GuardedSocket::drain()
{
    if (m_mode != Mode::Rejecting)
        return;
    const qint64 budget = m_options->lingerMaxBytes - m_drained;
    if (budget > 0)
        m_drained += skip(std::min(bytesAvailable(), budget));
    // Past the budget, leave bytes unread (TCP flow control stops the client) until the
    // response is out; then close.
    if (m_drained >= m_options->lingerMaxBytes && m_writeShutDown)
        finishLinger();
}

void GuardedSocket::finishLinger()
{
    m_timer.stop();
    m_scheduled = -1;
    if (state() != QAbstractSocket::UnconnectedState)
        abort();
}

void GuardedSocket::onBytesWritten()
{
    m_lastActivity = now();
    if (m_mode != Mode::Rejecting || m_writeShutDown || bytesToWrite() > 0)
        return;
    // The error response is out: half-close so the client reads it to the end and sees EOF,
    // while we keep reading (and discarding) so the kernel sends no RST over unread data.
    if (state() == QAbstractSocket::ConnectedState)
        ::shutdown(int(socketDescriptor()), SHUT_WR);
    m_writeShutDown = true;
    if (m_drained >= m_options->lingerMaxBytes)
        finishLinger();
}

qint64 GuardedSocket::deadline() const
{
    using std::chrono::milliseconds;
    const auto ms = [](milliseconds d) { return qint64(d.count()); };
    switch (m_mode) {
    case Mode::SteppedAside:
        return -1;
    case Mode::Rejecting:
        return m_lingerStart + ms(m_options->lingerTimeout);
    case Mode::Guarding:
        break;
    }
    if (m_scanner.inHead())
        return m_headStart + ms(m_options->headTimeout);
    // A streamed body holds no memory: only silence ends it, not its total time.
    if (m_scanner.inBody() && m_sink)
        return m_lastActivity + ms(m_options->bodyIdleTimeout);
    if (m_scanner.inBody())
        return std::min(m_lastActivity + ms(m_options->bodyIdleTimeout),
                        m_bodyStart + ms(m_options->bodyTimeout));
    return m_longLived ? -1 : m_lastActivity + ms(m_options->idleTimeout);
}

void GuardedSocket::armTimer()
{
    // Activity only pushes deadlines later, so the timer is re-armed only when a deadline
    // moves earlier; onTimeout() re-checks and re-arms for the remainder.
    const qint64 due = deadline();
    if (due < 0) {
        m_timer.stop();
        m_scheduled = -1;
        return;
    }
    if (m_timer.isActive() && m_scheduled >= 0 && m_scheduled <= due)
        return;
    m_scheduled = due;
    m_timer.start(int(std::clamp<qint64>(due - now(), 0, std::numeric_limits<int>::max())));
}

void GuardedSocket::onTimeout()
{
    m_scheduled = -1;
    const qint64 due = deadline();
    if (due < 0 || state() == QAbstractSocket::UnconnectedState)
        return;
    if (now() < due) {
        armTimer();
        return;
    }
    switch (m_mode) {
    case Mode::SteppedAside:
        return;
    case Mode::Rejecting:
        finishLinger();
        return;
    case Mode::Guarding:
        break;
    }
    if (!m_readConnection) {
        m_mode = Mode::SteppedAside; // someone else took the socket over
        return;
    }
    if (m_scanner.isIdle()) {
        qCDebug(lcGuard) << "closing idle connection" << peerAddress();
        disconnectFromHost();
        return;
    }
    reject(408, "request_timeout", tr("The request was not received in time."));
}
