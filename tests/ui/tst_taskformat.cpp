#include "ui/taskformat.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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

    // The window's words against tests/terms.json, the table the page is checked against too
    // (tests/web/browser/terms.test.mjs): one vocabulary in both views.
    void terms_data()
    {
        QFile file(qEnvironmentVariable("HEADWAY_TERMS"));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        const QJsonObject terms = QJsonDocument::fromJson(file.readAll()).object();
        QTest::addColumn<QString>("actual");
        QTest::addColumn<QString>("expected");
        const QJsonObject states = terms.value(u"states"_s).toObject();
        for (auto it = states.begin(); it != states.end(); ++it) {
            QTest::addRow("state %s", qPrintable(it.key()))
                << TaskFormat::stateLabel(*taskStateFromName(it.key())) << it->toString();
        }
        for (const QJsonValue &v : terms.value(u"processed"_s).toArray()) {
            const QJsonObject o = v.toObject();
            QTest::addRow("processed %s", qPrintable(o.value(u"text"_s).toString()))
                << TaskFormat::processed(o.value(u"processed"_s).toInteger(),
                                         o.value(u"total"_s).toInteger(),
                                         o.value(u"unit"_s).toString())
                << o.value(u"text"_s).toString();
        }
        for (const QJsonValue &v : terms.value(u"speed"_s).toArray()) {
            const QJsonObject o = v.toObject();
            QTest::addRow("speed %s", qPrintable(o.value(u"text"_s).toString()))
                << TaskFormat::speed(o.value(u"speed"_s).toDouble(), o.value(u"unit"_s).toString())
                << o.value(u"text"_s).toString();
        }
        for (const QJsonValue &v : terms.value(u"eta"_s).toArray()) {
            const QJsonObject o = v.toObject();
            QTest::addRow("eta %s", qPrintable(o.value(u"text"_s).toString()))
                << TaskFormat::eta(o.value(u"seconds"_s).toDouble())
                << o.value(u"text"_s).toString();
        }
        for (const QJsonValue &v : terms.value(u"attempt"_s).toArray()) {
            const QJsonObject o = v.toObject();
            QTest::addRow("attempt %d/%d", o.value(u"attempt"_s).toInt(),
                          o.value(u"max_retries"_s).toInt())
                << TaskFormat::attempt(o.value(u"attempt"_s).toInt(),
                                       o.value(u"max_retries"_s).toInt())
                << o.value(u"text"_s).toString();
        }
        const QJsonObject bars = terms.value(u"barColors"_s).toObject();
        const QPalette light(Qt::black, QColor(240, 240, 240));
        const QPalette dark(Qt::white, QColor(30, 30, 30));
        for (const auto &[theme, palette] :
             { std::pair { u"light"_s, light }, std::pair { u"dark"_s, dark } }) {
            const QJsonObject colors = bars.value(theme).toObject();
            for (auto it = colors.begin(); it != colors.end(); ++it) {
                QTest::addRow("bar %s %s", qPrintable(theme), qPrintable(it.key()))
                    << TaskFormat::stateColor(*taskStateFromName(it.key()), palette).name()
                    << it->toString();
            }
        }
    }
    void terms()
    {
        QFETCH(QString, actual);
        QFETCH(QString, expected);
        QCOMPARE(actual, expected);
    }

    // The running message is shown only while the task is under way.
    void liveMessage()
    {
        QCOMPARE(TaskFormat::liveMessage(TaskState::Running, u"Unpacking"_s), u"Unpacking"_s);
        QCOMPARE(TaskFormat::liveMessage(TaskState::Paused, u"Unpacking"_s), u"Unpacking"_s);
        for (TaskState s : { TaskState::Succeeded, TaskState::Failed, TaskState::Canceled,
                             TaskState::Interrupted })
            QCOMPARE(TaskFormat::liveMessage(s, u"Unpacking"_s), QString());
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
