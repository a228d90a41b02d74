#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>

class EngineIoSession;
struct SocketIoPacket;

// The Socket.IO v5 layer over one Engine.IO session, default namespace only: CONNECT (with or
// without an auth object) answered with 40{"sid"}, EVENT packets in, events and
// acknowledgements out, DISCONNECT. Malformed and binary packets get a CONNECT_ERROR that says
// why, then the session closes. A child of the session: it goes when the session does.
class SocketIoConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SocketIoConnection)

public:
    static constexpr qint64 NoAck = -1;

    explicit SocketIoConnection(EngineIoSession *session);

    bool isConnected() const { return m_connected; }
    const QByteArray &sid() const { return m_sid; }
    // 42["name",payload]
    void emitEvent(const QString &name, const QJsonValue &payload);
    // 43<id>[args...]
    void acknowledge(qint64 id, const QJsonArray &args);
    qint64 pendingBytes() const;

Q_SIGNALS:
    void connected(const QJsonObject &auth);
    // An EVENT: its name, the arguments after it, and the id to acknowledge (or NoAck).
    void eventReceived(const QString &name, const QJsonArray &args, qint64 ackId);
    void disconnected(const QString &reason);
    void drained();

private:
    void onMessage(const QByteArray &text);
    void send(const SocketIoPacket &packet);
    void refuse(const QString &message, bool closeSession);
    void setDisconnected(const QString &reason);

    QPointer<EngineIoSession> m_session;
    QByteArray m_sid;
    QTimer m_connectTimer;
    bool m_connected = false;
};
