#include "app/core/translations.h"

#include <QCoreApplication>
#include <QTest>

using namespace Qt::StringLiterals;

// The bundled English plural forms: tr(..., n) strings read right for 1 and for many once
// installTranslations() ran. That every such string has its forms is translations_complete's.
class tst_Translations final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(installTranslations()); }

    void pluralForms_data()
    {
        QTest::addColumn<QString>("context");
        QTest::addColumn<QString>("source");
        QTest::addColumn<int>("n");
        QTest::addColumn<QString>("expected");
        QTest::newRow("one interrupted")
            << u"MainWindow"_s << u"%n task(s) interrupted"_s << 1 << u"1 task interrupted"_s;
        QTest::newRow("two interrupted")
            << u"MainWindow"_s << u"%n task(s) interrupted"_s << 2 << u"2 tasks interrupted"_s;
        QTest::newRow("zero finished")
            << u"FinishNotices"_s << u"%n task(s) finished"_s << 0 << u"0 tasks finished"_s;
        QTest::newRow("one core") << u"SettingsDialog"_s << u"Automatic (%n core(s))"_s << 1
                                  << u"Automatic (1 core)"_s;
        QTest::newRow("tray") << u"TrayIcon"_s << u"Headway: %n task(s) running"_s << 3
                              << u"Headway: 3 tasks running"_s;
        QTest::newRow("retry one") << u"MainWindow"_s << u"Retry all"_s << 1 << u"Retry"_s;
        QTest::newRow("retry two") << u"MainWindow"_s << u"Retry all"_s << 2 << u"Retry all"_s;
        QTest::newRow("demo title")
            << u"BuiltinTaskTypes"_s << u"Demo (%n steps)"_s << 1 << u"Demo (1 step)"_s;
    }

    void pluralForms()
    {
        QFETCH(QString, context);
        QFETCH(QString, source);
        QFETCH(int, n);
        QFETCH(QString, expected);
        QCOMPARE(QCoreApplication::translate(context.toLatin1().constData(),
                                             source.toLatin1().constData(), nullptr, n),
                 expected);
    }
};

QTEST_GUILESS_MAIN(tst_Translations)
#include "tst_translations.moc"
