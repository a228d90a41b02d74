#include "redisconnection.h"

#include <QPointer>
#include <QSocketNotifier>
#include <QVarLengthArray>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

// hiredis' event hooks. cleanup() is called by hiredis when it frees the context, possibly
// from inside redisAsyncHandleRead() called by one of these notifiers: so nothing is deleted
// synchronously, and the lambdas check a shared "alive" flag instead of the context.
struct QtAdapter
{
    QPointer<QSocketNotifier> read;
    QPointer<QSocketNotifier> write;
    std::shared_ptr<bool> alive = std::make_shared<bool>(true);
};

void setEnabled(const QPointer<QSocketNotifier> &n, bool on)
{
    if (n && n->isEnabled() != on)
        n->setEnabled(on);
}

void addRead(void *data)
{
    setEnabled(static_cast<QtAdapter *>(data)->read, true);
}
void delRead(void *data)
{
    setEnabled(static_cast<QtAdapter *>(data)->read, false);
}
void addWrite(void *data)
{
    setEnabled(static_cast<QtAdapter *>(data)->write, true);
}
void delWrite(void *data)
{
    setEnabled(static_cast<QtAdapter *>(data)->write, false);
}

void cleanup(void *data)
{
    auto *adapter = static_cast<QtAdapter *>(data);
    *adapter->alive = false;
    for (QSocketNotifier *n : { adapter->read.data(), adapter->write.data() }) {
        if (n) {
            n->setEnabled(false);
            n->deleteLater();
        }
    }
    delete adapter;
}

RedisReply copyReply(const redisReply *r)
{
    RedisReply out;
    switch (r->type) {
    case REDIS_REPLY_STRING:
        out.type = RedisReply::Type::String;
        out.string = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_STATUS:
        out.type = RedisReply::Type::Status;
        out.string = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_ERROR:
        out.type = RedisReply::Type::Error;
        out.string = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_INTEGER:
        out.type = RedisReply::Type::Integer;
        out.integer = r->integer;
        break;
    case REDIS_REPLY_ARRAY:
        out.type = RedisReply::Type::Array;
        out.elements.reserve(qsizetype(r->elements));
        for (size_t i = 0; i < r->elements; ++i)
            out.elements.append(copyReply(r->element[i]));
        break;
    default:
        out.type = RedisReply::Type::Nil;
        break;
    }
    return out;
}

} // namespace

RedisConnection::RedisConnection(QObject *parent) : QObject(parent)
{
    m_connectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        if (!m_ready)
            fail(tr("Timed out connecting to Redis."));
    });
}

RedisConnection::~RedisConnection()
{
    close();
}

void RedisConnection::open(const QString &host, quint16 port, int db, const QString &password,
                           int connectTimeoutMs)
{
    close();
    m_db = db;
    m_password = password;
    redisAsyncContext *ctx = redisAsyncConnect(host.toUtf8().constData(), port);
    if (!ctx || ctx->err) {
        const QString reason = ctx ? QString::fromUtf8(ctx->errstr) : tr("Out of memory.");
        if (ctx)
            redisAsyncFree(ctx);
        // Never re-enter the caller: report on the next event-loop pass.
        QMetaObject::invokeMethod(
            this, [this, reason] { Q_EMIT disconnected(reason); }, Qt::QueuedConnection);
        return;
    }
    m_ctx = ctx;
    ctx->data = this;

    auto *adapter = new QtAdapter;
    const int fd = ctx->c.fd;
    adapter->read = new QSocketNotifier(fd, QSocketNotifier::Read, this);
    adapter->write = new QSocketNotifier(fd, QSocketNotifier::Write, this);
    adapter->read->setEnabled(false);
    adapter->write->setEnabled(false);
    connect(adapter->read, &QSocketNotifier::activated, this, [ctx, alive = adapter->alive] {
        if (*alive)
            redisAsyncHandleRead(ctx);
    });
    connect(adapter->write, &QSocketNotifier::activated, this, [ctx, alive = adapter->alive] {
        if (*alive)
            redisAsyncHandleWrite(ctx);
    });
    ctx->ev.data = adapter;
    ctx->ev.addRead = addRead;
    ctx->ev.delRead = delRead;
    ctx->ev.addWrite = addWrite;
    ctx->ev.delWrite = delWrite;
    ctx->ev.cleanup = cleanup;
    // Set after the hooks: hiredis asks for a write event here to detect the connection.
    redisAsyncSetConnectCallback(ctx, &RedisConnection::onConnect);
    redisAsyncSetDisconnectCallback(ctx, &RedisConnection::onDisconnect);
    m_connectTimer.start(connectTimeoutMs);
}

void RedisConnection::close()
{
    m_connectTimer.stop();
    m_ready = false;
    if (!m_ctx)
        return;
    redisAsyncContext *ctx = std::exchange(m_ctx, nullptr);
    ctx->data = nullptr; // callbacks run by the free below see no owner and stay silent
    redisAsyncFree(ctx); // deferred by hiredis when called from inside one of its callbacks
}

void RedisConnection::fail(const QString &reason)
{
    close();
    Q_EMIT disconnected(reason);
}

void RedisConnection::onConnect(const redisAsyncContext *ctx, int status)
{
    auto *self = static_cast<RedisConnection *>(ctx->data);
    if (!self)
        return;
    if (status != REDIS_OK) {
        // hiredis frees the context itself after this callback.
        const QString reason = QString::fromUtf8(ctx->errstr);
        self->m_ctx = nullptr;
        self->m_ready = false;
        self->m_connectTimer.stop();
        const_cast<redisAsyncContext *>(ctx)->data = nullptr;
        Q_EMIT self->disconnected(reason);
        return;
    }
    self->handshake(0);
}

void RedisConnection::handshake(int stage)
{
    // AUTH and SELECT go out before anything else on this connection; connected() once both
    // have answered.
    if (!m_ctx)
        return;
    QList<QByteArray> argv;
    if (stage == 0 && !m_password.isEmpty()) {
        argv = { "AUTH", m_password.toUtf8() };
    } else if (stage <= 1 && m_db >= 0) {
        argv = { "SELECT", QByteArray::number(m_db) };
        stage = 1;
    }
    if (argv.isEmpty()) {
        m_connectTimer.stop();
        m_ready = true;
        Q_EMIT connected();
        return;
    }
    m_ready = true; // command() only sends on a ready connection
    const bool sent = command(argv, [this, stage](const RedisReply &r) {
        if (r.isError()) {
            fail(tr("Redis refused %1: %2")
                     .arg(stage == 0 ? u"AUTH"_s : u"SELECT"_s, QString::fromUtf8(r.string)));
            return;
        }
        handshake(stage + 1);
    });
    m_ready = false;
    if (!sent)
        fail(tr("Could not talk to Redis."));
}

void RedisConnection::onDisconnect(const redisAsyncContext *ctx, int status)
{
    Q_UNUSED(status)
    auto *self = static_cast<RedisConnection *>(ctx->data);
    if (!self)
        return;
    const QString reason
        = ctx->err ? QString::fromUtf8(ctx->errstr) : tr("Redis closed the connection.");
    self->m_ctx = nullptr; // hiredis frees it after this callback
    self->m_ready = false;
    self->m_connectTimer.stop();
    Q_EMIT self->disconnected(reason);
}

void RedisConnection::onReply(redisAsyncContext *ctx, void *reply, void *privdata)
{
    std::unique_ptr<Callback> callback(static_cast<Callback *>(privdata));
    auto *self = static_cast<RedisConnection *>(ctx->data);
    if (!self || !reply || !callback || !*callback)
        return;
    (*callback)(copyReply(static_cast<redisReply *>(reply)));
}

void RedisConnection::onSubscription(redisAsyncContext *ctx, void *reply, void *privdata)
{
    Q_UNUSED(privdata)
    auto *self = static_cast<RedisConnection *>(ctx->data);
    if (!self || !reply)
        return;
    const RedisReply r = copyReply(static_cast<redisReply *>(reply));
    if (r.type != RedisReply::Type::Array || r.elements.size() < 3)
        return;
    const QByteArray kind = r.elements.at(0).string;
    if (kind == "message") {
        Q_EMIT self->message(r.elements.at(1).string, r.elements.at(2).string, {});
    } else if (kind == "pmessage" && r.elements.size() >= 4) {
        Q_EMIT self->message(r.elements.at(2).string, r.elements.at(3).string,
                             r.elements.at(1).string);
    } else if (kind == "subscribe" || kind == "psubscribe") {
        Q_EMIT self->subscribed(r.elements.at(1).string);
    }
}

bool RedisConnection::command(const QList<QByteArray> &argv, Callback callback)
{
    if (!m_ready || !m_ctx || argv.isEmpty())
        return false;
    QVarLengthArray<const char *, 8> ptrs;
    QVarLengthArray<size_t, 8> lens;
    for (const QByteArray &a : argv) {
        ptrs.append(a.constData());
        lens.append(size_t(a.size()));
    }
    auto *cb = callback ? new Callback(std::move(callback)) : nullptr;
    if (redisAsyncCommandArgv(m_ctx, cb ? &RedisConnection::onReply : nullptr, cb, int(argv.size()),
                              ptrs.data(), lens.data())
        != REDIS_OK) {
        delete cb;
        return false;
    }
    return true;
}

bool RedisConnection::subscribeCommand(const QList<QByteArray> &argv)
{
    if (!m_ready || !m_ctx || argv.isEmpty())
        return false;
    QVarLengthArray<const char *, 8> ptrs;
    QVarLengthArray<size_t, 8> lens;
    for (const QByteArray &a : argv) {
        ptrs.append(a.constData());
        lens.append(size_t(a.size()));
    }
    return redisAsyncCommandArgv(m_ctx, &RedisConnection::onSubscription, nullptr, int(argv.size()),
                                 ptrs.data(), lens.data())
        == REDIS_OK;
}
