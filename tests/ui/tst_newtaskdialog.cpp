#include "app/core/taskengine.h"
#include "ui/newtaskdialog.h"
#include "uitesthelpers.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTest>

class tst_NewTaskDialog : public QObject
{
    Q_OBJECT

    static EngineOptions idleOptions()
    {
        EngineOptions o;
        o.runTasks = false;
        return o;
    }

private Q_SLOTS:
    void formFromSchema()
    {
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        TaskEngine engine(registry, idleOptions());
        NewTaskDialog dialog(engine);
        QCOMPARE(dialog.type(), u"demo"_s); // the default choice
        QCOMPARE(dialog.fieldNames(),
                 (QStringList { u"delay_ms"_s, u"fail_at_step"_s, u"steps"_s }));
        QVERIFY(qobject_cast<QLineEdit *>(dialog.fieldWidget(u"steps"_s)));

        QVERIFY(dialog.setType(u"copy"_s));
        QVERIFY(!dialog.setType(u"nope"_s));
        // Required first, then the rest; widgets by kind.
        QCOMPARE(dialog.fieldNames().mid(0, 2), (QStringList { u"source"_s, u"destination"_s }));
        QVERIFY(qobject_cast<QLineEdit *>(dialog.fieldWidget(u"source"_s)));
        QVERIFY(qobject_cast<QCheckBox *>(dialog.fieldWidget(u"overwrite"_s)));
        QVERIFY(qobject_cast<QComboBox *>(dialog.fieldWidget(u"mode"_s)));
        QVERIFY(qobject_cast<QPlainTextEdit *>(dialog.fieldWidget(u"tags"_s)));
        QCOMPARE(dialog.fieldWidget(u"source"_s)->accessibleName(), u"Source"_s);

        // The file picker fills the field.
        QString askedFormat;
        dialog.setPathPicker([&](const QString &format, const QString &) {
            askedFormat = format;
            return u"/tmp/picked"_s;
        });
        QPushButton *browse = nullptr;
        for (QPushButton *b : dialog.findChildren<QPushButton *>()) {
            if (b->accessibleName() == u"Choose Destination"_s)
                browse = b;
        }
        QVERIFY(browse);
        browse->click();
        QCOMPARE(askedFormat, u"directory"_s);
        QCOMPARE(qobject_cast<QLineEdit *>(dialog.fieldWidget(u"destination"_s))->text(),
                 u"/tmp/picked"_s);
    }

    void errorsNextToFields()
    {
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        TaskEngine engine(registry, idleOptions());
        NewTaskDialog dialog(engine);
        dialog.setType(u"copy"_s);
        dialog.setFieldText(u"tags"_s, u"[1, "_s);
        QVERIFY(!dialog.submit());
        QVERIFY(dialog.fieldError(u"tags"_s).startsWith(u"Not valid JSON"_s));

        dialog.setFieldText(u"tags"_s, u"[\"a\", 2]"_s);
        QVERIFY(!dialog.submit());
        QCOMPARE(dialog.fieldError(u"source"_s), u"This parameter is required."_s);
        QCOMPARE(dialog.fieldError(u"destination"_s), u"This parameter is required."_s);
        QCOMPARE(dialog.fieldError(u"tags"_s), u"[1]: Must be a string."_s);
        QCOMPARE(engine.taskCount(), 0);

        dialog.setType(u"demo"_s);
        dialog.setFieldText(u"steps"_s, u"abc"_s);
        QVERIFY(!dialog.submit());
        QCOMPARE(dialog.fieldError(u"steps"_s), u"Must be a whole number."_s);
        dialog.setFieldText(u"steps"_s, u"0"_s);
        QVERIFY(!dialog.submit());
        QCOMPARE(dialog.fieldError(u"steps"_s), u"Must be at least 1."_s);

        // HEADWAY_UI_GRAB=dir saves a picture of the dialog with its messages, for a person to look
        // at.
        dialog.setType(u"copy"_s);
        dialog.setFieldText(u"tags"_s, u"[\"a\", 2]"_s);
        QVERIFY(!dialog.submit());
        if (const QString dir = qEnvironmentVariable("HEADWAY_UI_GRAB"); !dir.isEmpty()) {
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            dialog.grab().save(dir + u"/new-task-dialog.png"_s);
        }
    }

    void submits()
    {
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        TaskEngine engine(registry, idleOptions());
        NewTaskDialog dialog(engine);
        dialog.setFieldText(u"steps"_s, u"3"_s);
        dialog.setFieldText(u"title"_s, u"Three steps"_s);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(!dialog.submittedId().isEmpty());
        const auto task = engine.task(dialog.submittedId());
        QVERIFY(task);
        QCOMPARE(task->title, u"Three steps"_s);
        QCOMPARE(task->params.value(u"steps"_s).toInt(), 3);
        QCOMPARE(task->params.value(u"delay_ms"_s).toInt(), 200); // default filled in
        QVERIFY(dialog.fieldError(u"steps"_s).isEmpty());
    }

    // Tab walks the form top to bottom, the buttons last, for every type.
    void tabOrderFollowsTheForm()
    {
        TaskTypeRegistry registry;
        registerBuiltinTaskTypes(registry);
        TaskEngine engine(registry, idleOptions());
        NewTaskDialog dialog(engine);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *type = dialog.findChild<QComboBox *>();
        for (const QString &name : { u"demo"_s, u"copy"_s, u"command"_s, u"checksum"_s }) {
            QVERIFY2(dialog.setType(name), qPrintable(name));
            QList<QWidget *> chain;
            QWidget *w = type;
            do {
                if (w->isVisible() && w->isEnabled() && (w->focusPolicy() & Qt::TabFocus))
                    chain.append(w);
                w = w->nextInFocusChain();
            } while (w != type && chain.size() < 100);
            QVERIFY2(chain.size() >= 5, qPrintable(name));
            // Top to bottom on the screen, the buttons (side by side) at the end.
            const auto y = [&dialog](QWidget *x) { return x->mapTo(&dialog, QPoint(0, 0)).y(); };
            const int slack = dialog.fontMetrics().height() / 2; // widgets side by side in a row
            for (qsizetype i = 1; i < chain.size(); ++i)
                QVERIFY2(
                    y(chain.at(i)) >= y(chain.at(i - 1)) - slack,
                    qPrintable(name + u": "_s
                               + QString::fromLatin1(chain.at(i)->metaObject()->className())
                               + u" after "_s
                               + QString::fromLatin1(chain.at(i - 1)->metaObject()->className())));
            auto *a = qobject_cast<QPushButton *>(chain.at(chain.size() - 2));
            auto *b = qobject_cast<QPushButton *>(chain.last());
            QVERIFY2(a && b, qPrintable(name));
            QCOMPARE(QSet<QString>({ a->text(), b->text() }),
                     QSet<QString>({ u"&Start"_s, u"Cancel"_s }));
        }
    }

    // The real built-in types: every form builds, an empty form never crashes and either
    // submits or names what is missing.
    void builtinTypes()
    {
        TaskTypeRegistry registry;
        registerBuiltinTaskTypes(registry);
        TaskEngine engine(registry, idleOptions());
        NewTaskDialog dialog(engine);
        for (const TaskType *type : registry.types()) {
            if (!type->create)
                continue;
            QVERIFY2(dialog.setType(type->name), qPrintable(type->name));
            QVERIFY(!dialog.fieldNames().isEmpty());
            const int before = engine.taskCount();
            if (!dialog.submit()) {
                bool anyError = !dialog.fieldError(QString()).isEmpty();
                for (const QString &f : dialog.fieldNames())
                    anyError |= !dialog.fieldError(f).isEmpty();
                QVERIFY2(anyError, qPrintable(type->name));
                QCOMPARE(engine.taskCount(), before);
            }
            if (const QString dir = qEnvironmentVariable("HEADWAY_UI_GRAB"); !dir.isEmpty()) {
                dialog.show();
                QVERIFY(QTest::qWaitForWindowExposed(&dialog));
                dialog.grab().save(dir + u"/new-task-"_s + type->name + u".png"_s);
            }
        }
    }

    // The dialog offers what the page offers (GET /api/v1/task-types): external types such as
    // Celery too, when registered; enum values by their names ("SHA-256" for sha256).
    void offersWhatThePageOffers()
    {
        TaskTypeRegistry registry;
        registerBuiltinTaskTypes(registry);
        TaskType external;
        external.name = u"celery"_s;
        external.title = u"Celery task"_s;
        external.schema = QJsonObject { { u"type"_s, u"object"_s } };
        registry.add(external);
        TaskEngine engine(registry, idleOptions());
        NewTaskDialog dialog(engine);
        QComboBox *types = nullptr;
        for (QComboBox *c : dialog.findChildren<QComboBox *>())
            if (c->accessibleName() == u"Task type"_s)
                types = c;
        QVERIFY(types);
        QStringList offered;
        for (int i = 0; i < types->count(); ++i)
            offered.append(types->itemData(i).toString());
        QStringList page;
        for (const TaskType *t : registry.publicTypes())
            page.append(t->name);
        QCOMPARE(offered, page);
        QVERIFY(offered.contains(u"celery"_s));

        QVERIFY(dialog.setType(u"checksum"_s));
        QStringList algorithms;
        for (QComboBox *c : dialog.findChildren<QComboBox *>()) {
            if (c != types && c->isVisibleTo(&dialog) && c->findData(u"md5"_s) >= 0) {
                for (int i = 0; i < c->count(); ++i)
                    if (c->itemData(i).isValid())
                        algorithms.append(c->itemText(i));
            }
        }
        QCOMPARE(algorithms, (QStringList { u"SHA-256"_s, u"SHA-1"_s, u"MD5"_s }));
    }
};

QTEST_MAIN(tst_NewTaskDialog)
#include "tst_newtaskdialog.moc"
