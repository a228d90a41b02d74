#include "app/core/duration.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

// parseDuration: the forms --upload-expiry takes, and everything else refused.
class tst_Duration final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms"); // -1: refused
        QTest::newRow("seconds") << u"90s"_s << qint64(90'000);
        QTest::newRow("minutes") << u"30m"_s << qint64(1'800'000);
        QTest::newRow("hours") << u"24h"_s << qint64(86'400'000);
        QTest::newRow("days") << u"7d"_s << qint64(604'800'000);
        QTest::newRow("upper case unit") << u"2H"_s << qint64(7'200'000);
        QTest::newRow("number alone: hours") << u"3"_s << qint64(10'800'000);
        QTest::newRow("spaces around") << u" 5m "_s << qint64(300'000);
        QTest::newRow("zero") << u"0m"_s << qint64(0);
        QTest::newRow("empty") << QString() << qint64(-1);
        QTest::newRow("unit alone") << u"h"_s << qint64(-1);
        QTest::newRow("unknown unit") << u"5w"_s << qint64(-1);
        QTest::newRow("negative") << u"-5m"_s << qint64(-1);
        QTest::newRow("fraction") << u"1.5h"_s << qint64(-1);
        QTest::newRow("two units") << u"1h30m"_s << qint64(-1);
        QTest::newRow("words") << u"soon"_s << qint64(-1);
        QTest::newRow("space inside") << u"5 m"_s << qint64(-1);
        QTest::newRow("overflow") << u"9999999999999999d"_s << qint64(-1);
    }

    void parses()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        const std::optional<std::chrono::milliseconds> d = parseDuration(text);
        if (ms < 0) {
            QVERIFY2(!d, qPrintable(u"%1 -> %2 ms"_s.arg(text).arg(d ? d->count() : 0)));
        } else {
            QVERIFY(d);
            QCOMPARE(qint64(d->count()), ms);
        }
    }
};

QTEST_GUILESS_MAIN(tst_Duration)
#include "tst_duration.moc"
