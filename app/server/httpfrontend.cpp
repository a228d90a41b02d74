#include "httpfrontend.h"

HttpFrontend::HttpFrontend(QObject *parent) : QAbstractHttpServer(parent) { }

void HttpFrontend::setHandler(Handler handler)
{
    m_handler = std::move(handler);
}

bool HttpFrontend::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    return m_handler && m_handler(request, socket);
}

void HttpFrontend::missingHandler(const QHttpServerRequest &, QTcpSocket *)
{
    // Qt calls this only after handleRequest() returned false, which the front door does for a
    // refused WebSocket upgrade once it has written the refusal: nothing is left to say.
}
