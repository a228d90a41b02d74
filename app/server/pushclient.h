#pragma once

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QTimer>

class SyncHub;

// What the WebSocket and the event-stream clients share: the client remembers the last rid it
// was sent and, whenever the hub changed and its transport has drained below a threshold,
// gets one message with everything changed since (first a snapshot). A slow consumer thus
// holds at most one pending diff, merged by the hub, and never blocks anyone else.
class PushClient : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PushClient)

public:
    static constexpr qint64 DefaultHighWater = 64 * 1024;
    static constexpr int DefaultPingMs = 15000;

    PushClient(SyncHub &hub, qint64 startRid, QObject *parent = nullptr);
    ~PushClient() override;

    qint64 sentRid() const { return m_sentRid; }
    void setHighWater(qint64 bytes) { m_highWater = bytes; }
    void setPingInterval(int ms);

protected:
    // Call once the transport is ready; sends the first message at once.
    void start();
    // Call when the transport wrote some bytes (it may accept more now).
    void pump();

    virtual qint64 pendingBytes() const = 0;
    virtual void sendMessage(const QByteArray &json, qint64 rid) = 0;
    virtual void sendPing() = 0;

private:
    SyncHub &m_hub;
    qint64 m_sentRid = 0;
    qint64 m_highWater = DefaultHighWater;
    QTimer m_pingTimer;
    bool m_started = false;
};
