// libFuzzer target for the Socket.IO packet decoders: arbitrary bytes as an Engine.IO polling
// payload (EngineIoPacket), each text message in it as a Socket.IO packet (SocketIoPacket).
// Whatever decodes must encode and decode again to the same packet; checks use abort() so
// both libFuzzer and the ctest replay catch violations.
#include "app/server/engineiopacket.h"
#include "app/server/socketiopacket.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {
bool samePacket(const SocketIoPacket &a, const SocketIoPacket &b)
{
    return a.type == b.type && a.nsp == b.nsp && a.id == b.id && a.data == b.data
        && a.attachments == b.attachments;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const auto packets = EngineIoPacket::decodePayload(input, &error);
    if (!packets) {
        if (error.isEmpty())
            std::abort(); // a refusal always says why
        return 0;
    }
    if (packets->isEmpty())
        std::abort();
    for (const EngineIoPacket &packet : *packets) {
        const auto again = EngineIoPacket::decode(packet.encode());
        if (!again || again->type != packet.type || again->data != packet.data
            || again->binary != packet.binary)
            std::abort();
        if (packet.type != EngineIoPacket::Type::Message || packet.binary)
            continue;
        const auto sio = SocketIoPacket::decode(packet.data, &error);
        if (!sio) {
            if (error.isEmpty())
                std::abort();
            continue;
        }
        if (sio->id && (*sio->id < 0 || *sio->id > SocketIoPacket::MaxAckId))
            std::abort();
        const auto sioAgain = SocketIoPacket::decode(sio->encode());
        if (!sioAgain || !samePacket(*sio, *sioAgain))
            std::abort();
    }
    return 0;
}
