#include "app/core/taskengine.h"
#include "ui/newtaskdialog.h"
#include "ui/stepeditor.h"
#include "ui/steplisteditor.h"
#include "ui/wordlistedit.h"
#include "uitesthelpers.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

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
        QVERIFY(qobject_cast<WordListEdit *>(dialog.fieldWidget(u"tags"_s)));
        QVERIFY(qobject_cast<QPlainTextEdit *>(dialog.fieldWidget(u"options"_s)));
        QCOMPARE(dialog.fieldWidget(u"source"_s)->accessibleName(), u"Source"_s);

        // The folder picker fills the field.
        QString askedKind;
        dialog.setPathPicker([&](const QString &kind, const QString &) {
            askedKind = kind;
            return u"/tmp/picked"_s;
        });
        auto *browse = dialog.findChild<QPushButton *>(u"destination-folder"_s);
        QVERIFY(browse);
        QCOMPARE(browse->accessibleName(), u"Choose a folder for Destination"_s);
        browse->click();
        QCOMPARE(askedKind, u"open-folder"_s);
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
        dialog.setFieldText(u"options"_s, u"{\"a\": "_s);
        dialog.setFieldText(u"tags"_s, u"-la /tmp"_s);
        QVERIFY(!dialog.submit());
        // Every problem at once: the JSON that does not parse and the missing fields.
        QVERIFY(dialog.fieldError(u"options"_s).startsWith(u"Not valid JSON"_s));
        QCOMPARE(dialog.fieldError(u"source"_s), u"This parameter is required."_s);
        QCOMPARE(dialog.fieldError(u"destination"_s), u"This parameter is required."_s);
        QCOMPARE(dialog.fieldError(u"tags"_s), QString()); // words are never "not JSON"
        QCOMPARE(engine.taskCount(), 0);

        dialog.setFieldText(u"options"_s, u"[1]"_s);
        QVERIFY(!dialog.submit());
        QCOMPARE(dialog.fieldError(u"options"_s), u"Must be an object."_s);
        QCOMPARE(dialog.fieldError(u"source"_s), u"This parameter is required."_s);

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
        dialog.setFieldText(u"options"_s, u"{"_s);
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

    // Arguments are typed as words, shown as the list they make, and never block the other
    // messages (before: "-la /tmp" was "Not valid JSON" and hid the missing program).
    void argumentsAsWords_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QStringList>("words");
        QTest::newRow("options and a path") << u"-la /tmp"_s << QStringList { u"-la"_s, u"/tmp"_s };
        QTest::newRow("quoted space")
            << u"-c \"echo hi\""_s << QStringList { u"-c"_s, u"echo hi"_s };
        QTest::newRow("a number") << u"-n 3"_s << QStringList { u"-n"_s, u"3"_s };
        QTest::newRow("brackets are words") << u"[1, 2]"_s << QStringList { u"[1,"_s, u"2]"_s };
    }
    void argumentsAsWords()
    {
        QFETCH(QString, typed);
        QFETCH(QStringList, words);
        TaskTypeRegistry registry;
        registerBuiltinTaskTypes(registry);
        TaskEngine engine(registry, idleOptions());
        NewTaskDialog dialog(engine);
        QVERIFY(dialog.setType(u"command"_s));
        auto *arguments = qobject_cast<WordListEdit *>(dialog.fieldWidget(u"arguments"_s));
        QVERIFY(arguments);
        QTest::keyClicks(arguments->lineEdit(), typed);
        QCOMPARE(arguments->words(), words);
        // The list it makes is shown under the field.
        auto *preview = arguments->findChild<QLabel *>(u"words"_s);
        QVERIFY(preview && !preview->isHidden());
        for (const QString &w : words)
            QVERIFY2(preview->text().contains(u"“"_s + w + u"”"_s), qPrintable(preview->text()));

        QVERIFY(!dialog.submit());
        QCOMPARE(dialog.fieldError(u"program"_s), u"This parameter is required."_s);
        QCOMPARE(dialog.fieldError(u"arguments"_s), QString());
        QCOMPARE(dialog.fieldError(QString()), QString());
        if (const QString dir = qEnvironmentVariable("HEADWAY_UI_GRAB");
            !dir.isEmpty() && QTest::currentDataTag() == QByteArray("quoted space")) {
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            dialog.grab().save(dir + u"/new-task-arguments.png"_s);
        }

        dialog.setFieldText(u"program"_s, u"true"_s);
        QVERIFY(dialog.submit());
        const auto task = engine.task(dialog.submittedId());
        QVERIFY(task);
        QCOMPARE(task->params.value(u"arguments"_s).toArray(), QJsonArray::fromStringList(words));
    }

    // Sources get Open dialogs (a file, or a folder where a tree may be copied); targets a Save
    // dialog or a folder to copy into.
    void pathPickers_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("button");
        QTest::addColumn<QString>("kind"); // "" = no such button
        QTest::newRow("copy source file") << u"copy"_s << u"source-file"_s << u"open-file"_s;
        QTest::newRow("copy source folder") << u"copy"_s << u"source-folder"_s << u"open-folder"_s;
        QTest::newRow("copy destination file")
            << u"copy"_s << u"destination-file"_s << u"save-file"_s;
        QTest::newRow("copy into a folder")
            << u"copy"_s << u"destination-folder"_s << u"open-folder"_s;
        QTest::newRow("checksum file") << u"checksum"_s << u"path-file"_s << u"open-file"_s;
        QTest::newRow("checksum has no folder") << u"checksum"_s << u"path-folder"_s << QString();
        QTest::newRow("working directory")
            << u"command"_s << u"working_directory-folder"_s << u"open-folder"_s;
        QTest::newRow("working directory is no file")
            << u"command"_s << u"working_directory-file"_s << QString();
    }
    void pathPickers()
    {
        QFETCH(QString, type);
        QFETCH(QString, button);
        QFETCH(QString, kind);
        TaskTypeRegistry registry;
        registerBuiltinTaskTypes(registry);
        TaskEngine engine(registry, idleOptions());
        NewTaskDialog dialog(engine);
        QVERIFY(dialog.setType(type));
        QString asked;
        dialog.setPathPicker([&asked](const QString &k, const QString &) {
            asked = k;
            return u"/srv/picked"_s;
        });
        auto *b = dialog.findChild<QPushButton *>(button);
        if (kind.isEmpty()) {
            QVERIFY(!b);
            return;
        }
        QVERIFY(b);
        QVERIFY(b->text() == u"File…"_s || b->text() == u"Folder…"_s);
        b->click();
        QCOMPARE(asked, kind);
        const QString field = button.section(u'-', 0, 0);
        QCOMPARE(qobject_cast<QLineEdit *>(dialog.fieldWidget(field))->text(), u"/srv/picked"_s);
    }

    // Pipeline steps: a list of forms, one per step, with add/move/remove; errors name the step.
    void pipelineSteps()
    {
        TaskTypeRegistry registry;
        registerBuiltinTaskTypes(registry);
        TaskEngine engine(registry, idleOptions());
        NewTaskDialog dialog(engine);
        QVERIFY(dialog.setType(u"pipeline"_s));
        auto *steps = dialog.findChild<StepListEditor *>(u"steps"_s);
        QVERIFY(steps);
        QCOMPARE(steps->count(), 0);

        QVERIFY(!dialog.submit()); // no steps yet
        QCOMPARE(dialog.fieldError(u"steps"_s), u"A pipeline needs at least one step."_s);

        auto *add = steps->findChild<QPushButton *>(u"addStep"_s);
        QVERIFY(add);
        add->click();
        add->click();
        QCOMPARE(steps->count(), 2);
        auto *first = steps->findChild<StepEditor *>(u"step-0"_s);
        auto *second = steps->findChild<StepEditor *>(u"step-1"_s);
        QVERIFY(first && second);
        auto *type0 = first->findChild<QComboBox *>(u"type"_s);
        auto *type1 = second->findChild<QComboBox *>(u"type"_s);
        type0->setCurrentIndex(type0->findData(u"demo"_s));
        type1->setCurrentIndex(type1->findData(u"copy"_s));
        // Each step has its type's own form.
        QVERIFY(first->form()->fieldWidget(u"steps"_s));
        QVERIFY(second->form()->fieldWidget(u"source"_s));
        QVERIFY(second->findChild<QPushButton *>(u"source-folder"_s));

        QVERIFY(!dialog.submit());
        QCOMPARE(second->form()->fieldMessage(u"source"_s), u"This parameter is required."_s);
        QVERIFY2(
            second->summary().contains(u"Step 2 (copy): Source: This parameter is required."_s),
            qPrintable(second->summary()));
        QCOMPARE(first->summary(), QString());
        if (const QString dir = qEnvironmentVariable("HEADWAY_UI_GRAB"); !dir.isEmpty()) {
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            dialog.grab().save(dir + u"/new-task-pipeline-errors.png"_s);
        }

        // Reorder: the copy step goes first, and its number with it.
        second->findChild<QToolButton *>(u"moveUp"_s)->click();
        QCOMPARE(steps->step(0), second);
        QCOMPARE(second->objectName(), u"step-0"_s);
        QVERIFY(!second->findChild<QToolButton *>(u"moveUp"_s)->isEnabled());
        QVERIFY(!first->findChild<QToolButton *>(u"moveDown"_s)->isEnabled());

        // A third step, removed again.
        add->click();
        QCOMPARE(steps->count(), 3);
        steps->step(2)->findChild<QToolButton *>(u"remove"_s)->click();
        QCOMPARE(steps->count(), 2);

        second->form()->setFieldText(u"source"_s, u"/tmp"_s);
        second->form()->setFieldText(u"destination"_s, u"/tmp/headway-test-copy"_s);
        first->form()->setFieldText(u"steps"_s, u"2"_s);
        first->findChild<QLineEdit *>(u"label"_s)->setText(u"Count"_s);
        QVERIFY(dialog.submit());
        const auto task = engine.task(dialog.submittedId());
        QVERIFY(task);
        const QJsonArray sent = task->params.value(u"steps"_s).toArray();
        QCOMPARE(sent.size(), 2);
        QCOMPARE(sent.at(0).toObject().value(u"type"_s).toString(), u"copy"_s);
        QCOMPARE(sent.at(0).toObject().value(u"params"_s).toObject().value(u"source"_s),
                 QJsonValue(u"/tmp"_s));
        QCOMPARE(sent.at(1).toObject().value(u"label"_s).toString(), u"Count"_s);
        QCOMPARE(sent.at(1).toObject().value(u"params"_s).toObject().value(u"steps"_s).toInt(), 2);
    }

    // A path the task reads that is not there is found before starting: a warning while
    // typing and at Start, which then becomes "Start anyway".
    void missingPathWarns()
    {
        TaskTypeRegistry registry;
        registerBuiltinTaskTypes(registry);
        TaskEngine engine(registry, idleOptions());
        NewTaskDialog dialog(engine);
        QTemporaryDir dir;
        QVERIFY(dialog.setType(u"checksum"_s));
        const QString missing = dir.filePath(u"missing.iso"_s);
        auto *path = qobject_cast<QLineEdit *>(dialog.fieldWidget(u"path"_s));
        QTest::keyClicks(path, missing);
        QTRY_VERIFY(dialog.fieldError(u"path"_s).startsWith(u"Warning: "_s));

        auto *start = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        QVERIFY(!dialog.submit());
        QCOMPARE(start->text(), u"Start &anyway"_s);
        QCOMPARE(engine.taskCount(), 0);
        QVERIFY(dialog.submit()); // the user insists
        QCOMPARE(engine.taskCount(), 1);

        QCOMPARE(start->text(), u"&Start"_s);

        // Fixed: the warning goes by itself.
        path->setText(dir.filePath(u"other.iso"_s));
        QTRY_VERIFY(dialog.fieldError(u"path"_s).startsWith(u"Warning: "_s));
        QFile file(missing);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        path->setText(missing);
        QTRY_COMPARE(dialog.fieldError(u"path"_s), QString());
        QCOMPARE(start->text(), u"&Start"_s);
        QVERIFY(dialog.submit()); // no warning: starts at once
        QCOMPARE(engine.taskCount(), 2);

        // In a pipeline the step is named.
        QVERIFY(dialog.setType(u"pipeline"_s));
        dialog.setFieldText(u"steps"_s,
                            uR"([{"type": "checksum", "params": {"path": "/nonexistent/x"}}])"_s);
        auto *step = dialog.findChild<StepEditor *>(u"step-0"_s);
        QVERIFY(step);
        QVERIFY(!dialog.submit());
        QVERIFY2(step->summary().startsWith(u"Warning: Step 1 (checksum): File: "_s),
                 qPrintable(step->summary()));
        QVERIFY(step->form()->fieldMessage(u"path"_s).startsWith(u"Warning: "_s));
    }

    // After switching from a long form to a short one, the short one has no gaps between its
    // rows and the dialog fits it.
    void noGapsAfterTypeSwitch()
    {
        TaskTypeRegistry registry;
        registerBuiltinTaskTypes(registry);
        TaskEngine engine(registry, idleOptions());
        NewTaskDialog dialog(engine);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        // The command's form is the taller one (its working directory and arguments).
        QVERIFY(dialog.setType(u"command"_s));
        QVERIFY(!dialog.submit()); // and taller still with its message
        QVERIFY(dialog.setType(u"checksum"_s));
        QTRY_VERIFY(dialog.height() <= dialog.sizeHint().height() + 4);
        const auto top = [&dialog](const QString &name) {
            return dialog.fieldWidget(name)->mapTo(&dialog, QPoint(0, 0)).y();
        };
        const int pitch = top(u"algorithm"_s) - top(u"path"_s);
        QVERIFY2(pitch > 0 && pitch < dialog.fontMetrics().height() * 4,
                 qPrintable(QString::number(pitch)));
        if (const QString dir = qEnvironmentVariable("HEADWAY_UI_GRAB"); !dir.isEmpty())
            dialog.grab().save(dir + u"/new-task-checksum-after-switch.png"_s);
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
        for (const QString &name :
             { u"demo"_s, u"copy"_s, u"command"_s, u"checksum"_s, u"pipeline"_s }) {
            if (name != u"pipeline"_s) // set up at the end of the previous round
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
            if (name == u"checksum"_s) {
                // Last round: a pipeline of two steps, the second moved up.
                QVERIFY(dialog.setType(u"pipeline"_s));
                dialog.setFieldText(u"steps"_s, uR"([{"type": "demo"}, {"type": "copy"}])"_s);
                dialog.findChild<StepEditor *>(u"step-1"_s)
                    ->findChild<QToolButton *>(u"moveUp"_s)
                    ->click();
                QCoreApplication::processEvents();
            }
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
