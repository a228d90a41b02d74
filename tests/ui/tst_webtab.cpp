#include "app/core/taskengine.h"
#include "ui/mainwindow.h"
#include "ui/pagescript.h"
#include "ui/webpage.h"
#include "ui/webtab.h"
#include "uitesthelpers.h"

#include <QApplication>
#include <QPointer>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QWebEngineView>

using namespace Qt::StringLiterals;

// A tiny HTTP server on 127.0.0.1: "/" answers a page that shows whether the request carried
// the expected Authorization header, and records the request lines it saw.
class PageServer final : public QTcpServer
{
public:
    QByteArray expectedAuth;
    QList<QByteArray> requests;
    QList<bool> authorized;

    PageServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, s, [this, s] { serve(s); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }

private:
    void serve(QTcpSocket *s)
    {
        QByteArray &buf = m_buffers[s];
        buf += s->readAll();
        if (!buf.contains("\r\n\r\n"))
            return;
        const QByteArray head = buf.left(buf.indexOf("\r\n\r\n"));
        m_buffers.remove(s);
        const QList<QByteArray> lines = head.split('\n');
        bool auth = false;
        for (const QByteArray &l : lines) {
            if (l.trimmed().toLower() == ("authorization: " + expectedAuth).toLower())
                auth = true;
        }
        requests.append(lines.value(0).trimmed());
        authorized.append(auth);
        const QByteArray body = "<!doctype html><html><head><title>Test page</title></head><body>"
                                "<div id=\"auth\">"
            + QByteArray(auth ? "yes" : "no")
            + "</div><a id=\"out\" href=\"https://example.invalid/elsewhere\">out</a>"
              "</body></html>";
        s->write("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                 + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        s->disconnectFromHost();
    }
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

class tst_WebTab : public QObject
{
    Q_OBJECT

private:
    static QVariant run(QWebEnginePage *page, const QString &script)
    {
        return runScriptAndWait(page, script, 10000);
    }

private Q_SLOTS:
    void loadsWithHeaderAndReadsDom()
    {
        PageServer server;
        server.expectedAuth = "Bearer s3cret";
        QVERIFY(server.listen(QHostAddress::LocalHost));
        const QUrl base(u"http://127.0.0.1:%1/"_s.arg(server.serverPort()));

        WebTab tab;
        tab.resize(640, 480);
        tab.show();
        QList<QUrl> opened;
        tab.setExternalOpener([&opened](const QUrl &u) { opened.append(u); });
        QSignalSpy loaded(&tab, &WebTab::loadFinished);
        tab.load(base, u"s3cret"_s);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 30000);
        QVERIFY(loaded.first().first().toBool());

        QCOMPARE(run(tab.page(), u"document.getElementById('auth').textContent"_s).toString(),
                 u"yes"_s);
        QCOMPARE(run(tab.page(), u"document.title"_s).toString(), u"Test page"_s);
        QVERIFY(!server.authorized.isEmpty() && server.authorized.first());
        // The token is in no URL the page or its history knows.
        QVERIFY(!tab.page()->url().toString().contains(u"s3cret"_s));
        QVERIFY(!server.requests.first().contains("s3cret"));

        // The page's WebSocket handshake carries the header too (the server checks it before
        // upgrading); the server here only records the request.
        run(tab.page(),
            u"window.ws = new WebSocket('ws://127.0.0.1:%1/ws'); true"_s.arg(server.serverPort()));
        const auto wsRequest = [&server] {
            for (qsizetype i = 0; i < server.requests.size(); ++i) {
                if (server.requests.at(i).startsWith("GET /ws"))
                    return i;
            }
            return qsizetype(-1);
        };
        QTRY_VERIFY_WITH_TIMEOUT(wsRequest() >= 0, 10000);
        QVERIFY(server.authorized.at(wsRequest()));

        // A link to another origin goes to the system browser, the page stays.
        run(tab.page(), u"document.getElementById('out').click(); true"_s);
        QTRY_COMPARE(opened.size(), 1);
        QCOMPARE(opened.first(), QUrl(u"https://example.invalid/elsewhere"_s));
        QCOMPARE(tab.page()->url(), base);
    }

    // The main window's web tab: created on setWebPage, replacing the placeholder.
    void mainWindowWebTab()
    {
        PageServer server;
        server.expectedAuth = "Bearer tok";
        QVERIFY(server.listen(QHostAddress::LocalHost));
        const QUrl base(u"http://127.0.0.1:%1/"_s.arg(server.serverPort()));
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        TaskEngine engine(registry);
        MainWindow w(engine);
        w.show();
        auto *tabs = w.findChild<QTabWidget *>(u"tabs"_s);
        QVERIFY(tabs);
        QVERIFY(!w.findChild<WebTab *>(u"webTab"_s));
        QCOMPARE(tabs->count(), 2);
        w.setWebPage(base, u"tok"_s);
        auto *web = w.findChild<WebTab *>(u"webTab"_s);
        QVERIFY(web);
        QCOMPARE(tabs->count(), 2);
        QCOMPARE(tabs->widget(1), web);
        QSignalSpy loaded(web, &WebTab::loadFinished);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 30000);
        QCOMPARE(run(web->page(), u"document.getElementById('auth').textContent"_s).toString(),
                 u"yes"_s);
    }
};

int main(int argc, char **argv)
{
    // WebEngine with widgets wants shared GL contexts before the application exists.
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    tst_WebTab test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_webtab.moc"
