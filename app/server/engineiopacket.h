#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

// One Engine.IO v4 packet and its text encoding: a type digit, then the data ("4hello");
// binary data travels as "b" + base64 in polling payloads. A polling payload joins packets
// with the record separator 0x1e. Pure functions of bytes (no sockets), so they are fuzzed.
struct EngineIoPacket
{
    enum class Type : char {
        Open = '0',
        Close = '1',
        Ping = '2',
        Pong = '3',
        Message = '4',
        Upgrade = '5',
        Noop = '6',
    };
    static constexpr char Separator = '\x1e';

    Type type = Type::Noop;
    QByteArray data;
    bool binary = false;

    QByteArray encode() const;
    // Nullopt (and a reason in *error) for an empty packet, an unknown type, bad base64.
    static std::optional<EngineIoPacket> decode(QByteArrayView text, QString *error = nullptr);

    static QByteArray encodePayload(const QList<EngineIoPacket> &packets);
    // Splits a polling body at the separators; fails as a whole when one packet is invalid.
    static std::optional<QList<EngineIoPacket>> decodePayload(QByteArrayView body,
                                                              QString *error = nullptr);
};
