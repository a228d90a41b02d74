#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>

#include <utility>

// The rules of local browser access, as pure functions of a request's headers: which Host
// names are ours (DNS rebinding defence), which Origin is ours, the session cookie derived
// from the token, the per-session CSRF value and the headers every response carries.
class SecurityPolicy final
{
public:
    SecurityPolicy() = default;

    void setPort(quint16 port) { m_port = port; }
    quint16 port() const { return m_port; }
    void setListenAddress(const QHostAddress &address) { m_listenAddress = address; }
    void setAllowedHosts(const QStringList &hosts);
    void setToken(const QByteArray &token);

    // Host must be localhost, 127.0.0.1, [::1], the literal listen address or an allowed
    // name, with our port (a missing port only when we serve on 80).
    bool isHostAllowed(const QByteArray &host) const;
    // An Origin is ours when it is http://<the request's Host>.
    bool isOriginAllowed(const QByteArray &origin, const QByteArray &host) const;

    // A request another site's page made: Sec-Fetch-Site other than same-origin or none, or
    // an Origin or Referer that is not http://<host>. Such requests never count as guesses.
    static bool isCrossSite(const QByteArray &secFetchSite, const QByteArray &origin,
                            const QByteArray &referer, const QByteArray &host);

    QByteArray cookieName() const; // per port: cookies are shared between ports of a host
    QByteArray sessionValue() const; // what the cookie holds: HMAC(token), not the token
    QByteArray setCookieHeader() const;
    bool isSessionValid(QByteArrayView cookieValue) const;
    bool isTokenValid(QByteArrayView token) const;

    // What a request offers as proof, read the one way the front door and the answer cache
    // both use: a non-empty Authorization header wins (a Bearer token, anything else is
    // malformed); without it, our session cookie; else nothing. Views into the arguments.
    struct Credentials
    {
        enum class Kind { None, Bearer, Session, Malformed };
        Kind kind = Kind::None;
        QByteArrayView value; // the bearer token or the cookie value
    };
    Credentials credentials(QByteArrayView authorization, QByteArrayView cookieHeader) const;
    // The owner's own proof: the access token or the session cookie (not a report token).
    bool isOwner(const Credentials &credentials) const;
    QByteArray csrfToken(const QByteArray &session) const;
    bool isCsrfValid(const QByteArray &session, const QByteArray &csrf) const;

    // 0.0.0.0 or :: (every interface): never a Host literal, never a page address.
    static bool isWildcardAddress(const QHostAddress &address);
    static QByteArray cookieValue(const QByteArray &cookieHeader, const QByteArray &name);
    static QByteArrayView cookieValueView(QByteArrayView cookieHeader, QByteArrayView name);

    // Content-Security-Policy, X-Frame-Options, nosniff, Referrer-Policy; Cache-Control
    // no-store for the API and dynamic pages.
    QList<std::pair<QByteArray, QByteArray>> responseHeaders(const QByteArray &host,
                                                             bool noStore) const;

private:
    quint16 m_port = 0;
    QHostAddress m_listenAddress;
    QStringList m_allowedHosts;
    QByteArray m_token;
    QByteArray m_session;
};
