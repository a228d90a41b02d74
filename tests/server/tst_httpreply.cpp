// Tests of HttpReply: the error body every JSON route answers with, and the Content-Type of
// the page's files, taken from the system's MIME database.
#include "app/server/httpreply.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_HttpReply : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void contentTypeFor_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("html") << u"/index.html"_s << QByteArray("text/html; charset=utf-8");
        QTest::newRow("css") << u"/css/headway.css"_s << QByteArray("text/css; charset=utf-8");
        QTest::newRow("js") << u"/js/api.js"_s
                            << QByteArray("application/javascript; charset=utf-8");
        QTest::newRow("module") << u"/js/app.mjs"_s
                                << QByteArray("application/javascript; charset=utf-8");
        QTest::newRow("svg") << u"/img/check.svg"_s << QByteArray("image/svg+xml; charset=utf-8");
        QTest::newRow("png") << u"/img/a.png"_s << QByteArray("image/png");
        QTest::newRow("woff2") << u"/fonts/a.woff2"_s << QByteArray("font/woff2");
        QTest::newRow("text") << u"/LICENSE.txt"_s << QByteArray("text/plain; charset=utf-8");
        QTest::newRow("upper case") << u"/INDEX.HTML"_s << QByteArray("text/html; charset=utf-8");
        QTest::newRow("unknown") << u"/a.unknown-ext"_s << QByteArray("application/octet-stream");
        QTest::newRow("none") << u"/somefile"_s << QByteArray("application/octet-stream");
    }

    void contentTypeFor()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, expected);
        QCOMPARE(HttpReply::contentTypeFor(name), expected);
    }

    void error()
    {
        const HttpReply reply = HttpReply::error(409, u"invalid_transition"_s, u"No."_s,
                                                 { FieldError { u"state"_s, u"bad"_s } });
        QCOMPARE(reply.status, 409);
        QCOMPARE(reply.header("content-type"), QByteArray("application/json"));
        const QJsonObject error
            = QJsonDocument::fromJson(reply.body).object().value(u"error"_s).toObject();
        QCOMPARE(error.value(u"code"_s).toString(), u"invalid_transition"_s);
        QCOMPARE(error.value(u"message"_s).toString(), u"No."_s);
        QCOMPARE(error.value(u"fields"_s).toArray().size(), 1);
    }
};

QTEST_GUILESS_MAIN(tst_HttpReply)
#include "tst_httpreply.moc"
