#pragma once

#include <QAbstractHttpServer>
#include <QHttpServerResponder>

#include <functional>

// The QAbstractHttpServer the server binds its listening sockets to. Every parsed request
// goes to one callback (the server's front door); a WebSocket upgrade is accepted when the
// callback returns true without writing, and refused (the callback's answer is written by
// the missing handler, then Qt closes the connection) when it returns false.
class HttpFrontend final : public QAbstractHttpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpFrontend)

public:
    using Handler = std::function<bool(const QHttpServerRequest &, QTcpSocket *)>;
    using Missing = std::function<void(const QHttpServerRequest &, QTcpSocket *)>;

    explicit HttpFrontend(QObject *parent = nullptr);

    void setHandlers(Handler handler, Missing missing);
    static QHttpServerResponder responderFor(const QHttpServerRequest &request, QTcpSocket *socket)
    {
        return makeResponder(request, socket);
    }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    Handler m_handler;
    Missing m_missing;
};
