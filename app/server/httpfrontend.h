#pragma once

#include <QAbstractHttpServer>
#include <QHttpServerResponder>

#include <functional>

// The QAbstractHttpServer the server binds its listening sockets to. Every parsed request
// goes to one callback (the server's front door), which answers it. A WebSocket upgrade is
// accepted when the callback returns true without writing; it returns false after writing its
// refusal, and Qt closes the connection.
class HttpFrontend final : public QAbstractHttpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpFrontend)

public:
    using Handler = std::function<bool(const QHttpServerRequest &, QTcpSocket *)>;

    explicit HttpFrontend(QObject *parent = nullptr);

    void setHandler(Handler handler);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    Handler m_handler;
};
