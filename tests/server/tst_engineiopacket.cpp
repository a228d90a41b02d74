// Tests of EngineIoPacket: the Engine.IO v4 packet and polling payload encoding, both ways.
#include "app/server/engineiopacket.h"

#include <QTest>

using Type = EngineIoPacket::Type;

class tst_EngineIoPacket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decode_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<int>("type");
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<bool>("binary");
        QTest::newRow("open") << QByteArray("0{\"sid\":\"x\"}") << true << int('0')
                              << QByteArray("{\"sid\":\"x\"}") << false;
        QTest::newRow("close") << QByteArray("1") << true << int('1') << QByteArray() << false;
        QTest::newRow("ping") << QByteArray("2") << true << int('2') << QByteArray() << false;
        QTest::newRow("probe") << QByteArray("2probe") << true << int('2') << QByteArray("probe")
                               << false;
        QTest::newRow("pong") << QByteArray("3") << true << int('3') << QByteArray() << false;
        QTest::newRow("message") << QByteArray("4hello") << true << int('4') << QByteArray("hello")
                                 << false;
        QTest::newRow("utf-8 message") << QByteArray("4\xc3\xa9t\xc3\xa9") << true << int('4')
                                       << QByteArray("\xc3\xa9t\xc3\xa9") << false;
        QTest::newRow("upgrade") << QByteArray("5") << true << int('5') << QByteArray() << false;
        QTest::newRow("noop") << QByteArray("6") << true << int('6') << QByteArray() << false;
        QTest::newRow("binary") << QByteArray("bAQID") << true << int('4')
                                << QByteArray("\x01\x02\x03") << true;
        QTest::newRow("empty") << QByteArray() << false << 0 << QByteArray() << false;
        QTest::newRow("type 7") << QByteArray("7x") << false << 0 << QByteArray() << false;
        QTest::newRow("letter") << QByteArray("xhello") << false << 0 << QByteArray() << false;
        QTest::newRow("bad base64") << QByteArray("b!!!") << false << 0 << QByteArray() << false;
    }
    void decode()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, valid);
        QString error;
        const auto packet = EngineIoPacket::decode(text, &error);
        QCOMPARE(packet.has_value(), valid);
        if (!valid) {
            QVERIFY(!error.isEmpty());
            return;
        }
        QFETCH(int, type);
        QFETCH(QByteArray, data);
        QFETCH(bool, binary);
        QCOMPARE(int(packet->type), type);
        QCOMPARE(packet->data, data);
        QCOMPARE(packet->binary, binary);
        QCOMPARE(packet->encode(), text); // and back
    }

    void payload_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("count");
        QTest::newRow("one") << QByteArray("40") << 1;
        QTest::newRow("three") << QByteArray("40\x1e"
                                             "42[\"a\"]\x1e"
                                             "3")
                               << 3;
        QTest::newRow("with binary") << QByteArray("451-[\"a\",{}]\x1e"
                                                   "bAQID")
                                     << 2;
        QTest::newRow("empty body") << QByteArray() << -1;
        QTest::newRow("trailing separator") << QByteArray("40\x1e") << -1;
        QTest::newRow("double separator") << QByteArray("40\x1e\x1e"
                                                        "3")
                                          << -1;
        QTest::newRow("bad packet inside") << QByteArray("40\x1e"
                                                         "9\x1e"
                                                         "3")
                                           << -1;
    }
    void payload()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, count);
        const auto packets = EngineIoPacket::decodePayload(body);
        QCOMPARE(packets.has_value(), count >= 0);
        if (!packets)
            return;
        QCOMPARE(packets->size(), count);
        QCOMPARE(EngineIoPacket::encodePayload(*packets), body);
    }
};

QTEST_GUILESS_MAIN(tst_EngineIoPacket)
#include "tst_engineiopacket.moc"
