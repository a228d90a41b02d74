#include "ui/settingsdialog.h"
#include "ui/uisettings.h"

#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_SettingsDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Every label with a mnemonic has a buddy (without one Qt shows the "&" itself) and each
    // letter is used once.
    void mnemonicsHaveBuddies()
    {
        QTemporaryDir dir;
        QSettings s(dir.filePath(u"s.ini"_s), QSettings::IniFormat);
        UiSettings ui(&s);
        SettingsDialog dialog(ui);
        QSet<QChar> letters;
        for (const QLabel *label : dialog.findChildren<QLabel *>()) {
            QString text = label->text();
            text.replace(u"&&"_s, QString());
            const qsizetype amp = text.indexOf(u'&');
            if (amp < 0)
                continue;
            QVERIFY2(label->buddy(), qPrintable(label->text()));
            QVERIFY2(label->buddy()->focusPolicy() & Qt::TabFocus, qPrintable(label->text()));
            const QChar letter = text.at(amp + 1).toLower();
            QVERIFY2(!letters.contains(letter), qPrintable(label->text()));
            letters.insert(letter);
        }
        QCOMPARE(letters.size(), 3); // tasks at once, port, Celery broker
    }

    void loadsAndSaves()
    {
        QTemporaryDir dir;
        QSettings s(dir.filePath(u"s.ini"_s), QSettings::IniFormat);
        UiSettings ui(&s);
        ui.setPort(8080);
        SettingsDialog dialog(ui);
        QCOMPARE(dialog.portBox()->value(), 8080);
        QCOMPARE(dialog.concurrencyBox()->value(), 0);
        QVERIFY(dialog.concurrencyBox()->specialValueText().startsWith(u"Automatic"_s));
        QVERIFY(dialog.notificationsBox()->isChecked());
        QVERIFY(dialog.closeToTrayBox()->isChecked());
        QCOMPARE(dialog.portBox()->accessibleName(), u"Server port"_s);

        dialog.concurrencyBox()->setValue(4);
        dialog.portBox()->setValue(9000);
        dialog.notificationsBox()->setChecked(false);
        dialog.closeToTrayBox()->setChecked(false);
        dialog.celeryUrlEdit()->setText(u"redis://127.0.0.1:6379/1"_s);
        dialog.accept();
        QCOMPARE(ui.concurrency(), 4);
        QCOMPARE(ui.port(), 9000);
        QVERIFY(!ui.notifications());
        QVERIFY(!ui.closeToTray());
        QCOMPARE(ui.celeryUrl(), u"redis://127.0.0.1:6379/1"_s);
    }

    void cancelKeepsSettings()
    {
        QTemporaryDir dir;
        QSettings s(dir.filePath(u"s.ini"_s), QSettings::IniFormat);
        UiSettings ui(&s);
        SettingsDialog dialog(ui);
        dialog.portBox()->setValue(1234);
        dialog.reject();
        QCOMPARE(ui.port(), UiSettings::kDefaultPort);
    }
};

QTEST_MAIN(tst_SettingsDialog)
#include "tst_settingsdialog.moc"
