#pragma once

#include "redisreply.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

struct redisAsyncContext;

// One asynchronous Redis connection (hiredis) driven by the Qt event loop through a small
// adapter of our own (two QSocketNotifiers, deleted with deleteLater so hiredis may drop them
// from inside their own signal). Never blocks: connecting, commands and replies are all
// asynchronous; a lost connection is reported once through disconnected() and the owner
// decides when to open() again. A connection used for SUBSCRIBE/PSUBSCRIBE reports messages
// through message() and confirmations through subscribed().
class RedisConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RedisConnection)

public:
    using Callback = std::function<void(const RedisReply &)>;

    explicit RedisConnection(QObject *parent = nullptr);
    ~RedisConnection() override;

    // db < 0: no SELECT (pub/sub connections). Emits connected() or disconnected().
    void open(const QString &host, quint16 port, int db, const QString &password = {},
              int connectTimeoutMs = 5000);
    // Drops the connection without emitting anything; pending callbacks are not called.
    void close();
    bool isConnected() const { return m_ready; }

    // False when not connected (the command is not sent). The callback is called exactly once
    // with the reply, unless the connection is lost first (then disconnected() says so).
    bool command(const QList<QByteArray> &argv, Callback callback = {});
    // SUBSCRIBE/PSUBSCRIBE/UNSUBSCRIBE/PUNSUBSCRIBE: replies arrive as signals.
    bool subscribeCommand(const QList<QByteArray> &argv);

Q_SIGNALS:
    void connected();
    void disconnected(const QString &reason);
    void subscribed(const QByteArray &channel); // also for patterns
    void message(const QByteArray &channel, const QByteArray &payload, const QByteArray &pattern);

private:
    static void onConnect(const redisAsyncContext *ctx, int status);
    static void onDisconnect(const redisAsyncContext *ctx, int status);
    static void onReply(redisAsyncContext *ctx, void *reply, void *privdata);
    static void onSubscription(redisAsyncContext *ctx, void *reply, void *privdata);
    void fail(const QString &reason);
    void handshake(int stage);

    redisAsyncContext *m_ctx = nullptr;
    bool m_ready = false;
    int m_db = -1;
    QString m_password;
    QTimer m_connectTimer;
};
