#include "app/core/statictasksource.h"
#include "app/core/taskengine.h"
#include "app/core/tasktyperegistry.h"
#include "app/core/translations.h"
#include "app/core/uploadstore.h"
#include "tests/ui/changingtasksource.h"
#include "tests/ui/screenshotscenario.h"
#include "ui/animationpolicy.h"
#include "ui/fileimporter.h"
#include "ui/mainwindow.h"
#include "ui/stepindicator.h"
#include "ui/taskdetailpane.h"
#include "ui/tasklistmodel.h"
#include "ui/toaststack.h"
#include "ui/webtab.h"
#include "uitesthelpers.h"

#include <QAction>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QLabel>
#include <QListView>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QUuid>

// The window's parts, found by their object names as any test or screenshot reaches them (the
// window has no accessors for tests). A missing part fails the test that asks for it.
template<class T> static T *part(const QObject &window, const QString &name)
{
    T *found = window.findChild<T *>(name);
    if (!found)
        qFatal("no %s named %s", T::staticMetaObject.className(), qPrintable(name));
    return found;
}
static TaskListModel *taskModel(const QObject &w)
{
    return part<TaskListModel>(w, u"taskModel"_s);
}
static QListView *taskView(const QObject &w)
{
    return part<QListView>(w, u"taskList"_s);
}
static TaskDetailPane *detailPane(const QObject &w)
{
    return part<TaskDetailPane>(w, u"taskDetail"_s);
}
static ToastStack *toastStack(const QObject &w)
{
    return part<ToastStack>(w, u"toasts"_s);
}
static QTabWidget *tabs(const QObject &w)
{
    return part<QTabWidget>(w, u"tabs"_s);
}
static WebTab *webTab(const QObject &w)
{
    return part<WebTab>(w, u"webTab"_s);
}
static FileImporter *importer(const QObject &w)
{
    return part<FileImporter>(w, u"fileImporter"_s);
}
static QAction *action(const QObject &w, const QString &name)
{
    return part<QAction>(w, name);
}
static QStringList selectedIds(const QObject &w)
{
    QStringList ids;
    for (const QModelIndex &i : taskView(w)->selectionModel()->selectedIndexes())
        ids.append(i.data(TaskListModel::IdRole).toString());
    return ids;
}

class tst_MainWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static EngineOptions idleOptions() // nothing runs: tasks stay where a test puts them
    {
        EngineOptions o;
        o.runTasks = false;
        return o;
    }

private Q_SLOTS:
    void manyFinishesMakeOneToast()
    {
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        EngineOptions options;
        options.runTasks = false;
        TaskEngine engine(registry, options);
        ChangingTaskSource shown(registry);
        MainWindow w(engine, &shown);
        QList<TaskSnapshot> tasks;
        for (int i = 0; i < 20; ++i) {
            TaskSnapshot t;
            t.id = u"t%1"_s.arg(i);
            t.type = u"demo"_s;
            t.title = u"Task %1"_s.arg(i);
            t.state = TaskState::Running;
            shown.put(t);
            tasks.append(t);
        }
        QTRY_COMPARE(taskModel(w)->rowCount(), 20);
        // All finish in one pass of the event loop (one batch of engine events).
        for (TaskSnapshot &t : tasks) {
            t.state = t.id == u"t7"_s ? TaskState::Failed : TaskState::Succeeded;
            shown.put(t);
        }
        QTRY_COMPARE(toastStack(w)->count(), 1);
        Toast *toast = toastStack(w)->toasts().first();
        QCOMPARE(toast->kind(), Toast::Kind::Error);
        QVERIFY2(toast->title().contains(u"20"_s), qPrintable(toast->title()));
        Q_EMIT toast->actionTriggered();
        QCOMPARE(selectedIds(w), QStringList { u"t7"_s }); // "Show" leads to the failure
    }
    void externalTaskOffersCancelNotPause()
    {
        // The window reads what the engine allows: a task run elsewhere (a cluster, an upload,
        // an external reporter) cannot be paused, so Pause is not offered (it ended in a 409).
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        TaskType remote; // no factory: run by a driver elsewhere
        remote.name = u"remote"_s;
        remote.title = u"Remote"_s;
        remote.schema = QJsonObject { { u"type"_s, u"object"_s } };
        registry.add(std::move(remote));
        EngineOptions options;
        options.runTasks = false;
        TaskEngine engine(registry, options);
        ChangingTaskSource shown(registry);
        MainWindow w(engine, &shown);
        TaskSnapshot t;
        t.id = u"remote-1"_s;
        t.type = u"remote"_s;
        t.title = u"Cluster job"_s;
        t.state = TaskState::Running;
        shown.put(t);
        QTRY_VERIFY(w.selectTask(t.id));
        QTRY_VERIFY(action(w, u"actionCancel"_s)->isEnabled());
        QVERIFY(!action(w, u"actionPause"_s)->isEnabled());
        QVERIFY(!action(w, u"actionResume"_s)->isEnabled());
        QVERIFY(!action(w, u"actionRetry"_s)->isEnabled());
    }
    void partsHaveNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("className");
        const QList<std::pair<const char *, const char *>> parts {
            { "taskModel", "TaskListModel" },     { "taskFilter", "TaskFilterModel" },
            { "taskList", "QListView" },          { "taskDetail", "TaskDetailPane" },
            { "toasts", "ToastStack" },           { "tabs", "QTabWidget" },
            { "taskActions", "TaskActionGroup" }, { "finishNotices", "FinishNotices" },
            { "fileImporter", "FileImporter" },   { "actionNewTask", "QAction" },
            { "actionImportFile", "QAction" },    { "actionCancel", "QAction" },
            { "actionPause", "QAction" },         { "actionResume", "QAction" },
            { "actionRetry", "QAction" },         { "actionRemove", "QAction" },
            { "actionClearFinished", "QAction" }, { "actionOpenInBrowser", "QAction" },
            { "actionSettings", "QAction" },      { "actionQuit", "QAction" },
            { "actionShowWindow", "QAction" },
        };
        for (const auto &[name, className] : parts)
            QTest::newRow(name) << QString::fromLatin1(name) << QString::fromLatin1(className);
    }
    void partsHaveNames()
    {
        // Tests and screenshots reach the window's parts by object name, one of each.
        QFETCH(QString, name);
        QFETCH(QString, className);
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        TaskEngine engine(registry, idleOptions());
        MainWindow w(engine);
        const QList<QObject *> found = w.findChildren<QObject *>(name);
        QCOMPARE(found.size(), 1);
        QVERIFY2(found.first()->inherits(qPrintable(className)),
                 found.first()->metaObject()->className());
    }
    void taskActionsInMenusToolbarAndContextMenu()
    {
        // One QAction per command wherever it is offered: enabling it once covers all places.
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        TaskEngine engine(registry, idleOptions());
        MainWindow w(engine);
        auto *bar = part<QToolBar>(w, u"mainToolBar"_s);
        for (const QString &name : { u"actionCancel"_s, u"actionPause"_s, u"actionResume"_s,
                                     u"actionRetry"_s, u"actionRemove"_s }) {
            QAction *a = action(w, name);
            QVERIFY2(bar->actions().contains(a), qPrintable(name));
            QVERIFY2(taskView(w)->actions().contains(a), qPrintable(name));
            QVERIFY2(!a->isEnabled(), qPrintable(name)); // nothing selected
        }
        QVERIFY(bar->actions().contains(action(w, u"actionClearFinished"_s)));
        QVERIFY(!action(w, u"actionClearFinished"_s)->isEnabled());
        QVERIFY(!action(w, u"actionImportFile"_s)->isEnabled()); // no upload folder
        w.setUploadDir(m_dir.path());
        QVERIFY(action(w, u"actionImportFile"_s)->isEnabled());
        QVERIFY(!action(w, u"actionOpenInBrowser"_s)->isEnabled());
        w.setBrowserUrl(QUrl(u"http://127.0.0.1:1/?token=x"_s));
        QVERIFY(action(w, u"actionOpenInBrowser"_s)->isEnabled());
    }
    void initTestCase()
    {
        QVERIFY(installTranslations()); // the English plural forms, as in the app
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"HeadwayTest"_s);
        QCoreApplication::setApplicationName(u"tst_mainwindow"_s);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
        QSettings().clear();
    }

    // Each test starts with the default window size and split (windows save theirs on close).
    void init() { QSettings().remove(u"window"_s); }

    void demoTaskStartToFinish()
    {
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        TaskEngine engine(registry);
        MainWindow w(engine);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));

        // Nothing selected: only global actions.
        QVERIFY(action(w, u"actionNewTask"_s)->isEnabled());
        QVERIFY(!action(w, u"actionCancel"_s)->isEnabled());
        QVERIFY(!action(w, u"actionPause"_s)->isEnabled());
        QVERIFY(!action(w, u"actionResume"_s)->isEnabled());
        QVERIFY(!action(w, u"actionRetry"_s)->isEnabled());
        QVERIFY(!action(w, u"actionRemove"_s)->isEnabled());
        QVERIFY(!action(w, u"actionClearFinished"_s)->isEnabled());
        QVERIFY(!action(w, u"actionOpenInBrowser"_s)->isEnabled());
        QCOMPARE(action(w, u"actionNewTask"_s)->shortcut(), QKeySequence(QKeySequence::New));

        TaskSpec spec;
        spec.type = u"demo"_s;
        spec.title = u"Demo run"_s;
        spec.params = QJsonObject { { u"steps"_s, 30 }, { u"delay_ms"_s, 40 } };
        const Result<TaskSnapshot> r = engine.submit(spec);
        QVERIFY(r.ok());
        const QString id = r->id;
        QTRY_VERIFY(w.selectTask(id));
        QTRY_COMPARE(taskModel(w)->snapshot(id)->state, TaskState::Running);
        QTRY_VERIFY(action(w, u"actionPause"_s)->isEnabled());
        QVERIFY(action(w, u"actionCancel"_s)->isEnabled());
        QVERIFY(!action(w, u"actionResume"_s)->isEnabled());
        QVERIFY(!action(w, u"actionRemove"_s)->isEnabled());
        QCOMPARE(detailPane(w)->taskId(), id);

        action(w, u"actionPause"_s)->trigger();
        QTRY_COMPARE(taskModel(w)->snapshot(id)->state, TaskState::Paused);
        QTRY_VERIFY(action(w, u"actionResume"_s)->isEnabled());
        QVERIFY(!action(w, u"actionPause"_s)->isEnabled());
        QVERIFY(action(w, u"actionCancel"_s)->isEnabled());
        action(w, u"actionResume"_s)->trigger();
        QTRY_COMPARE(taskModel(w)->snapshot(id)->state, TaskState::Running);

        // The end: a success toast whose "Show" selects the task; remove becomes legal.
        QTRY_COMPARE_WITH_TIMEOUT(taskModel(w)->snapshot(id)->state, TaskState::Succeeded, 15000);
        QTRY_COMPARE(toastStack(w)->count(), 1);
        Toast *toast = toastStack(w)->toasts().first();
        QCOMPARE(toast->kind(), Toast::Kind::Success);
        QVERIFY(toast->text().contains(u"Demo run"_s));
        taskView(w)->clearSelection();
        QVERIFY(selectedIds(w).isEmpty());
        Q_EMIT toast->actionTriggered();
        QCOMPARE(selectedIds(w), QStringList { id });
        QTRY_VERIFY(action(w, u"actionRemove"_s)->isEnabled());
        QVERIFY(!action(w, u"actionCancel"_s)->isEnabled());
        QVERIFY(!action(w, u"actionPause"_s)->isEnabled());
        QVERIFY(!action(w, u"actionRetry"_s)->isEnabled()); // succeeded is not retryable
        QVERIFY(action(w, u"actionClearFinished"_s)->isEnabled());
        QVERIFY(detailPane(w)->resultText().contains(u"Task completed!"_s));

        action(w, u"actionRemove"_s)->trigger();
        QTRY_COMPARE(taskModel(w)->rowCount(), 0);
        QVERIFY(!action(w, u"actionRemove"_s)->isEnabled());
        QVERIFY(!action(w, u"actionClearFinished"_s)->isEnabled());
    }

    void failureToastAndRetry()
    {
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        TaskEngine engine(registry);
        MainWindow w(engine);
        w.show();
        TaskSpec spec;
        spec.type = u"demo"_s;
        spec.params
            = QJsonObject { { u"steps"_s, 2 }, { u"delay_ms"_s, 10 }, { u"fail_at_step"_s, 2 } };
        const QString id = engine.submit(spec)->id;
        QTRY_COMPARE_WITH_TIMEOUT(taskModel(w)->rowOf(id) >= 0
                                      && taskModel(w)->snapshot(id)->state == TaskState::Failed,
                                  true, 10000);
        QTRY_COMPARE(toastStack(w)->count(), 1);
        QCOMPARE(toastStack(w)->toasts().first()->kind(), Toast::Kind::Error);
        QVERIFY(w.selectTask(id));
        QVERIFY(action(w, u"actionRetry"_s)->isEnabled());
        QVERIFY(action(w, u"actionRemove"_s)->isEnabled());
        action(w, u"actionRetry"_s)->trigger();
        QTRY_VERIFY(taskModel(w)->snapshot(id)->attempt == 2);
    }

    void cancelQueued()
    {
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        EngineOptions options;
        options.runTasks = false; // stays queued
        TaskEngine engine(registry, options);
        MainWindow w(engine);
        TaskSpec spec;
        spec.type = u"demo"_s;
        const QString id = engine.submit(spec)->id;
        QTRY_VERIFY(w.selectTask(id));
        QVERIFY(action(w, u"actionCancel"_s)->isEnabled());
        QVERIFY(!action(w, u"actionPause"_s)->isEnabled()); // queued -> paused is not a transition
        action(w, u"actionCancel"_s)->trigger();
        QTRY_COMPARE(taskModel(w)->snapshot(id)->state, TaskState::Canceled);
        QTRY_VERIFY(action(w, u"actionRetry"_s)->isEnabled());
        QCOMPARE(toastStack(w)->count(), 0); // canceling is no news
    }

    void quitAsksWhenTasksRun()
    {
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        EngineOptions options;
        options.runTasks = false;
        TaskEngine engine(registry, options);
        MainWindow w(engine);
        QSignalSpy quit(&w, &MainWindow::quitRequested);
        int asked = 0;
        bool answer = false;
        w.setQuitConfirmation([&](int active) {
            ++asked;
            return active == 1 && answer;
        });
        action(w, u"actionQuit"_s)->trigger();
        QCOMPARE(asked, 0); // nothing runs: no question
        QCOMPARE(quit.size(), 1);

        TaskSpec spec;
        spec.type = u"demo"_s;
        engine.submit(spec);
        action(w, u"actionQuit"_s)->trigger();
        QCOMPARE(asked, 1);
        QCOMPARE(quit.size(), 1); // declined
        answer = true;
        action(w, u"actionQuit"_s)->trigger();
        QCOMPARE(quit.size(), 2);
    }

    void browserAction()
    {
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        TaskEngine engine(registry);
        MainWindow w(engine);
        QVERIFY(!action(w, u"actionOpenInBrowser"_s)->isEnabled());
        w.setBrowserUrl(QUrl(u"http://127.0.0.1:1234/?token=abc"_s));
        QVERIFY(action(w, u"actionOpenInBrowser"_s)->isEnabled());
    }

    // At the default size every toolbar button shows, "Open in browser" included: none hides
    // behind the toolbar's overflow arrow.
    void toolbarFitsAtDefaultSize()
    {
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        TaskEngine engine(registry, idleOptions());
        MainWindow w(engine);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto *bar = w.findChild<QToolBar *>(u"mainToolBar"_s);
        QVERIFY(bar);
        QVERIFY2(w.width() >= 880 && w.width() <= 920, qPrintable(QString::number(w.width())));
        QWidget *browser = bar->widgetForAction(action(w, u"actionOpenInBrowser"_s));
        QVERIFY(browser);
        QTRY_VERIFY2(browser->isVisible(), "Open in browser is in the overflow menu");
        for (QAction *a : bar->actions()) {
            if (a->isSeparator())
                continue;
            QWidget *button = bar->widgetForAction(a);
            QVERIFY2(button && button->isVisible(), qPrintable(a->text()));
            QVERIFY2(bar->rect().contains(button->geometry()), qPrintable(a->text()));
        }
    }

    // The list starts newest first, named as such: the page's order (its only one).
    void newestFirstLikeThePage()
    {
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        TaskEngine engine(registry, idleOptions());
        ChangingTaskSource shown(registry);
        MainWindow w(engine, &shown);
        TaskSnapshot older = makeSnapshot(u"older"_s);
        TaskSnapshot newer = makeSnapshot(u"newer"_s);
        newer.created = older.created.addSecs(60);
        shown.put(older);
        shown.put(newer);
        QTRY_COMPARE(taskView(w)->model()->rowCount(), 2);
        QCOMPARE(taskView(w)->model()->index(0, 0).data(TaskListModel::TitleRole).toString(),
                 u"newer"_s);
        QComboBox *sort = nullptr;
        for (QComboBox *c : w.findChildren<QComboBox *>())
            if (c->accessibleName() == u"Sort by"_s)
                sort = c;
        QVERIFY(sort);
        QCOMPARE(sort->currentText(), u"Newest first"_s);
        // The filter in the page's words (All / Active / Finished), the window's extra last.
        QComboBox *show = nullptr;
        for (QComboBox *c : w.findChildren<QComboBox *>())
            if (c->accessibleName() == u"Show"_s)
                show = c;
        QVERIFY(show);
        QStringList filters;
        for (int i = 0; i < show->count(); ++i)
            filters.append(show->itemText(i));
        QCOMPARE(filters.mid(0, 3), (QStringList { u"All"_s, u"Active"_s, u"Finished"_s }));
    }

    void offersInterruptedTasks()
    {
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        EngineOptions options;
        options.runTasks = false;
        TaskEngine engine(registry, options);
        TaskSnapshot t = makeSnapshot(u"was running"_s, TaskState::Running, 30);
        engine.restore({ t });
        MainWindow w(engine);
        w.show();
        QTRY_COMPARE(taskModel(w)->rowCount(), 1);
        QCOMPARE(taskModel(w)->snapshot(0)->state, TaskState::Interrupted);
        w.offerInterruptedTasks();
        QCOMPARE(toastStack(w)->count(), 1);
        Toast *toast = toastStack(w)->toasts().first();
        QCOMPARE(toast->kind(), Toast::Kind::Warning);
        QCOMPARE(toast->actionLabel(), u"Retry"_s); // one task: "Retry", several: "Retry all"
        Q_EMIT toast->actionTriggered();
        QTRY_COMPARE(taskModel(w)->snapshot(0)->state, TaskState::Queued);
    }

    // As the application does it: offered right after show(), before the event loop has run
    // (the list model has not received its first events yet).
    void offersInterruptedTasksAtOnce()
    {
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        EngineOptions options;
        options.runTasks = false;
        TaskEngine engine(registry, options);
        engine.restore({ makeSnapshot(u"was running"_s, TaskState::Running, 30) });
        MainWindow w(engine);
        w.show();
        w.offerInterruptedTasks();
        QCOMPARE(toastStack(w)->count(), 1);
        QCOMPARE(toastStack(w)->toasts().first()->title(), u"1 task interrupted"_s);
        // The status bar shows it on its own, not among the finished ones.
        auto *status = w.findChild<QLabel *>(u"statusSummary"_s);
        QVERIFY(status);
        QTRY_COMPARE(status->text(), u"1 interrupted"_s);
        Q_EMIT toastStack(w)->toasts().first()->actionTriggered();
        QCOMPARE(engine.tasks().first().state, TaskState::Queued);
    }

    // The status bar names each state as the page does: paused is "paused", not "waiting".
    void statusBarSaysEachState()
    {
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        TaskEngine engine(registry, idleOptions());
        ChangingTaskSource shown(registry);
        MainWindow w(engine, &shown);
        auto *status = w.findChild<QLabel *>(u"statusSummary"_s);
        QVERIFY(status);
        QCOMPARE(status->text(), u"No tasks yet"_s);
        const TaskState states[] = { TaskState::Running, TaskState::Queued,     TaskState::Queued,
                                     TaskState::Paused,  TaskState::Retrying,   TaskState::Canceled,
                                     TaskState::Running, TaskState::Interrupted };
        for (TaskState s : states)
            shown.put(makeSnapshot(u"t"_s, s, 10));
        QTRY_COMPARE(
            status->text(),
            u"2 running · 2 queued · 1 paused · 1 retrying · 1 finished · 1 interrupted"_s);
    }

    // First start: a hint instead of a blank list; size and split are kept across restarts.
    void firstStartHintAndKeptGeometry()
    {
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        TaskEngine engine(registry, idleOptions());
        QList<int> sizes;
        {
            ChangingTaskSource shown(registry);
            MainWindow w(engine, &shown);
            w.show();
            auto *hint = w.findChild<QLabel *>(u"emptyListHint"_s);
            QVERIFY(hint);
            QTRY_VERIFY(hint->isVisible());
            QVERIFY(hint->text().startsWith(u"No tasks yet"_s));
            shown.put(makeSnapshot(u"one"_s));
            QTRY_VERIFY(!hint->isVisible());
            w.resize(720, 520); // within the offscreen screen (800 × 600)
            auto *split = w.findChild<QSplitter *>(u"taskSplitter"_s);
            QVERIFY(split);
            split->setSizes({ 300, 700 });
            sizes = split->sizes();
        }
        MainWindow again(engine);
        QCOMPARE(again.size(), QSize(720, 520));
        again.show();
        QTRY_COMPARE(again.findChild<QSplitter *>(u"taskSplitter"_s)->sizes(), sizes);
    }

    // Del moves the selection to the next row instead of leaving the details blank.
    void removeSelectsTheNextRow()
    {
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        TaskEngine engine(registry, idleOptions());
        QStringList ids;
        QList<TaskSnapshot> stored; // the engine's own tasks: Remove acts on them
        for (const QString &title : { u"a"_s, u"b"_s, u"c"_s }) {
            TaskSnapshot t = makeSnapshot(title, TaskState::Succeeded, 100);
            t.created = t.created.addSecs(int(ids.size())); // listed newest first: c, b, a
            stored.append(t);
            ids.append(t.id);
        }
        engine.restore(stored);
        MainWindow w(engine);
        QTRY_COMPARE(taskModel(w)->rowCount(), 3);
        QVERIFY(w.selectTask(ids.at(1)));
        action(w, u"actionRemove"_s)->trigger();
        QTRY_COMPARE(taskModel(w)->rowCount(), 2);
        QCOMPARE(selectedIds(w), QStringList { ids.at(0) });
        QCOMPARE(detailPane(w)->taskId(), ids.at(0));
        action(w, u"actionRemove"_s)->trigger(); // the last row: the one before takes its place
        QTRY_COMPARE(taskModel(w)->rowCount(), 1);
        QCOMPARE(selectedIds(w), QStringList { ids.at(2) });
    }

    // With the Web tab in front, the page's toasts are the only ones: none of ours over them.
    void webTabShowsOnlyThePageToasts()
    {
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        TaskEngine engine(registry, idleOptions());
        ChangingTaskSource shown(registry);
        MainWindow w(engine, &shown);
        w.show();
        w.setWebPage(QUrl(u"data:text/html,<h1>Headway</h1>"_s), u"token"_s);
        QSignalSpy loaded(webTab(w), &WebTab::loadFinished);
        QTRY_COMPARE(loaded.size(), 1);
        tabs(w)->setCurrentWidget(webTab(w));
        TaskSnapshot t = makeSnapshot(u"quiet"_s, TaskState::Running, 50);
        shown.put(t);
        QTRY_COMPARE(taskModel(w)->rowCount(), 1);
        t.state = TaskState::Succeeded;
        shown.put(t);
        QTRY_COMPARE(taskModel(w)->snapshot(t.id)->state, TaskState::Succeeded);
        QCoreApplication::sendPostedEvents(); // the batch of finish notices
        QCOMPARE(toastStack(w)->count(), 0);

        tabs(w)->setCurrentIndex(0); // the task list: our toasts again
        TaskSnapshot u = makeSnapshot(u"heard"_s, TaskState::Running, 50);
        shown.put(u);
        QTRY_COMPARE(taskModel(w)->rowCount(), 2);
        u.state = TaskState::Succeeded;
        shown.put(u);
        QTRY_COMPARE(toastStack(w)->count(), 1);
        QVERIFY(toastStack(w)->toasts().first()->text().contains(u"heard"_s));
    }

    // Remove finished keeps the interrupted tasks; the notice follows its tasks as they go.
    void clearFinishedKeepsInterruptedTasks()
    {
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        TaskEngine engine(registry, idleOptions());
        const TaskSnapshot a = makeSnapshot(u"a"_s, TaskState::Running, 30);
        const TaskSnapshot b = makeSnapshot(u"b"_s, TaskState::Running, 60);
        engine.restore({ a, b, makeSnapshot(u"done"_s, TaskState::Succeeded, 100) });
        MainWindow w(engine);
        w.show();
        w.offerInterruptedTasks();
        QCOMPARE(toastStack(w)->count(), 1);
        Toast *toast = toastStack(w)->toasts().first();
        QCOMPARE(toast->title(), u"2 tasks interrupted"_s);
        QTRY_COMPARE(taskModel(w)->rowCount(), 3);
        QTRY_VERIFY(action(w, u"actionClearFinished"_s)->isEnabled());
        action(w, u"actionClearFinished"_s)->trigger();
        QTRY_COMPARE(taskModel(w)->rowCount(), 2);
        QCOMPARE(engine.task(a.id)->state, TaskState::Interrupted);
        QCOMPARE(engine.task(b.id)->state, TaskState::Interrupted);
        QTRY_VERIFY(!action(w, u"actionClearFinished"_s)->isEnabled()); // nothing left to clear
        QCOMPARE(toastStack(w)->count(), 1);
        QCOMPARE(toast->title(), u"2 tasks interrupted"_s);

        QVERIFY(!engine.remove(a.id)); // one goes: the notice says so
        QTRY_COMPARE(toast->title(), u"1 task interrupted"_s);
        QCOMPARE(toast->actionLabel(), u"Retry"_s);
        QVERIFY(!engine.remove(b.id)); // the last goes: the notice closes
        QTRY_COMPARE(toastStack(w)->count(), 0);
    }

    // "Import file…": a Copy -> Verify pipeline into the upload folder, with the real task types.
    void importFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString source = dir.filePath(u"photo.raw"_s);
        QByteArray data(3 * 1024 * 1024 + 17, Qt::Uninitialized);
        QRandomGenerator(7).fillRange(reinterpret_cast<quint32 *>(data.data()), data.size() / 4);
        {
            QFile f(source);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QCOMPARE(f.write(data), data.size());
        }
        const QString expected = QString::fromLatin1(
            QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());

        TaskTypeRegistry registry;
        registerBuiltinTaskTypes(registry);
        TaskEngine engine(registry);
        MainWindow w(engine);
        w.show();
        QVERIFY(!action(w, u"actionImportFile"_s)->isEnabled()); // no upload folder yet
        QCOMPARE(action(w, u"actionImportFile"_s)->shortcut(), QKeySequence(u"Ctrl+I"_s));
        QVERIFY(importer(w)->importFile(source).isEmpty()); // refused, with a toast
        QTRY_COMPARE(toastStack(w)->count(), 1);

        const QString uploads = dir.filePath(u"data/uploads"_s); // not there yet: made on import
        w.setUploadDir(uploads);
        QVERIFY(action(w, u"actionImportFile"_s)->isEnabled());

        QStringList ids;
        for (int i = 0; i < 2; ++i) { // the second import of the same name gets "photo (1).raw"
            const QString id = importer(w)->importFile(source);
            QVERIFY(!id.isEmpty());
            QTRY_COMPARE_WITH_TIMEOUT(taskModel(w)->rowOf(id) >= 0
                                          && taskModel(w)->snapshot(id)->state
                                              == TaskState::Succeeded,
                                      true, 20000);
            ids.append(id);
        }
        const TaskSnapshot *t = taskModel(w)->snapshot(ids.first());
        QCOMPARE(t->type, u"pipeline"_s);
        QCOMPARE(t->title, u"Import photo.raw"_s);
        const QJsonArray steps = t->result.toObject().value(u"steps"_s).toArray();
        QCOMPARE(steps.size(), 2);
        QCOMPARE(steps.at(1).toObject().value(u"digest"_s).toString(), expected);
        QCOMPARE(taskModel(w)
                     ->snapshot(ids.last())
                     ->result.toObject()
                     .value(u"steps"_s)
                     .toArray()
                     .at(1)
                     .toObject()
                     .value(u"digest"_s)
                     .toString(),
                 expected);

        QCOMPARE(QDir(uploads).entryList(QDir::Files | QDir::Hidden, QDir::Name),
                 (QStringList { u"photo (1).raw"_s, u"photo.raw"_s }));
        for (const QString &name : { u"photo.raw"_s, u"photo (1).raw"_s }) {
            QFile f(QDir(uploads).filePath(name));
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll(), data);
        }

        // Bad input: a clear error toast, no task.
        const int before = taskModel(w)->rowCount();
        QVERIFY(importer(w)->importFile(dir.filePath(u"missing.bin"_s)).isEmpty());
        QVERIFY(importer(w)->importFile(dir.path()).isEmpty()); // a directory
        QCOMPARE(taskModel(w)->rowCount(), before);
        w.setUploadDir(QString());
        QVERIFY(!action(w, u"actionImportFile"_s)->isEnabled());
    }

    // Import takes its name at once: an upload finishing under the same name while the copy
    // runs gets the next name ("a (1).tar.gz", the one rule for both) and is never overwritten.
    void importNeverOverwritesAnUpload()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString source = dir.filePath(u"backup.tar.gz"_s);
        const QByteArray data(256 * 1024, 'i');
        {
            QFile f(source);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QCOMPARE(f.write(data), data.size());
        }
        TaskTypeRegistry registry;
        registerBuiltinTaskTypes(registry);
        TaskEngine engine(registry);
        MainWindow w(engine);
        const QString uploads = dir.filePath(u"uploads"_s);
        w.setUploadDir(uploads);

        const QString id = importer(w)->importFile(source);
        QVERIFY(!id.isEmpty());
        // A tus upload of the same name completes before the import's copy has run.
        UploadStore store(uploads);
        const QString part = QUuid::createUuid().toString(QUuid::WithoutBraces);
        QVERIFY(!store.createPart(part, 6));
        QVERIFY(!store.writeAt(part, 0, "upload"));
        UploadError error;
        const std::optional<QString> placed = store.place(part, u"backup.tar.gz"_s, &error);
        QVERIFY2(placed, qPrintable(error.message));
        QCOMPARE(QFileInfo(*placed).fileName(), u"backup (1).tar.gz"_s);

        QTRY_COMPARE_WITH_TIMEOUT(taskModel(w)->rowOf(id) >= 0
                                      && taskModel(w)->snapshot(id)->state == TaskState::Succeeded,
                                  true, 20000);
        QFile imported(QDir(uploads).filePath(u"backup.tar.gz"_s));
        QVERIFY(imported.open(QIODevice::ReadOnly));
        QCOMPARE(imported.readAll(), data);
        QFile uploaded(*placed);
        QVERIFY(uploaded.open(QIODevice::ReadOnly));
        QCOMPARE(uploaded.readAll(), QByteArray("upload"));

        // A second import of the name takes the next free number after both.
        const QString again = importer(w)->importFile(source);
        QVERIFY(!again.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(taskModel(w)->rowOf(again) >= 0
                                      && taskModel(w)->snapshot(again)->state
                                          == TaskState::Succeeded,
                                  true, 20000);
        QCOMPARE(
            QDir(uploads).entryList(QDir::Files | QDir::Hidden, QDir::Name),
            (QStringList { u"backup (1).tar.gz"_s, u"backup (2).tar.gz"_s, u"backup.tar.gz"_s }));
    }

    // An import interrupted by a quit is offered for retry at the next start like any task.
    void interruptedImportIsOffered()
    {
        TaskTypeRegistry registry;
        registerBuiltinTaskTypes(registry);
        EngineOptions options;
        options.runTasks = false;
        TaskEngine engine(registry, options);
        TaskSnapshot t = makeSnapshot(u"Import photo.raw"_s, TaskState::Running, 30);
        t.type = u"pipeline"_s;
        engine.restore({ t });
        MainWindow w(engine);
        w.show();
        QTRY_COMPARE(taskModel(w)->rowCount(), 1);
        QCOMPARE(taskModel(w)->snapshot(0)->state, TaskState::Interrupted);
        w.offerInterruptedTasks();
        QCOMPARE(toastStack(w)->count(), 1);
        Q_EMIT toastStack(w)->toasts().first()->actionTriggered();
        QTRY_COMPARE(taskModel(w)->snapshot(0)->state, TaskState::Queued);
    }

    // 10,000 tasks: a batch updating every one of them is handled in one go (one insert, one
    // dataChanged per round), sorted and shown. The times are printed, not judged: a busy
    // machine must not fail it; what keeps it fast (no per-task signals) is what is checked.
    void tenThousandTasks()
    {
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        EngineOptions options;
        options.runTasks = false;
        TaskEngine engine(registry, options);
        MainWindow w(engine);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        constexpr int n = 10000;
        QList<TaskSnapshot> tasks;
        TaskEvents add;
        for (int i = 0; i < n; ++i) {
            tasks.append(makeSnapshot(u"task %1"_s.arg(i), TaskState::Running, 0));
            tasks.last().created = tasks.last().created.addSecs(i);
            add.append(taskEvent(TaskEvent::Kind::Added, tasks.last()));
        }
        QSignalSpy inserted(taskModel(w), &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(taskModel(w), &QAbstractItemModel::dataChanged);
        QSignalSpy reset(taskModel(w), &QAbstractItemModel::modelReset);
        QElapsedTimer timer;
        timer.start();
        taskModel(w)->applyEvents(add);
        QCoreApplication::processEvents();
        const qint64 addMs = timer.elapsed();
        QCOMPARE(taskView(w)->model()->rowCount(), n);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(changed.count(), 0);
        TaskEvents progress;
        for (int i = 0; i < n; ++i) {
            tasks[i].progress.percent = 50;
            progress.append(taskEvent(TaskEvent::Kind::Progress, tasks[i]));
        }
        qint64 worst = 0;
        for (int round = 0; round < 5; ++round) {
            timer.restart();
            changed.clear();
            taskModel(w)->applyEvents(progress);
            taskView(w)->viewport()->repaint();
            worst = std::max(worst, timer.elapsed());
            QCOMPARE(changed.count(), 1); // one contiguous run of rows, one signal
            QCOMPARE(changed.first().at(0).value<QModelIndex>().row(), 0);
            QCOMPARE(changed.first().at(1).value<QModelIndex>().row(), n - 1);
        }
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(taskModel(w)->snapshot(tasks.last().id)->progress.percent, 50.0);
        qInfo("10,000 tasks: insert %lld ms, worst full update + repaint %lld ms", addMs, worst);
    }

    // A deterministic picture of the window with a fixed scene (the README screenshot).
    void screenshot_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::addColumn<QString>("file");
        QTest::newRow("light") << false << u"main-window.png"_s;
        QTest::newRow("dark") << true << u"main-window-dark.png"_s;
    }
    void screenshot()
    {
        QFETCH(bool, dark);
        QFETCH(QString, file);
        const QPalette original = QApplication::palette();
        if (dark) {
            // What a dark desktop theme hands the app; the UI must follow it.
            QPalette p;
            p.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x30));
            p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
            p.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
            p.setColor(QPalette::AlternateBase, QColor(0x2b, 0x2d, 0x30));
            p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
            p.setColor(QPalette::Button, QColor(0x3c, 0x3f, 0x41));
            p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
            p.setColor(QPalette::Highlight, QColor(0x35, 0x74, 0xf0));
            p.setColor(QPalette::HighlightedText, Qt::white);
            p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
            p.setColor(QPalette::Mid, QColor(0x5a, 0x5d, 0x61));
            p.setColor(QPalette::Dark, QColor(0x18, 0x18, 0x18));
            p.setColor(QPalette::Light, QColor(0x50, 0x50, 0x50));
            p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
            p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
            p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
            QApplication::setPalette(p);
        }
        const auto restore = qScopeGuard([&] { QApplication::setPalette(original); });
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        EngineOptions options;
        options.runTasks = false;
        TaskEngine engine(registry, options);
        QString selected;
        StaticTaskSource shown(ScreenshotScenario::tasks(&selected), registry);
        MainWindow w(engine, &shown);
        const QString dir = qEnvironmentVariable("HEADWAY_SCREENSHOT_DIR", QDir::tempPath());
        const QString out = QDir(dir).filePath(file);
        QVERIFY2(ScreenshotScenario::capture(w, selected, out), qPrintable(out));
        QVERIFY(!AnimationPolicy::enabled());
        QCOMPARE(taskModel(w)->rowCount(), 7);
        QCOMPARE(selectedIds(w), QStringList { selected });
        QVERIFY(detailPane(w)->stepIndicator()->isVisible());
        QCOMPARE(detailPane(w)->stepIndicator()->stepState(1), StepIndicator::StepState::Active);
        QCOMPARE(toastStack(w)->count(), 1);
        QVERIFY(!QImage(out).isNull());
        qInfo("screenshot: %s", qPrintable(out));
        AnimationPolicy::setEnabled(true);
    }
};

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
