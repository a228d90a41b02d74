// Tests of ApiError: engine errors to statuses, the JSON error object, and HttpReply::from()
// writing the same object the WebSocket replies embed.
#include "app/server/apierror.h"
#include "app/server/httpreply.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_ApiError : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fromEngineError_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("status");
        QTest::newRow("not found") << u"not_found"_s << 404;
        QTest::newRow("transition") << u"invalid_transition"_s << 409;
        QTest::newRow("not finished") << u"not_finished"_s << 409;
        QTest::newRow("params") << u"invalid_params"_s << 400;
        QTest::newRow("type") << u"unknown_type"_s << 400;
    }

    void fromEngineError()
    {
        QFETCH(QString, code);
        QFETCH(int, status);
        const EngineError engine { code, u"Why."_s, { { u"params.x"_s, u"bad"_s } } };
        const ApiError error = ApiError::fromEngineError(engine);
        QCOMPARE(error.status, status);
        QCOMPARE(error.code, code);
        QCOMPARE(error.message, u"Why."_s);
        QCOMPARE(error.fields, engine.fields);
    }

    void json()
    {
        const ApiError plain { 409, u"invalid_transition"_s, u"No."_s, {} };
        QCOMPARE(
            plain.toJson(),
            (QJsonObject { { u"code"_s, u"invalid_transition"_s }, { u"message"_s, u"No."_s } }));
        const ApiError withFields {
            400, u"invalid_request"_s, u"Bad."_s, { { u"type"_s, u"Required."_s } }
        };
        const QJsonArray fields = withFields.toJson().value(u"fields"_s).toArray();
        QCOMPARE(fields.size(), 1);
        QCOMPARE(fields.at(0).toObject().value(u"field"_s).toString(), u"type"_s);
        QCOMPARE(fields.at(0).toObject().value(u"message"_s).toString(), u"Required."_s);

        const HttpReply reply = HttpReply::from(withFields);
        QCOMPARE(reply.status, 400);
        QCOMPARE(QJsonDocument::fromJson(reply.body).object().value(u"error"_s).toObject(),
                 withFields.toJson());
    }
};

QTEST_GUILESS_MAIN(tst_ApiError)
#include "tst_apierror.moc"
