#include "app/progress/progressoptions.h"

#include <QTest>

using namespace Qt::StringLiterals;

// zenity's options in both forms, ignored general options, Headway's own, and the errors that
// exit 2 naming the option.
class TestProgressOptions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bothForms_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("equals") << QStringList { u"--title=Copy"_s,       u"--text=Copying files"_s,
                                                 u"--percentage=20"_s,    u"--width=500"_s,
                                                 u"--height=200"_s,       u"--timeout=9"_s,
                                                 u"--ok-label=Done"_s,    u"--cancel-label=Stop"_s,
                                                 u"--window-icon=info"_s, u"--auto-close"_s,
                                                 u"--auto-kill"_s,        u"--no-cancel"_s,
                                                 u"--time-remaining"_s,   u"--modal"_s,
                                                 u"--pulsate"_s };
        QTest::newRow("separate") << QStringList { u"--title"_s,        u"Copy"_s,
                                                   u"--text"_s,         u"Copying files"_s,
                                                   u"--percentage"_s,   u"20"_s,
                                                   u"--width"_s,        u"500"_s,
                                                   u"--height"_s,       u"200"_s,
                                                   u"--timeout"_s,      u"9"_s,
                                                   u"--ok-label"_s,     u"Done"_s,
                                                   u"--cancel-label"_s, u"Stop"_s,
                                                   u"--window-icon"_s,  u"info"_s,
                                                   u"--auto-close"_s,   u"--auto-kill"_s,
                                                   u"--no-cancel"_s,    u"--time-remaining"_s,
                                                   u"--modal"_s,        u"--pulsate"_s };
    }

    void bothForms()
    {
        QFETCH(QStringList, args);
        QString error;
        const std::optional<ProgressOptions> o = ProgressOptions::parse(args, &error);
        QVERIFY2(o, qPrintable(error));
        QCOMPARE(o->title, u"Copy"_s);
        QCOMPARE(o->text, u"Copying files"_s);
        QCOMPARE(o->percentage, 20.0);
        QCOMPARE(o->width, 500);
        QCOMPARE(o->height, 200);
        QCOMPARE(o->timeoutSeconds, 9);
        QCOMPARE(o->okLabel, u"Done"_s);
        QCOMPARE(o->cancelLabel, u"Stop"_s);
        QCOMPARE(o->windowIcon, u"info"_s);
        QVERIFY(o->autoClose && o->autoKill && o->noCancel && o->timeRemaining && o->modal
                && o->pulsate);
        QVERIFY(o->command.isEmpty());
    }

    void headwayOptions()
    {
        QString error;
        const std::optional<ProgressOptions> o = ProgressOptions::parse(
            { u"--parse=apt"_s, u"--bar"_s, u"Download"_s, u"--bar=Verify:pulse"_s,
              u"--steps=Download, Unpack,Configure"_s, u"--log"_s, u"--fail-on-early-eof"_s,
              u"--json"_s, u"--no-register"_s, u"--attach=12"_s, u"--no-markup"_s, u"--"_s,
              u"apt-get"_s, u"--title"_s, u"x"_s },
            &error);
        QVERIFY2(o, qPrintable(error));
        QCOMPARE(o->format, ProgressFormat::Apt);
        QCOMPARE(o->bars, (QStringList { u"Download"_s, u"Verify"_s }));
        QCOMPARE(o->barPulsate, (QList<bool> { false, true }));
        QCOMPARE(o->steps, (QStringList { u"Download"_s, u"Unpack"_s, u"Configure"_s }));
        QVERIFY(o->log && o->failOnEarlyEof && o->json && o->noRegister);
        // Everything after "--" belongs to the command, options too.
        QCOMPARE(o->command, (QStringList { u"apt-get"_s, u"--title"_s, u"x"_s }));
        QCOMPARE(o->title, u"Progress"_s);
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown") << QStringList { u"--colour=red"_s } << u"--colour"_s;
        QTest::newRow("missing value")
            << QStringList { u"--title"_s } << u"--title needs a value"_s;
        QTest::newRow("flag with value")
            << QStringList { u"--pulsate=yes"_s } << u"--pulsate takes no value"_s;
        QTest::newRow("bad width") << QStringList { u"--width=wide"_s } << u"--width"_s;
        QTest::newRow("negative timeout") << QStringList { u"--timeout=-1"_s } << u"--timeout"_s;
        QTest::newRow("bad percentage")
            << QStringList { u"--percentage=half"_s } << u"--percentage"_s;
        QTest::newRow("bad parse") << QStringList { u"--parse=yad"_s } << u"zenity, apt, percent"_s;
        QTest::newRow("empty command") << QStringList { u"--"_s } << u"command"_s;
        QTest::newRow("stray argument") << QStringList { u"ls"_s } << u"\"ls\""_s;
    }

    void errors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QString error;
        QVERIFY(!ProgressOptions::parse(args, &error));
        QVERIFY2(error.contains(message), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestProgressOptions)
#include "tst_progressoptions.moc"
