#pragma once

#include "app/core/tasksnapshot.h"
#include "toast.h"

#include <QMainWindow>
#include <QTimer>
#include <QUrl>

#include <memory>

class BusySpinner;
class DesktopNotifier;
class LauncherEntry;
class QAction;
class QComboBox;
class QLabel;
class QListView;
class QMenu;
class QTabWidget;
class TaskDelegate;
class TaskDetailPane;
class TaskEngine;
class TaskFilterModel;
class TaskListModel;
class ToastStack;
class TrayIcon;
class UiSettings;
class WebTab;

// The main window: the task list (model/view with a painting delegate, filters and sorting), the
// detail pane, actions in menus and a toolbar (enabled only when legal for the selection), the
// web tab, toasts, the tray icon, desktop notifications and launcher progress. It drives the
// engine only through its public API and never quits by itself: it emits quitRequested().
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(TaskEngine &engine, QWidget *parent = nullptr);
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
    QString uploadDir() const { return m_uploadDir; }
    // Submits the import pipeline (Copy into the upload folder, then Verify its SHA-256) for
    // `path` without asking; "Import file…" calls it after its file dialog. Returns the new
    // task's id, or an empty string after showing an error toast.
    QString importFile(const QString &path);

    // For tests and screenshots.
    TaskListModel *taskModel() const { return m_model; }
    TaskFilterModel *filterModel() const { return m_filter; }
    QListView *taskView() const { return m_view; }
    TaskDetailPane *detailPane() const { return m_detail; }
    ToastStack *toastStack() const { return m_toasts; }
    WebTab *webTab() const { return m_web; }
    QTabWidget *tabs() const { return m_tabs; }
    QAction *newTaskAction() const { return m_newAct; }
    QAction *importAction() const { return m_importAct; }
    QAction *cancelAction() const { return m_cancelAct; }
    QAction *pauseAction() const { return m_pauseAct; }
    QAction *resumeAction() const { return m_resumeAct; }
    QAction *retryAction() const { return m_retryAct; }
    QAction *removeAction() const { return m_removeAct; }
    QAction *clearFinishedAction() const { return m_clearAct; }
    QAction *openInBrowserAction() const { return m_browserAct; }
    QAction *settingsAction() const { return m_settingsAct; }
    QAction *quitAction() const { return m_quitAct; }
    bool selectTask(const QString &id);
    QStringList selectedIds() const;
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
    void updateActions();
    void updateDetail();
    void updateAggregate();
    void updateAnimation();
    void onTaskFinished(const TaskSnapshot &task);
    void showFinishedToasts();
    void showFinishedToast(const TaskSnapshot &task);
    void showFinishedNotice(Toast::Kind kind, const QString &title, const QString &text,
                            const QString &target);
    void requestQuit();
    void showNewTaskDialog();
    void showImportDialog();
    void showSettings();
    void toggleWindow();
    void forEachSelected(TaskAction action, const std::function<void(const QString &)> &apply);
    void reportError(const QString &what, const QString &message);

    TaskEngine &m_engine;
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
    // Tasks that finished in the current batch of engine events: a few get a toast each,
    // many get one summary toast (200 toasts at once stalled the GUI for 30 ms).
    QList<TaskSnapshot> m_finishedBatch;
    QTimer m_animTimer;
    QTimer m_aggregateTimer;
    QUrl m_browserUrl;
    QString m_uploadDir;
    std::function<bool(int)> m_confirmQuit;
    bool m_quitting = false;
    bool m_aggregateDirty = false;

    QAction *m_newAct = nullptr;
    QAction *m_importAct = nullptr;
    QAction *m_cancelAct = nullptr;
    QAction *m_pauseAct = nullptr;
    QAction *m_resumeAct = nullptr;
    QAction *m_retryAct = nullptr;
    QAction *m_removeAct = nullptr;
    QAction *m_clearAct = nullptr;
    QAction *m_browserAct = nullptr;
    QAction *m_settingsAct = nullptr;
    QAction *m_quitAct = nullptr;
    QAction *m_showAct = nullptr;
};
