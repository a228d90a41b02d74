#pragma once

#include "app/server/bodysink.h"
#include "app/server/httpheadscanner.h"

#include <QByteArrayView>
#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>

// What the transport guard enforces; shared by GuardedTcpServer and its sockets.
struct HttpGuardOptions
{
    using BodyLimit = std::function<qint64(QByteArrayView method, QByteArrayView path)>;
    using Authorize = std::function<bool(const HttpHeadScanner::Head &head)>;
    using Answer = std::function<bool(const HttpHeadScanner::Head &head, QByteArray *response)>;
    using StreamBody = std::function<std::unique_ptr<BodySink>(const HttpHeadScanner::Head &head,
                                                               QByteArray *refusal)>;

    HttpHeadScanner::Limits scanner; // head size and header count (431), chunk line length
    // Largest body per request; unset = defaultBodyLimit for every route.
    BodyLimit bodyLimit;
    qint64 defaultBodyLimit = 1024 * 1024;
    // Asked for each request that announces a body, on its head: false = 401 and close before
    // a body byte is taken, so a client without the token holds no memory. Unset = all pass.
    Authorize authorizeBody;
    // Asked for each plain GET (HTTP/1.1, no body, keep-alive, no upgrade) that arrives whole
    // where QHttpServer has nothing of an earlier request pending: true with the complete
    // response (status line, headers, body) and the guard writes it itself, consuming the
    // request before QHttpServer parses it (the answer cache of the polling routes). Pipelined
    // requests keep their order: the guard answers only a leading run of such requests and
    // leaves the rest, in order, to QHttpServer. Unset = QHttpServer answers everything.
    Answer answer;
    // Asked for the first request with a Content-Length body that arrives where QHttpServer
    // stands between requests: a sink takes the request, head and body, and the guard hands it
    // the body as it arrives (never buffered whole) and writes its answer; null with a
    // refusal: the guard writes that and closes; null alone: QHttpServer's, as any request.
    StreamBody streamBody;
    // Backstop for QAbstractSocket's buffer; every accepted request must fit in it (head and
    // framed body), so requests bigger than this get 413 even if bodyLimit allows them.
    qint64 readBufferSize = 16 * 1024 * 1024;
    std::chrono::milliseconds headTimeout { 10'000 }; // whole head from its first byte
    std::chrono::milliseconds bodyIdleTimeout { 30'000 }; // silence in the middle of a body
    std::chrono::milliseconds bodyTimeout { 120'000 }; // whole body from the end of its head
    std::chrono::milliseconds idleTimeout { 60'000 }; // keep-alive silence (reads or writes)
    std::chrono::milliseconds lingerTimeout { 2'000 }; // draining after an error response
    qint64 lingerMaxBytes = 1024 * 1024;
    // Open connections at once, in all and from one address; more are answered 503 and
    // closed. The total is also kept below the descriptor limit (see GuardedTcpServer).
    int maxConnections = 4096;
    int maxConnectionsPerAddress = 2048;
};

// A QTcpSocket that guards QHttpServer (Qt 6.4) against requests it would buffer without
// limit. Its first readyRead slot is connected in the constructor, so it runs before
// QHttpServer's; it peek()s the bytes QHttpServer has not consumed yet and feeds
// HttpHeadScanner. Over a limit it detaches QHttpServer from the socket, answers 413/431/400
// itself with Connection: close and closes lingeringly. It also answers Expect: 100-continue,
// times out slow and idle connections and steps aside on a WebSocket upgrade.
class GuardedSocket final : public QTcpSocket
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GuardedSocket)

public:
    enum class Mode { Guarding, SteppedAside, Rejecting };

    explicit GuardedSocket(std::shared_ptr<const HttpGuardOptions> options,
                           QObject *parent = nullptr);
    ~GuardedSocket() override;

    Mode mode() const { return m_mode; }
    // Bytes given to the scanner so far: each byte of the connection exactly once.
    qint64 scannedBytes() const { return m_scannedBytes; }
    // A long-lived response (Server-Sent Events) keeps the connection open without traffic:
    // no idle timeout for it. Head and body timeouts still apply to requests that follow.
    void setLongLived(bool longLived);
    bool isLongLived() const { return m_longLived; }
    // A reply on this connection is written later (an Engine.IO long poll): the guard answers
    // nothing itself from now on, so no answer overtakes it.
    void holdAnswers() { m_answersHeld = true; }
    // Requests the guard answered itself (HttpGuardOptions::answer).
    qint64 answeredCount() const { return m_answered; }

    // Builds the guard's error response: JSON {"error":{"code","message"}}, Connection: close.
    static QByteArray errorResponse(int status, QByteArrayView code, const QString &message);
    // Answers status at once and closes lingeringly (a connection over the server's cap).
    void refuse(int status, const QByteArray &code, const QString &message)
    {
        reject(status, code, message);
    }

Q_SIGNALS:
    // The guard refused a request (status 400/405/408/413/431) and is closing the connection.
    void rejected(int status, const QByteArray &code);

protected:
    qint64 writeData(const char *data, qint64 len) override;
    void connectNotify(const QMetaMethod &signal) override;

private:
    void onReadyRead();
    // A request the answer callback may see: see HttpGuardOptions::answer.
    static bool isPlainGet(const HttpHeadScanner::Head &head);
    void afterHttpServerRead();
    void onBytesWritten();
    void onTimeout();
    void maybeSendContinue();
    void verifyHandedOver();
    void reject(int status, const QByteArray &code, const QString &message);
    void rejectWith(const QByteArray &response, const QByteArray &code);
    // Takes `count` bytes off the buffer's front for the sink; false when it refused them
    // (the connection is then being refused).
    bool feedSink(qint64 count);
    // Takes the peeked bytes [from, to) for the sink, skipping what lies before `from` (its
    // head); *taken: how much of the peeked bytes is off the buffer already.
    bool takeForSink(qsizetype from, qsizetype to, qsizetype *taken);
    void endSink();
    void drain();
    void finishLinger();
    void stepAside();
    void armTimer();
    qint64 deadline() const;
    qint64 now() const { return m_clock.elapsed(); }

    std::shared_ptr<const HttpGuardOptions> m_options;
    HttpHeadScanner m_scanner;
    QTimer m_timer;
    QElapsedTimer m_clock;
    QMetaObject::Connection m_readConnection;
    QMetaObject::Connection m_disconnectedConnection;
    QMetaObject::Connection m_afterConnection;
    qint64 m_scannedBytes = 0;
    // Bytes at the front of the read buffer that were scanned but QHttpServer has not read:
    // what it left after a complete request (pipelining) and signals again with readyRead.
    qint64 m_scannedUnread = 0;
    bool m_connectingAfter = false;
    Mode m_mode = Mode::Guarding;
    qint64 m_lastActivity = 0;
    qint64 m_headStart = 0;
    qint64 m_bodyStart = 0;
    qint64 m_lingerStart = 0;
    qint64 m_drained = 0;
    qint64 m_scheduled = -1; // when m_timer fires, on m_clock
    bool m_continueQueued = false;
    bool m_writeShutDown = false;
    bool m_longLived = false;
    bool m_upgradeAnswered = false;
    std::unique_ptr<BodySink> m_sink; // the request whose body the guard streams
    bool m_answersHeld = false;
    qint64 m_answered = 0;
};
