#pragma once

#include <QByteArray>
#include <QtGlobal>

// Where the transport guard hands a request body as it arrives, instead of letting Qt 6.4's
// QHttpServer buffer all of it (a tus PATCH: straight into the partial file). The guard takes
// the request whole, head and body, off the socket, and writes the answer finish() gives.
class BodySink
{
public:
    enum class End {
        Complete, // the whole body arrived: answer it
        Failed, // write() said stop: answer why (the guard then closes the connection)
        Lost, // the connection ended or timed out mid-body: what arrived is kept, no answer
    };

    BodySink() = default;
    virtual ~BodySink() = default;
    Q_DISABLE_COPY_MOVE(BodySink)

    // The largest body this sink takes (the guard answers 413 above it).
    virtual qint64 maxBytes() const = 0;
    // The next bytes of the body, in order; false: stop taking it (finish(Failed) says why).
    virtual bool write(const QByteArray &piece) = 0;
    // The complete response to write (status line, headers, body); empty for End::Lost.
    virtual QByteArray finish(End end) = 0;
};
