#include "securitypolicy.h"

#include "app/server/accesstoken.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

#include <cstdio>

using namespace Qt::StringLiterals;

void SecurityPolicy::setAllowedHosts(const QStringList &hosts)
{
    m_allowedHosts.clear();
    for (const QString &host : hosts)
        m_allowedHosts.append(host.trimmed().toLower());
}

void SecurityPolicy::setToken(const QByteArray &token)
{
    m_token = token;
    m_session
        = QMessageAuthenticationCode::hash("headway-session", token, QCryptographicHash::Sha256)
              .toHex();
}

bool SecurityPolicy::isHostAllowed(const QByteArray &hostHeader) const
{
    const QByteArray host = hostHeader.trimmed().toLower();
    if (host.isEmpty())
        return false;
    QByteArray name;
    QByteArray portText;
    if (host.startsWith('[')) {
        const qsizetype close = host.indexOf(']');
        if (close < 0)
            return false;
        name = host.left(close + 1);
        const QByteArray rest = host.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(':'))
                return false;
            portText = rest.mid(1);
        }
    } else {
        const qsizetype colon = host.lastIndexOf(':');
        name = colon < 0 ? host : host.left(colon);
        if (colon >= 0)
            portText = host.mid(colon + 1);
    }
    if (portText.isEmpty()) {
        if (m_port != 80)
            return false;
    } else if (portText != QByteArray::number(m_port)) {
        return false; // digits exactly: toUInt() also took "+8421" and "0008421"
    }
    if (name == "localhost" || name == "127.0.0.1" || name == "[::1]")
        return true;
    const QString nameText = QString::fromLatin1(name);
    if (m_allowedHosts.contains(nameText))
        return true;
    // The literal address we listen on (an IP literal cannot be rebound by DNS).
    if (!m_listenAddress.isNull() && !isWildcardAddress(m_listenAddress)) {
        QString literal = m_listenAddress.toString().toLower();
        if (m_listenAddress.protocol() == QAbstractSocket::IPv6Protocol)
            literal = u'[' + literal + u']';
        return literal == nameText;
    }
    return false;
}

bool SecurityPolicy::isOriginAllowed(const QByteArray &origin, const QByteArray &host) const
{
    return origin.trimmed().toLower() == "http://" + host.trimmed().toLower();
}

bool SecurityPolicy::isCrossSite(const QByteArray &secFetchSite, const QByteArray &origin,
                                 const QByteArray &referer, const QByteArray &host)
{
    const QByteArray site = secFetchSite.trimmed().toLower();
    if (!site.isEmpty() && site != "same-origin" && site != "none")
        return true;
    const QByteArray own = "http://" + host.trimmed().toLower();
    if (!origin.trimmed().isEmpty() && origin.trimmed().toLower() != own)
        return true;
    // The Referer's origin: scheme://authority before the path.
    const QByteArray ref = referer.trimmed().toLower();
    if (ref.isEmpty())
        return false;
    const qsizetype pathStart = ref.indexOf('/', ref.indexOf("://") + 3);
    return (pathStart < 0 ? ref : ref.left(pathStart)) != own;
}

QByteArray SecurityPolicy::cookieName() const
{
    return "headway_session_" + QByteArray::number(m_port);
}

QByteArray SecurityPolicy::sessionValue() const
{
    return m_session;
}

QByteArray SecurityPolicy::setCookieHeader() const
{
    return cookieName() + '=' + m_session + "; Path=/; HttpOnly; SameSite=Strict";
}

bool SecurityPolicy::isSessionValid(QByteArrayView cookieValue) const
{
    return !m_session.isEmpty() && AccessToken::constantTimeEquals(m_session, cookieValue);
}

bool SecurityPolicy::isTokenValid(QByteArrayView token) const
{
    return !m_token.isEmpty() && AccessToken::constantTimeEquals(m_token, token);
}

SecurityPolicy::Credentials SecurityPolicy::credentials(QByteArrayView authorization,
                                                        QByteArrayView cookieHeader) const
{
    // No allocation: the answer cache runs this on every request it serves.
    const QByteArrayView auth = authorization.trimmed();
    if (!auth.isEmpty()) {
        if (auth.size() > 7 && qstrnicmp(auth.data(), 7, "bearer ", 7) == 0)
            return { Credentials::Kind::Bearer, auth.sliced(7).trimmed() };
        return { Credentials::Kind::Malformed, {} };
    }
    char name[32];
    const int length = std::snprintf(name, sizeof name, "headway_session_%u", unsigned(m_port));
    const QByteArrayView cookie = cookieValueView(cookieHeader, QByteArrayView(name, length));
    if (!cookie.isEmpty())
        return { Credentials::Kind::Session, cookie };
    return {};
}

bool SecurityPolicy::isOwner(const Credentials &credentials) const
{
    switch (credentials.kind) {
    case Credentials::Kind::Bearer:
        return isTokenValid(credentials.value);
    case Credentials::Kind::Session:
        return isSessionValid(credentials.value);
    case Credentials::Kind::None:
    case Credentials::Kind::Malformed:
        break;
    }
    return false;
}

QByteArray SecurityPolicy::csrfToken(const QByteArray &session) const
{
    return QMessageAuthenticationCode::hash("headway-csrf:" + session, m_token,
                                            QCryptographicHash::Sha256)
        .toHex();
}

bool SecurityPolicy::isCsrfValid(const QByteArray &session, const QByteArray &csrf) const
{
    return !session.isEmpty() && AccessToken::constantTimeEquals(csrfToken(session), csrf);
}

QByteArray SecurityPolicy::cookieValue(const QByteArray &cookieHeader, const QByteArray &name)
{
    return cookieValueView(cookieHeader, name).toByteArray();
}

QByteArrayView SecurityPolicy::cookieValueView(QByteArrayView cookieHeader, QByteArrayView name)
{
    while (!cookieHeader.isEmpty()) {
        const qsizetype semicolon = cookieHeader.indexOf(';');
        const QByteArrayView item
            = (semicolon < 0 ? cookieHeader : cookieHeader.first(semicolon)).trimmed();
        cookieHeader = semicolon < 0 ? QByteArrayView() : cookieHeader.sliced(semicolon + 1);
        const qsizetype eq = item.indexOf('=');
        if (eq > 0 && item.first(eq) == name)
            return item.sliced(eq + 1);
    }
    return {};
}

QList<std::pair<QByteArray, QByteArray>> SecurityPolicy::responseHeaders(const QByteArray &host,
                                                                         bool noStore) const
{
    QByteArray csp = "default-src 'self'; connect-src 'self'";
    if (!host.isEmpty())
        csp += " ws://" + host;
    csp += "; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
           "frame-ancestors 'self'";
    QList<std::pair<QByteArray, QByteArray>> headers {
        { "Content-Security-Policy", csp },
        { "X-Frame-Options", "SAMEORIGIN" },
        { "X-Content-Type-Options", "nosniff" },
        { "Referrer-Policy", "no-referrer" },
    };
    headers.append({ "Cache-Control", noStore ? QByteArray("no-store") : QByteArray("no-cache") });
    return headers;
}

bool SecurityPolicy::isWildcardAddress(const QHostAddress &address)
{
    // Compared by text so the IPv4 and IPv6 spellings (and v4-mapped forms) all match.
    static const QHostAddress any4(u"0.0.0.0"_s);
    static const QHostAddress any6(u"::"_s);
    return address.isEqual(any4, QHostAddress::TolerantConversion)
        || address.isEqual(any6, QHostAddress::TolerantConversion);
}
