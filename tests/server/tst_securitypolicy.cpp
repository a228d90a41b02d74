// Tests of SecurityPolicy: Host and Origin rules, the session cookie, CSRF values, headers.
#include "app/server/securitypolicy.h"

#include <QTest>

using namespace Qt::StringLiterals;

class tst_SecurityPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wildcard_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<bool>("wildcard");
        QTest::newRow("0.0.0.0") << u"0.0.0.0"_s << true;
        QTest::newRow("::") << u"::"_s << true;
        QTest::newRow("127.0.0.1") << u"127.0.0.1"_s << false;
        QTest::newRow("::1") << u"::1"_s << false;
        QTest::newRow("192.0.2.7") << u"192.0.2.7"_s << false;
    }
    void wildcard()
    {
        QFETCH(QString, address);
        QFETCH(bool, wildcard);
        QCOMPARE(SecurityPolicy::isWildcardAddress(QHostAddress(address)), wildcard);
    }
    void hosts_data()
    {
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("127") << QByteArray("127.0.0.1:8421") << true;
        QTest::newRow("localhost") << QByteArray("LocalHost:8421") << true;
        QTest::newRow("v6") << QByteArray("[::1]:8421") << true;
        QTest::newRow("configured") << QByteArray("myhost.lan:8421") << true;
        QTest::newRow("other name") << QByteArray("evil.example:8421") << false;
        QTest::newRow("other port") << QByteArray("localhost:8422") << false;
        QTest::newRow("no port") << QByteArray("localhost") << false;
        QTest::newRow("plus port") << QByteArray("localhost:+8421") << false;
        QTest::newRow("zero-padded port") << QByteArray("127.0.0.1:0008421") << false;
        QTest::newRow("space in port") << QByteArray("127.0.0.1: 8421") << false;
        QTest::newRow("v6 plus port") << QByteArray("[::1]:+8421") << false;
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("bad v6") << QByteArray("[::1:8421") << false;
        QTest::newRow("junk port") << QByteArray("localhost:84x21") << false;
        QTest::newRow("userinfo trick") << QByteArray("localhost:8421@evil.example") << false;
    }
    void hosts()
    {
        QFETCH(QByteArray, host);
        QFETCH(bool, allowed);
        SecurityPolicy policy;
        policy.setPort(8421);
        policy.setAllowedHosts({ u"MyHost.lan"_s });
        QCOMPARE(policy.isHostAllowed(host), allowed);
    }

    void crossSite_data()
    {
        QTest::addColumn<QByteArray>("fetchSite");
        QTest::addColumn<QByteArray>("origin");
        QTest::addColumn<QByteArray>("referer");
        QTest::addColumn<bool>("crossSite");
        const QByteArray own = "http://127.0.0.1:8421";
        QTest::newRow("script, no headers")
            << QByteArray() << QByteArray() << QByteArray() << false;
        QTest::newRow("same-origin") << QByteArray("same-origin") << own << own + "/" << false;
        QTest::newRow("typed address")
            << QByteArray("none") << QByteArray() << QByteArray() << false;
        QTest::newRow("img on another site") << QByteArray("cross-site") << QByteArray()
                                             << QByteArray("https://evil.example/") << true;
        QTest::newRow("another port")
            << QByteArray("same-site") << QByteArray() << QByteArray() << true;
        QTest::newRow("foreign origin")
            << QByteArray() << QByteArray("https://evil.example") << QByteArray() << true;
        QTest::newRow("null origin") << QByteArray() << QByteArray("null") << QByteArray() << true;
        QTest::newRow("foreign referer")
            << QByteArray() << QByteArray() << QByteArray("http://evil.example/x?y") << true;
        QTest::newRow("referer lookalike")
            << QByteArray() << QByteArray() << QByteArray("http://127.0.0.1:8421.evil.example/")
            << true;
        QTest::newRow("own referer")
            << QByteArray() << QByteArray() << own + "/plain/tasks" << false;
        QTest::newRow("own referer, no path") << QByteArray() << QByteArray() << own << false;
    }
    void crossSite()
    {
        QFETCH(QByteArray, fetchSite);
        QFETCH(QByteArray, origin);
        QFETCH(QByteArray, referer);
        QFETCH(bool, crossSite);
        QCOMPARE(SecurityPolicy::isCrossSite(fetchSite, origin, referer, "127.0.0.1:8421"),
                 crossSite);
    }

    void listenAddressIsAHost()
    {
        SecurityPolicy policy;
        policy.setPort(9000);
        policy.setListenAddress(QHostAddress(u"192.168.1.5"_s));
        QVERIFY(policy.isHostAllowed("192.168.1.5:9000"));
        QVERIFY(!policy.isHostAllowed("192.168.1.6:9000"));
        policy.setListenAddress(QHostAddress(QHostAddress::Any));
        QVERIFY(!policy.isHostAllowed("0.0.0.0:9000"));
    }

    void origins()
    {
        SecurityPolicy policy;
        QVERIFY(policy.isOriginAllowed("http://127.0.0.1:8421", "127.0.0.1:8421"));
        QVERIFY(!policy.isOriginAllowed("http://localhost:8421", "127.0.0.1:8421"));
        QVERIFY(!policy.isOriginAllowed("null", "127.0.0.1:8421"));
        QVERIFY(!policy.isOriginAllowed("https://127.0.0.1:8421", "127.0.0.1:8421"));
    }

    void sessionAndCsrf()
    {
        SecurityPolicy policy;
        policy.setPort(8421);
        policy.setToken("secret-token");
        QVERIFY(policy.isTokenValid("secret-token"));
        QVERIFY(!policy.isTokenValid("secret-tokem"));
        QVERIFY(!policy.isTokenValid(""));
        const QByteArray session = policy.sessionValue();
        QVERIFY(!session.contains("secret"));
        QVERIFY(policy.isSessionValid(session));
        QVERIFY(!policy.isSessionValid("x"));
        const QByteArray cookie = policy.setCookieHeader();
        QVERIFY(cookie.startsWith(QByteArray("headway_session_8421=" + session)));
        QVERIFY(cookie.contains("HttpOnly"));
        QVERIFY(cookie.contains("SameSite=Strict"));
        QCOMPARE(SecurityPolicy::cookieValue("a=1; headway_session_8421=" + session + "; b=2",
                                             policy.cookieName()),
                 session);
        const QByteArray csrf = policy.csrfToken(session);
        QVERIFY(policy.isCsrfValid(session, csrf));
        QVERIFY(!policy.isCsrfValid(session, csrf.chopped(1)));
        QVERIFY(!policy.isCsrfValid({}, policy.csrfToken({})));
        // Rotating the token ends sessions.
        policy.setToken("another");
        QVERIFY(!policy.isSessionValid(session));
    }

    // One comparison for every secret (AccessToken::constantTimeEquals): the token, the
    // session and the CSRF value all refuse a prefix, a longer value and an empty one.
    void secretsCompareExactly_data()
    {
        QTest::addColumn<QByteArray>("candidate");
        QTest::addColumn<bool>("valid");
        QTest::newRow("same") << QByteArray("abcdef") << true;
        QTest::newRow("last differs") << QByteArray("abcdeg") << false;
        QTest::newRow("prefix") << QByteArray("abc") << false;
        QTest::newRow("longer") << QByteArray("abcdefg") << false;
        QTest::newRow("empty") << QByteArray() << false;
    }

    void secretsCompareExactly()
    {
        QFETCH(QByteArray, candidate);
        QFETCH(bool, valid);
        SecurityPolicy policy;
        policy.setToken("abcdef");
        QCOMPARE(policy.isTokenValid(candidate), valid);
        const QByteArray session = policy.sessionValue();
        QVERIFY(policy.isSessionValid(session));
        QVERIFY(!policy.isSessionValid(session.chopped(1)));
        QVERIFY(!policy.isSessionValid(QByteArray(session + 'x')));
        QVERIFY(!policy.isSessionValid(QByteArray()));
        const QByteArray csrf = policy.csrfToken(session);
        QVERIFY(policy.isCsrfValid(session, csrf));
        QVERIFY(!policy.isCsrfValid(session, csrf.chopped(1)));
        QVERIFY(!policy.isCsrfValid(session, QByteArray()));
        SecurityPolicy empty; // no token yet: nothing is valid, not even an empty candidate
        QVERIFY(!empty.isTokenValid(QByteArray()));
    }

    void headers()
    {
        SecurityPolicy policy;
        const auto headers = policy.responseHeaders("127.0.0.1:8421", true);
        QByteArray csp;
        for (const auto &[name, value] : headers) {
            if (name == "Content-Security-Policy")
                csp = value;
            QVERIFY(!name.toLower().startsWith("access-control"));
        }
        QVERIFY(csp.contains("default-src 'self'"));
        QVERIFY(csp.contains("connect-src 'self' ws://127.0.0.1:8421"));
        QVERIFY(csp.contains("frame-ancestors 'self'"));
    }
};

QTEST_GUILESS_MAIN(tst_SecurityPolicy)
#include "tst_securitypolicy.moc"
