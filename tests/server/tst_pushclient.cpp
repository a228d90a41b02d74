// Tests of PushClient: first a snapshot, then merged diffs; a slow consumer (transport
// above the high-water mark) is skipped and later gets one merged message, never a queue.
#include "app/server/pushclient.h"
#include "app/server/synchub.h"
#include "progressevents.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
class FakeClient final : public PushClient
{
public:
    FakeClient(SyncHub &hub) : PushClient(hub, 0) { start(); }
    void drain()
    {
        pending = 0;
        pump();
    }
    qint64 pending = 0;
    QList<QJsonObject> sent;
    int pings = 0;

protected:
    qint64 pendingBytes() const override { return pending; }
    void sendMessage(const QByteArray &json, qint64) override
    {
        sent.append(QJsonDocument::fromJson(json).object());
        pending += json.size();
    }
    void sendPing() override { ++pings; }
};

} // namespace

class tst_PushClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void snapshotThenChanges()
    {
        SyncHub hub;
        hub.tasksChanged(progressEvents(u"a"_s, 1));
        FakeClient client(hub);
        QCOMPARE(client.sent.size(), 1);
        QCOMPARE(client.sent.at(0).value(u"type"_s).toString(), u"snapshot"_s);
        client.pending = 0;
        hub.tasksChanged(progressEvents(u"a"_s, 2));
        QCOMPARE(client.sent.size(), 2);
        QCOMPARE(client.sent.at(1).value(u"type"_s).toString(), u"changes"_s);
        QCOMPARE(client.sentRid(), hub.rid());
    }

    void slowConsumerGetsOneMergedDiff()
    {
        SyncHub hub;
        FakeClient client(hub);
        client.setHighWater(10);
        client.pending = 1000; // the transport is backed up
        const qint64 before = client.sentRid();
        for (int i = 1; i <= 100; ++i) {
            hub.tasksChanged(progressEvents(u"a"_s, i));
            hub.tasksChanged(progressEvents(u"b"_s, i));
        }
        QCOMPARE(client.sent.size(), 1); // only the snapshot: nothing queued meanwhile
        QCOMPARE(client.sentRid(), before);
        client.drain();
        QCOMPARE(client.sent.size(), 2);
        const QJsonArray tasks = client.sent.last().value(u"tasks"_s).toArray();
        QCOMPARE(tasks.size(), 2); // one entry per task, the latest
        for (const QJsonValue &t : tasks)
            QCOMPARE(t.toObject().value(u"progress"_s).toObject().value(u"percent"_s).toDouble(),
                     100.0);
        client.drain(); // nothing new: nothing sent
        QCOMPARE(client.sent.size(), 2);
    }

    void pings()
    {
        SyncHub hub;
        FakeClient client(hub);
        client.setPingInterval(10);
        QTRY_VERIFY(client.pings >= 2);
    }
};

QTEST_GUILESS_MAIN(tst_PushClient)
#include "tst_pushclient.moc"
