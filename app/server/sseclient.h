#pragma once

#include "pushclient.h"

#include <QList>
#include <QPointer>

#include <utility>

class QTcpSocket;

// One client of /api/v1/events (Server-Sent Events). Qt 6.4's QHttpServerResponder cannot
// stream, so the client takes the connection over: QHttpServer's slots are detached from the
// socket, the response head is written directly and each message follows as
// "id: RID\ndata: JSON\n\n" (the same payloads as the WebSocket). A reconnecting EventSource
// sends Last-Event-ID and gets only what changed since.
class SseClient final : public PushClient
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SseClient)

public:
    SseClient(QTcpSocket *socket, const QList<std::pair<QByteArray, QByteArray>> &headers,
              SyncHub &hub, qint64 startRid, QObject *parent = nullptr);
    ~SseClient() override;

Q_SIGNALS:
    void closed();

protected:
    qint64 pendingBytes() const override;
    void sendMessage(const QByteArray &json, qint64 rid) override;
    void sendPing() override;

private:
    QPointer<QTcpSocket> m_socket;
};
