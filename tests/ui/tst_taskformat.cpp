#include "ui/taskformat.h"

#include <QPalette>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_TaskFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }

    void duration_data()
    {
        QTest::addColumn<double>("seconds");
        QTest::addColumn<QString>("expected");
        // The same rows as formatEta's in tests/web/unit/format.test.mjs: both views say it alike.
        QTest::newRow("zero") << 0.0 << u"0 s"_s;
        QTest::newRow("5 s") << 5.0 << u"5 s"_s;
        QTest::newRow("59.4 s") << 59.4 << u"59 s"_s;
        QTest::newRow("a minute") << 60.0 << u"1 min"_s;
        QTest::newRow("80 s") << 80.0 << u"1 min 20 s"_s;
        QTest::newRow("65 s") << 65.0 << u"1 min 5 s"_s;
        QTest::newRow("an hour") << 3600.0 << u"1 h"_s;
        QTest::newRow("7500 s") << 7500.0 << u"2 h 5 min"_s;
        QTest::newRow("a day") << 86400.0 << u"1 d"_s;
        QTest::newRow("200000 s") << 200000.0 << u"2 d 7 h"_s;
        QTest::newRow("infinite") << qInf() << QString();
        QTest::newRow("negative") << -1.0 << QString();
    }
    void duration()
    {
        QFETCH(double, seconds);
        QFETCH(QString, expected);
        QCOMPARE(TaskFormat::duration(seconds), expected);
    }

    void etaUnknown() { QVERIFY(TaskFormat::eta(std::nullopt).isEmpty()); }

    void speed_data()
    {
        QTest::addColumn<double>("speed");
        QTest::addColumn<QString>("unit");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bytes") << 1.5 * 1024 * 1024 << u"bytes"_s << u"1.5 MiB/s"_s;
        QTest::newRow("files") << 4.0 << u"files"_s << u"4.0 files/s"_s;
        QTest::newRow("many") << 120.0 << u"items"_s << u"120 items/s"_s;
        QTest::newRow("zero") << 0.0 << u"bytes"_s << QString();
    }
    void speed()
    {
        QFETCH(double, speed);
        QFETCH(QString, unit);
        QFETCH(QString, expected);
        QCOMPARE(TaskFormat::speed(speed, unit), expected);
    }

    void amount()
    {
        QCOMPARE(TaskFormat::amount(3, u"files"_s), u"3 files"_s);
        QCOMPARE(TaskFormat::amount(2048, u"bytes"_s), u"2.0 KiB"_s);
    }

    void darkPalette()
    {
        QPalette light(Qt::black, QColor(240, 240, 240));
        QPalette dark(Qt::white, QColor(30, 30, 30));
        QVERIFY(!TaskFormat::isDark(light));
        QVERIFY(TaskFormat::isDark(dark));
        // Each state has its own colour, lighter on dark palettes.
        QVERIFY(TaskFormat::stateColor(TaskState::Failed, dark).lightness()
                > TaskFormat::stateColor(TaskState::Failed, light).lightness());
        QVERIFY(TaskFormat::stateColor(TaskState::Failed, light)
                != TaskFormat::stateColor(TaskState::Succeeded, light));
    }

    void labels()
    {
        QCOMPARE(TaskFormat::stateLabel(TaskState::Running), u"Running"_s);
        QCOMPARE(TaskFormat::stateLabel(TaskState::Interrupted), u"Interrupted"_s);
    }
};

QTEST_MAIN(tst_TaskFormat)
#include "tst_taskformat.moc"
