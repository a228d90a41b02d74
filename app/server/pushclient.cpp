#include "pushclient.h"

#include "synchub.h"

PushClient::PushClient(SyncHub &hub, qint64 startRid, QObject *parent)
    : QObject(parent), m_hub(hub), m_sentRid(startRid)
{
    connect(&m_hub, &SyncHub::changed, this, [this] { pump(); });
    m_pingTimer.setInterval(DefaultPingMs);
    connect(&m_pingTimer, &QTimer::timeout, this, [this] { sendPing(); });
}

PushClient::~PushClient() = default;

void PushClient::setPingInterval(int ms)
{
    m_pingTimer.setInterval(ms);
}

void PushClient::start()
{
    m_started = true;
    m_pingTimer.start();
    // The first message is always sent, even when nothing changed since startRid: it tells the
    // client where it stands (a snapshot, or an empty diff after a resumed event stream).
    const qint64 rid = m_hub.rid();
    sendMessage(m_hub.message(m_sentRid), rid);
    m_sentRid = rid;
}

void PushClient::pump()
{
    if (!m_started || !m_hub.hasChangesSince(m_sentRid) || pendingBytes() >= m_highWater)
        return;
    const qint64 rid = m_hub.rid();
    sendMessage(m_hub.message(m_sentRid), rid);
    m_sentRid = rid;
}
