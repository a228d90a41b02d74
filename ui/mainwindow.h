#pragma once

#include "app/core/tasksnapshot.h"
#include "toast.h"

#include <QMainWindow>
#include <QTimer>
#include <QUrl>

#include <memory>

class BusySpinner;
class DesktopNotifier;
class FileImporter;
class FinishNotices;
class LauncherEntry;
class QAction;
class QComboBox;
class QLabel;
class QListView;
class QMenu;
class QTabWidget;
class TaskActionGroup;
class TaskDelegate;
class TaskDetailPane;
class TaskEngine;
class TaskFilterModel;
class TaskSource;
class TaskListModel;
class ToastStack;
class TrayIcon;
class UiSettings;
class WebTab;

// The main window: the task list (model/view with a painting delegate, filters and sorting), the
// detail pane, menus and a toolbar, the web tab, toasts, the tray icon, desktop notifications and
// launcher progress. Its parts live in their own classes (TaskActionGroup: the task commands;
// FinishNotices: news of finished tasks; FileImporter: "Import file…"); the window wires them.
// Every part has an object name (taskModel, taskFilter, taskList, taskDetail, toasts, tabs,
// webTab, the actions' action*), which is how tests and screenshots find them. It drives the
// engine only through its public API and never quits by itself: it emits quitRequested().
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    // The views show `shown` (null: the engine's own tasks); the commands go to the engine.
    explicit MainWindow(TaskEngine &engine, TaskSource *shown = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    // The web tab: the page of the in-process server; the token travels in an Authorization
    // header for that origin only. Navigation to other origins opens the system browser.
    void setWebPage(const QUrl &baseUrl, const QString &token);
    // "Open in browser" opens this (baseUrl + ?token=); unset: the action is disabled.
    void setBrowserUrl(const QUrl &urlWithToken);
    // Offers interrupted tasks for retry (called once at start-up by the app).
    void offerInterruptedTasks();
    // Where "Import file…" copies files (<data-dir>/uploads, the same folder as uploads over
    // the server); unset or empty: the action is disabled.
    void setUploadDir(const QString &dir);

    // Shows the task (switching to the Tasks tab, clearing filters that hide it); false: no
    // such task in the list (yet).
    bool selectTask(const QString &id);
    // The confirmation asked before quitting with active tasks; replaced by tests.
    void setQuitConfirmation(std::function<bool(int activeTasks)> confirm)
    {
        m_confirmQuit = std::move(confirm);
    }

    // The session is ending (logout, shutdown): closing the window now quits without asking;
    // running tasks become interrupted and are offered again at the next start.
    void endSession();

Q_SIGNALS:
    // After the user confirmed quitting with running tasks (or none ran).
    void quitRequested();

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void createActions();
    void createMenus();
    QWidget *createTaskPage();
    void updateDetail();
    void updateAggregate();
    void updateAnimation();
    void showTask(const QString &id); // brings the window forward too
    void requestQuit();
    void showNewTaskDialog();
    void showSettings();
    void toggleWindow();
    QStringList selectedIds() const;
    void reportError(const QString &what, const QString &message);

    TaskEngine &m_engine;
    std::unique_ptr<TaskSource> m_engineSource; // when no other source is shown
    TaskSource &m_source;
    std::unique_ptr<UiSettings> m_settings;
    TaskListModel *m_model;
    TaskFilterModel *m_filter;
    TaskDelegate *m_delegate;
    QTabWidget *m_tabs = nullptr;
    QListView *m_view = nullptr;
    TaskDetailPane *m_detail = nullptr;
    ToastStack *m_toasts = nullptr;
    WebTab *m_web = nullptr;
    QWidget *m_webPlaceholder = nullptr;
    QComboBox *m_stateCombo = nullptr;
    QComboBox *m_typeCombo = nullptr;
    QComboBox *m_sortCombo = nullptr;
    QLabel *m_status = nullptr;
    BusySpinner *m_spinner = nullptr;
    QMenu *m_trayMenu = nullptr;
    TrayIcon *m_tray = nullptr;
    DesktopNotifier *m_notifier = nullptr;
    LauncherEntry *m_launcher = nullptr;
    TaskActionGroup *m_taskActions = nullptr;
    FinishNotices *m_notices = nullptr;
    FileImporter *m_importer = nullptr;
    QTimer m_animTimer;
    QTimer m_aggregateTimer;
    QUrl m_browserUrl;
    std::function<bool(int)> m_confirmQuit;
    bool m_quitting = false;
    bool m_aggregateDirty = false;

    QAction *m_newAct = nullptr;
    QAction *m_browserAct = nullptr;
    QAction *m_settingsAct = nullptr;
    QAction *m_quitAct = nullptr;
    QAction *m_showAct = nullptr;
};
