#include "tokeninterceptor.h"

#include <QWebEngineUrlRequestInfo>

using namespace Qt::StringLiterals;

TokenInterceptor::TokenInterceptor(QObject *parent) : QWebEngineUrlRequestInterceptor(parent) { }

void TokenInterceptor::setOrigin(const QUrl &origin, const QString &token)
{
    // Set before the first load, from the GUI thread; read on the IO thread afterwards.
    m_origin = origin;
    m_header = token.isEmpty() ? QByteArray() : "Bearer " + token.toUtf8();
}

bool TokenInterceptor::sameOrigin(const QUrl &a, const QUrl &b)
{
    // The page's WebSocket (ws:/wss:) belongs to the origin it was served from (http:/https:).
    const auto scheme = [](const QUrl &u) {
        const QString s = u.scheme().toLower();
        return s == u"ws"_s ? u"http"_s : s == u"wss"_s ? u"https"_s : s;
    };
    const auto port = [&](const QUrl &u) {
        const QString s = scheme(u);
        return u.port(s == u"https"_s ? 443 : s == u"http"_s ? 80 : -1);
    };
    return a.isValid() && b.isValid() && !a.host().isEmpty() && scheme(a) == scheme(b)
        && a.host().compare(b.host(), Qt::CaseInsensitive) == 0 && port(a) == port(b);
}

void TokenInterceptor::interceptRequest(QWebEngineUrlRequestInfo &info)
{
    if (!m_header.isEmpty() && sameOrigin(info.requestUrl(), m_origin))
        info.setHttpHeader("Authorization", m_header);
}
