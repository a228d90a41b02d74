#include "socketiopacket.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace {
bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}
} // namespace

QByteArray SocketIoPacket::encode() const
{
    QByteArray text = QByteArray::number(int(type));
    if (type == Type::BinaryEvent || type == Type::BinaryAck)
        text += QByteArray::number(attachments) + '-';
    if (nsp != u"/")
        text += nsp.toUtf8() + ',';
    if (id)
        text += QByteArray::number(*id);
    if (data.isObject())
        text += QJsonDocument(data.toObject()).toJson(QJsonDocument::Compact);
    else if (data.isArray())
        text += QJsonDocument(data.toArray()).toJson(QJsonDocument::Compact);
    return text;
}

std::optional<SocketIoPacket> SocketIoPacket::decode(QByteArrayView text, QString *error)
{
    const auto fail = [error](const QString &message) -> std::optional<SocketIoPacket> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (text.isEmpty())
        return fail(u"empty Socket.IO packet"_s);
    if (text.at(0) < '0' || text.at(0) > '6')
        return fail(u"unknown Socket.IO packet type"_s);
    SocketIoPacket packet;
    packet.type = Type(text.at(0) - '0');
    qsizetype i = 1;
    if (packet.type == Type::BinaryEvent || packet.type == Type::BinaryAck) {
        const qsizetype start = i;
        while (i < text.size() && isDigit(text.at(i)) && i - start < 6)
            ++i;
        if (i == start || i >= text.size() || text.at(i) != '-')
            return fail(u"binary packet without a valid attachment count"_s);
        packet.attachments = text.sliced(start, i - start).toByteArray().toInt();
        ++i;
    }
    if (i < text.size() && text.at(i) == '/') {
        const qsizetype comma = text.indexOf(',', i);
        const qsizetype end = comma < 0 ? text.size() : comma;
        packet.nsp = QString::fromUtf8(text.sliced(i, end - i));
        i = comma < 0 ? text.size() : comma + 1;
    }
    if (i < text.size() && isDigit(text.at(i))) {
        const qsizetype start = i;
        while (i < text.size() && isDigit(text.at(i)))
            ++i;
        if (i - start > 16)
            return fail(u"acknowledgement id too long"_s);
        const qint64 id = text.sliced(start, i - start).toByteArray().toLongLong();
        if (id > MaxAckId)
            return fail(u"acknowledgement id too large"_s);
        packet.id = id;
    }
    if (i < text.size()) {
        QJsonParseError parseError;
        const QJsonDocument doc
            = QJsonDocument::fromJson(text.sliced(i).toByteArray(), &parseError);
        if (parseError.error != QJsonParseError::NoError)
            return fail(u"invalid JSON in Socket.IO packet: %1"_s.arg(parseError.errorString()));
        if (!doc.isArray() && !doc.isObject())
            return fail(u"Socket.IO data must be an object or an array"_s);
        packet.data = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    }

    switch (packet.type) {
    case Type::Connect:
        if (!packet.data.isUndefined() && !packet.data.isObject())
            return fail(u"CONNECT data must be an object"_s);
        break;
    case Type::Disconnect:
        if (!packet.data.isUndefined())
            return fail(u"DISCONNECT carries no data"_s);
        break;
    case Type::Event:
    case Type::BinaryEvent:
        if (!packet.data.isArray() || packet.data.toArray().isEmpty()
            || !packet.data.toArray().first().isString())
            return fail(u"EVENT data must be an array starting with the event name"_s);
        break;
    case Type::Ack:
    case Type::BinaryAck:
        if (!packet.data.isArray() || !packet.id)
            return fail(u"ACK needs an id and an array"_s);
        break;
    case Type::ConnectError:
        break;
    }
    return packet;
}

QString SocketIoPacket::eventName() const
{
    return data.toArray().first().toString();
}
