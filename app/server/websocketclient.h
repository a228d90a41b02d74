#pragma once

#include "pushclient.h"

#include <QJsonObject>

#include <functional>
#include <memory>

class QWebSocket;

// One client of /api/v1/ws: pushes the hub's diffs (see PushClient), sends pings, and answers
// the client's commands ({"id", "command", ...}) with {"reply_to", "ok", "task"|"error"}
// through the command handler the server gives it.
class WebSocketClient final : public PushClient
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebSocketClient)

public:
    static constexpr quint64 MaxFrameSize = 64 * 1024;
    static constexpr quint64 MaxMessageSize = 256 * 1024;
    // Most bytes queued for a client that does not read: hub updates wait (merged) far below
    // this; a client that keeps sending commands without reading the replies is dropped here.
    static constexpr qint64 MaxPendingBytes = 4 * 1024 * 1024;

    using CommandHandler = std::function<QJsonObject(const QJsonObject &command)>;

    WebSocketClient(std::unique_ptr<QWebSocket> socket, SyncHub &hub, CommandHandler handler,
                    QObject *parent = nullptr);
    ~WebSocketClient() override;

    QWebSocket *socket() const { return m_socket.get(); }

    // The reply to one text message: bad_json unless it is a JSON object, else the handler's
    // answer; always with "type": "reply". Pure, so tests/fuzz can feed it anything.
    static QJsonObject replyTo(const QByteArray &message, const CommandHandler &handler);

Q_SIGNALS:
    void closed();

protected:
    qint64 pendingBytes() const override;
    void sendMessage(const QByteArray &json, qint64 rid) override;
    void sendPing() override;

private:
    void onTextMessage(const QString &message);
    bool hasRoom(); // false (and the client is being dropped) past MaxPendingBytes

    std::unique_ptr<QWebSocket> m_socket;
    CommandHandler m_handler;
    bool m_dropping = false;
};
