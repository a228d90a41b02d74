#include "engineiopacket.h"

using namespace Qt::StringLiterals;

QByteArray EngineIoPacket::encode() const
{
    if (binary)
        return 'b' + data.toBase64();
    return char(type) + data;
}

std::optional<EngineIoPacket> EngineIoPacket::decode(QByteArrayView text, QString *error)
{
    const auto fail = [error](const QString &message) -> std::optional<EngineIoPacket> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (text.isEmpty())
        return fail(u"empty packet"_s);
    EngineIoPacket packet;
    const char first = text.at(0);
    if (first == 'b') {
        const auto decoded = QByteArray::fromBase64Encoding(
            text.sliced(1).toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return fail(u"binary packet with invalid base64"_s);
        packet.type = Type::Message;
        packet.binary = true;
        packet.data = *decoded;
        return packet;
    }
    if (first < '0' || first > '6')
        return fail(u"unknown packet type '%1'"_s.arg(QChar::fromLatin1(first)));
    packet.type = Type(first);
    packet.data = text.sliced(1).toByteArray();
    return packet;
}

QByteArray EngineIoPacket::encodePayload(const QList<EngineIoPacket> &packets)
{
    QByteArray body;
    for (const EngineIoPacket &packet : packets) {
        if (!body.isEmpty())
            body += Separator;
        body += packet.encode();
    }
    return body;
}

std::optional<QList<EngineIoPacket>> EngineIoPacket::decodePayload(QByteArrayView body,
                                                                   QString *error)
{
    QList<EngineIoPacket> packets;
    qsizetype start = 0;
    while (start <= body.size()) {
        qsizetype end = body.indexOf(Separator, start);
        if (end < 0)
            end = body.size();
        auto packet = decode(body.sliced(start, end - start), error);
        if (!packet)
            return std::nullopt;
        packets.append(std::move(*packet));
        start = end + 1;
    }
    return packets;
}
