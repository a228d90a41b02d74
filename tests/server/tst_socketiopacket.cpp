// Tests of SocketIoPacket: the Socket.IO v5 packet encoding, its shape rules and limits.
#include "app/server/socketiopacket.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

class tst_SocketIoPacket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decode_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("type"); // -1: invalid
        QTest::addColumn<QString>("nsp");
        QTest::addColumn<qint64>("id"); // -1: none
        QTest::addColumn<QByteArray>("data"); // compact JSON, empty: none
        QTest::newRow("connect") << QByteArray("0") << 0 << "/" << qint64(-1) << QByteArray();
        QTest::newRow("connect with auth") << QByteArray("0{\"token\":\"abc\"}") << 0 << "/"
                                           << qint64(-1) << QByteArray("{\"token\":\"abc\"}");
        QTest::newRow("connect namespace")
            << QByteArray("0/admin,") << 0 << "/admin" << qint64(-1) << QByteArray();
        QTest::newRow("disconnect") << QByteArray("1") << 1 << "/" << qint64(-1) << QByteArray();
        QTest::newRow("event") << QByteArray("2[\"start_task\"]") << 2 << "/" << qint64(-1)
                               << QByteArray("[\"start_task\"]");
        QTest::newRow("event with ack")
            << QByteArray("212[\"cancel\",{\"task_id\":\"t\"}]") << 2 << "/" << qint64(12)
            << QByteArray("[\"cancel\",{\"task_id\":\"t\"}]");
        QTest::newRow("event in namespace") << QByteArray("2/admin,3[\"x\"]") << 2 << "/admin"
                                            << qint64(3) << QByteArray("[\"x\"]");
        QTest::newRow("ack") << QByteArray("35[{\"ok\":true}]") << 3 << "/" << qint64(5)
                             << QByteArray("[{\"ok\":true}]");
        QTest::newRow("connect error") << QByteArray("4{\"message\":\"no\"}") << 4 << "/"
                                       << qint64(-1) << QByteArray("{\"message\":\"no\"}");
        QTest::newRow("binary event")
            << QByteArray("51-[\"up\",{\"_placeholder\":true,\"num\":0}]") << 5 << "/" << qint64(-1)
            << QByteArray("[\"up\",{\"_placeholder\":true,\"num\":0}]");
        QTest::newRow("empty") << QByteArray() << -1 << "/" << qint64(-1) << QByteArray();
        QTest::newRow("type 7") << QByteArray("7[]") << -1 << "/" << qint64(-1) << QByteArray();
        QTest::newRow("bad json") << QByteArray("2[\"a\"") << -1 << "/" << qint64(-1)
                                  << QByteArray();
        QTest::newRow("scalar json")
            << QByteArray("2\"a\"") << -1 << "/" << qint64(-1) << QByteArray();
        QTest::newRow("event without name")
            << QByteArray("2[]") << -1 << "/" << qint64(-1) << QByteArray();
        QTest::newRow("event name not a string")
            << QByteArray("2[1]") << -1 << "/" << qint64(-1) << QByteArray();
        QTest::newRow("event object")
            << QByteArray("2{}") << -1 << "/" << qint64(-1) << QByteArray();
        QTest::newRow("connect array")
            << QByteArray("0[]") << -1 << "/" << qint64(-1) << QByteArray();
        QTest::newRow("disconnect with data")
            << QByteArray("1{}") << -1 << "/" << qint64(-1) << QByteArray();
        QTest::newRow("ack without id")
            << QByteArray("3[]") << -1 << "/" << qint64(-1) << QByteArray();
        QTest::newRow("ack id too large")
            << QByteArray("399999999999999999[]") << -1 << "/" << qint64(-1) << QByteArray();
        QTest::newRow("binary without count")
            << QByteArray("5[\"a\"]") << -1 << "/" << qint64(-1) << QByteArray();
    }
    void decode()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, type);
        QString error;
        const auto packet = SocketIoPacket::decode(text, &error);
        QCOMPARE(packet.has_value(), type >= 0);
        if (!packet) {
            QVERIFY(!error.isEmpty());
            return;
        }
        QFETCH(QString, nsp);
        QFETCH(qint64, id);
        QFETCH(QByteArray, data);
        QCOMPARE(int(packet->type), type);
        QCOMPARE(packet->nsp, nsp);
        QCOMPARE(packet->id.value_or(-1), id);
        if (data.isEmpty()) {
            QVERIFY(packet->data.isUndefined());
        } else {
            const QJsonDocument doc = packet->data.isArray()
                ? QJsonDocument(packet->data.toArray())
                : QJsonDocument(packet->data.toObject());
            QCOMPARE(doc.toJson(QJsonDocument::Compact), data);
        }
        if (packet->type == SocketIoPacket::Type::BinaryEvent)
            QCOMPARE(packet->attachments, 1);
        // Namespaced connects encode without the trailing comma; everything else round-trips.
        if (!text.endsWith(','))
            QCOMPARE(packet->encode(), text);
    }

    void encodeEvent()
    {
        SocketIoPacket packet;
        packet.type = SocketIoPacket::Type::Event;
        packet.data = QJsonArray { QStringLiteral("progress_update"),
                                   QJsonObject { { QStringLiteral("progress"), 50 } } };
        QCOMPARE(packet.encode(), QByteArray("2[\"progress_update\",{\"progress\":50}]"));
        QCOMPARE(packet.eventName(), QStringLiteral("progress_update"));
    }
};

QTEST_GUILESS_MAIN(tst_SocketIoPacket)
#include "tst_socketiopacket.moc"
