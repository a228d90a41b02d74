#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>
#include <QString>

#include <optional>

// One Socket.IO v5 packet and its encoding inside an Engine.IO message:
// <type>[<attachments>-][/<namespace>,][<ack id>][<JSON>], e.g. 2["start_task"] or
// 31["ok"] or 0{"token":"…"}. Pure functions of bytes, fuzzed. Binary packets (types 5, 6)
// are recognised so they can be refused with a clear error.
struct SocketIoPacket
{
    enum class Type {
        Connect = 0,
        Disconnect = 1,
        Event = 2,
        Ack = 3,
        ConnectError = 4,
        BinaryEvent = 5,
        BinaryAck = 6,
    };
    static constexpr qint64 MaxAckId = (qint64(1) << 53) - 1; // what JavaScript counts to

    Type type = Type::Event;
    QString nsp = QStringLiteral("/");
    std::optional<qint64> id;
    QJsonValue data = QJsonValue(QJsonValue::Undefined); // Undefined: no data
    int attachments = 0;

    QByteArray encode() const;
    // Checks the shape per type too: CONNECT carries an object or nothing, EVENT a non-empty
    // array starting with the event name, ACK an array, DISCONNECT nothing.
    static std::optional<SocketIoPacket> decode(QByteArrayView text, QString *error = nullptr);

    QString eventName() const; // EVENT: the first element of the array
};
