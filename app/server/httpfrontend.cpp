#include "httpfrontend.h"

HttpFrontend::HttpFrontend(QObject *parent) : QAbstractHttpServer(parent) { }

void HttpFrontend::setHandlers(Handler handler, Missing missing)
{
    m_handler = std::move(handler);
    m_missing = std::move(missing);
}

bool HttpFrontend::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    return m_handler && m_handler(request, socket);
}

void HttpFrontend::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    if (m_missing)
        m_missing(request, socket);
}
