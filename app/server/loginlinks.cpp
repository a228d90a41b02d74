#include "loginlinks.h"

#include "app/server/accesstoken.h"

QByteArray LoginLinks::create()
{
    m_links.removeIf([](const Link &l) { return l.expiry.hasExpired(); });
    if (m_links.size() >= MaxOpen)
        m_links.removeFirst();
    Link link { AccessToken::generate(), QDeadlineTimer(Lifetime) };
    m_links.append(link);
    return link.code;
}

bool LoginLinks::consume(QByteArrayView code)
{
    if (code.isEmpty())
        return false;
    for (qsizetype i = 0; i < m_links.size(); ++i) {
        if (AccessToken::constantTimeEquals(m_links.at(i).code, code)) {
            const bool fresh = !m_links.at(i).expiry.hasExpired();
            m_links.removeAt(i);
            return fresh;
        }
    }
    return false;
}
