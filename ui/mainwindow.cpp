#include "mainwindow.h"

#include "actionfactory.h"
#include "animationpolicy.h"
#include "app/core/enginetasksource.h"
#include "app/core/taskengine.h"
#include "app/core/tasktyperegistry.h"
#include "appicon.h"
#include "busyspinner.h"
#include "desktopnotifier.h"
#include "fileimporter.h"
#include "finishnotices.h"
#include "launcherentry.h"
#include "newtaskdialog.h"
#include "settingsdialog.h"
#include "taskactiongroup.h"
#include "taskdelegate.h"
#include "taskdetailpane.h"
#include "taskfiltermodel.h"
#include "taskformat.h"
#include "tasklistmodel.h"
#include "toaststack.h"
#include "trayicon.h"
#include "uisettings.h"
#include "webtab.h"

#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDesktopServices>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QThread>
#include <QToolBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

MainWindow::MainWindow(TaskEngine &engine, TaskSource *shown, QWidget *parent)
    : QMainWindow(parent), m_engine(engine),
      m_engineSource(shown ? nullptr : std::make_unique<EngineTaskSource>(engine)),
      m_source(shown ? *shown : *m_engineSource), m_settings(std::make_unique<UiSettings>()),
      m_model(new TaskListModel(this)), m_filter(new TaskFilterModel(this)),
      m_delegate(new TaskDelegate(this)), m_notifier(new DesktopNotifier(this)),
      m_launcher(new LauncherEntry(u"io.github.headway.Headway.desktop"_s, this))
{
    setWindowTitle(tr("Headway"));
    setWindowIcon(AppIcon::icon());
    m_model->setObjectName(u"taskModel"_s);
    m_filter->setObjectName(u"taskFilter"_s);
    m_filter->setSourceModel(m_model);

    auto *central = new QWidget(this);
    auto *cv = new QVBoxLayout(central);
    cv->setContentsMargins(0, 0, 0, 0);
    m_tabs = new QTabWidget(central);
    m_tabs->setObjectName(u"tabs"_s);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(createTaskPage(), tr("&Tasks"));
    createActions();
    m_webPlaceholder
        = new QLabel(tr("The web page is not available: the server is not running."), m_tabs);
    static_cast<QLabel *>(m_webPlaceholder)->setAlignment(Qt::AlignCenter);
    m_tabs->addTab(m_webPlaceholder, tr("&Web"));
    cv->addWidget(m_tabs);
    setCentralWidget(central);
    m_toasts = new ToastStack(central);
    m_toasts->setObjectName(u"toasts"_s);
    createMenus();

    m_status = new QLabel(this);
    m_status->setObjectName(u"statusSummary"_s);
    m_spinner = new BusySpinner(this);
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_spinner);

    m_trayMenu = new QMenu(this);
    m_trayMenu->addAction(m_showAct);
    m_trayMenu->addAction(m_newAct);
    m_trayMenu->addSeparator();
    m_trayMenu->addAction(m_quitAct);
    m_tray = new TrayIcon(m_trayMenu, this);
    connect(m_tray, &TrayIcon::activated, this, &MainWindow::toggleWindow);
    m_tray->setVisible(true);
    m_notifier->setEnabled(m_settings->notifications());

    m_notices = new FinishNotices(m_model, m_toasts, m_notifier, *m_settings, this);
    m_notices->setObjectName(u"finishNotices"_s);
    m_notices->setPageShowsNotices([this] { return m_web && m_tabs->currentWidget() == m_web; });
    connect(m_notices, &FinishNotices::showRequested, this, &MainWindow::showTask);

    m_animTimer.setInterval(50);
    connect(&m_animTimer, &QTimer::timeout, this, [this] {
        double phase = m_delegate->animationPhase() + 0.025;
        if (phase > 1)
            phase -= 1;
        m_delegate->setAnimationPhase(phase);
        m_view->viewport()->update();
    });
    // Aggregates (tray, launcher, status line) are O(n): refresh them on a slow single shot.
    m_aggregateTimer.setSingleShot(true);
    m_aggregateTimer.setInterval(250);
    connect(&m_aggregateTimer, &QTimer::timeout, this, [this] {
        if (m_aggregateDirty) {
            m_aggregateDirty = false;
            updateAggregate();
            m_aggregateTimer.start();
        }
    });

    connect(m_model, &TaskListModel::countsChanged, this, [this] {
        // Throttled: at once when quiet, then at most every 250 ms.
        if (!m_aggregateTimer.isActive()) {
            updateAggregate();
            m_aggregateDirty = false;
            m_aggregateTimer.start();
        } else {
            m_aggregateDirty = true;
        }
        updateAnimation();
    });
    connect(m_model, &TaskListModel::dataChanged, this,
            [this](const QModelIndex &tl, const QModelIndex &br) {
                const int row = m_model->rowOf(m_detail->taskId());
                if (row >= tl.row() && row <= br.row())
                    updateDetail();
            });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateDetail);

    m_confirmQuit = [this](int active) {
        return QMessageBox::question(
                   this, tr("Quit Headway?"),
                   tr("%n task(s) are still running or queued. If you quit now they stop and are "
                      "offered for retry at the next start.",
                      nullptr, active),
                   QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
            == QMessageBox::Yes;
    };

    m_model->attach(m_source, 30);
    updateAggregate();
    const QFontMetrics fm = fontMetrics();
    resize(fm.averageCharWidth() * 150, fm.height() * 40);
    // Size and split as the user left them (saved when the window goes).
    const QSettings settings;
    restoreGeometry(settings.value(u"window/geometry"_s).toByteArray());
    if (auto *split = findChild<QSplitter *>(u"taskSplitter"_s))
        split->restoreState(settings.value(u"window/splitter"_s).toByteArray());
}

MainWindow::~MainWindow()
{
    QSettings settings;
    settings.setValue(u"window/geometry"_s, saveGeometry());
    if (const auto *split = findChild<QSplitter *>(u"taskSplitter"_s))
        settings.setValue(u"window/splitter"_s, split->saveState());
}

void MainWindow::createActions()
{
    const auto make = [this](const QString &text, const QString &name, const QKeySequence &key,
                             QStyle::StandardPixmap icon, const QString &themeIcon) {
        return makeAction(this, this, text, name, key, icon, themeIcon);
    };
    m_newAct = make(tr("&New task…"), u"actionNewTask"_s, QKeySequence::New, QStyle::SP_FileIcon,
                    u"document-new"_s);
    m_browserAct = make(tr("Open in &browser"), u"actionOpenInBrowser"_s, QKeySequence(u"Ctrl+B"_s),
                        QStyle::SP_DesktopIcon, u"internet-web-browser"_s);
    m_browserAct->setEnabled(false); // until setBrowserUrl()
    m_settingsAct = make(tr("&Settings…"), u"actionSettings"_s, QKeySequence(u"Ctrl+,"_s),
                         QStyle::SP_FileDialogDetailedView, u"preferences-system"_s);
    m_quitAct = make(tr("&Quit"), u"actionQuit"_s, QKeySequence::Quit, QStyle::SP_DialogCloseButton,
                     u"application-exit"_s);
    m_quitAct->setMenuRole(QAction::QuitRole);
    m_settingsAct->setMenuRole(QAction::PreferencesRole);
    m_showAct = new QAction(tr("Show/hide window"), this);
    m_showAct->setObjectName(u"actionShowWindow"_s);

    m_taskActions = new TaskActionGroup(m_engine, m_model, m_view, this);
    m_taskActions->setObjectName(u"taskActions"_s);
    connect(m_taskActions, &TaskActionGroup::failed, this, &MainWindow::reportError);
    connect(m_taskActions, &TaskActionGroup::selectRequested, this, &MainWindow::selectTask);
    m_importer = new FileImporter(m_engine, this);
    m_importer->setObjectName(u"fileImporter"_s);
    connect(m_importer, &FileImporter::failed, this, &MainWindow::reportError);
    // The Added event arrives queued; select the row once it is there.
    connect(m_importer, &FileImporter::imported, this, [this](const QString &id) {
        QTimer::singleShot(100, this, [this, id] { selectTask(id); });
    });

    connect(m_newAct, &QAction::triggered, this, &MainWindow::showNewTaskDialog);
    connect(m_browserAct, &QAction::triggered, this, [this] {
        if (m_browserUrl.isValid())
            QDesktopServices::openUrl(m_browserUrl);
    });
    connect(m_settingsAct, &QAction::triggered, this, &MainWindow::showSettings);
    connect(m_quitAct, &QAction::triggered, this, &MainWindow::requestQuit);
    connect(m_showAct, &QAction::triggered, this, &MainWindow::toggleWindow);
}

void MainWindow::createMenus()
{
    QAction *importAct = m_importer->action();
    QAction *clearAct = m_taskActions->clearFinished();
    const auto perTask = [this](std::initializer_list<TaskAction> actions) {
        QList<QAction *> list;
        for (TaskAction a : actions)
            list.append(m_taskActions->action(a));
        return list;
    };
    // Menu order, and the toolbar's (Pause and Resume where media players have them).
    const QList<QAction *> menuOrder
        = perTask({ TaskAction::Cancel, TaskAction::Pause, TaskAction::Resume, TaskAction::Retry,
                    TaskAction::Remove });
    const QList<QAction *> barOrder
        = perTask({ TaskAction::Pause, TaskAction::Resume, TaskAction::Cancel, TaskAction::Retry,
                    TaskAction::Remove });
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_newAct);
    file->addAction(importAct);
    file->addSeparator();
    file->addAction(m_browserAct);
    file->addAction(m_settingsAct);
    file->addSeparator();
    file->addAction(m_quitAct);
    QMenu *task = menuBar()->addMenu(tr("T&ask"));
    task->addActions(menuOrder);
    task->addSeparator();
    task->addAction(importAct);
    task->addAction(clearAct);

    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(u"mainToolBar"_s);
    bar->setMovable(false);
    // Words under the icons: all nine buttons fit the default 900 px width (beside the icons
    // they needed ~1,020 px and "Open in browser" went into the overflow menu).
    bar->setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
    bar->addAction(m_newAct);
    bar->addAction(importAct);
    bar->addSeparator();
    bar->addActions(barOrder);
    bar->addSeparator();
    bar->addAction(clearAct);
    bar->addAction(m_browserAct);

    // The same task actions on the list's context menu.
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addActions(barOrder);
}

QWidget *MainWindow::createTaskPage()
{
    auto *page = new QWidget(this);
    auto *v = new QVBoxLayout(page);
    const int em = fontMetrics().height();
    v->setContentsMargins(em / 2, em / 2, em / 2, 0);

    auto *filters = new QHBoxLayout;
    m_stateCombo = new QComboBox(page);
    m_stateCombo->setAccessibleName(tr("Show"));
    m_stateCombo->addItem(tr("All"), int(TaskFilterModel::StateFilter::All)); // the page's words
    m_stateCombo->addItem(tr("Active"), int(TaskFilterModel::StateFilter::Active));
    m_stateCombo->addItem(tr("Finished"), int(TaskFilterModel::StateFilter::Finished));
    m_stateCombo->addItem(tr("Failed or interrupted"), int(TaskFilterModel::StateFilter::Failed));
    m_typeCombo = new QComboBox(page);
    m_typeCombo->setAccessibleName(tr("Type"));
    m_typeCombo->addItem(tr("All types"), QString());
    for (const TaskType *t : m_engine.registry().types())
        m_typeCombo->addItem(t->title.isEmpty() ? t->name : t->title, t->name);
    m_sortCombo = new QComboBox(page);
    m_sortCombo->setAccessibleName(tr("Sort by"));
    // Newest first by default: the page's order (its only one), in the same words.
    m_sortCombo->addItem(tr("Newest first"), int(TaskFilterModel::SortKey::Created));
    m_sortCombo->addItem(tr("Oldest first"), int(TaskFilterModel::SortKey::Created));
    m_sortCombo->addItem(tr("Title"), int(TaskFilterModel::SortKey::Title));
    m_sortCombo->addItem(tr("State"), int(TaskFilterModel::SortKey::State));
    m_sortCombo->addItem(tr("Progress"), int(TaskFilterModel::SortKey::Progress));
    m_sortCombo->addItem(tr("Type"), int(TaskFilterModel::SortKey::Type));
    auto *showLabel = new QLabel(tr("&Show:"), page);
    showLabel->setBuddy(m_stateCombo);
    auto *sortLabel = new QLabel(tr("S&ort:"), page);
    sortLabel->setBuddy(m_sortCombo);
    filters->addWidget(showLabel);
    filters->addWidget(m_stateCombo);
    filters->addWidget(m_typeCombo);
    filters->addStretch();
    filters->addWidget(sortLabel);
    filters->addWidget(m_sortCombo);
    v->addLayout(filters);
    connect(m_stateCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setStateFilter(TaskFilterModel::StateFilter(m_stateCombo->currentData().toInt()));
    });
    connect(m_typeCombo, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setTypeFilter(m_typeCombo->currentData().toString()); });
    connect(m_sortCombo, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_filter->setSortKey(TaskFilterModel::SortKey(m_sortCombo->currentData().toInt()),
                             i == 0 ? Qt::DescendingOrder : Qt::AscendingOrder);
    });
    m_filter->setSortKey(TaskFilterModel::SortKey::Created, Qt::DescendingOrder);

    auto *split = new QSplitter(Qt::Horizontal, page);
    split->setObjectName(u"taskSplitter"_s);
    m_view = new QListView(split);
    m_view->setObjectName(u"taskList"_s);
    m_view->setAccessibleName(tr("Tasks"));
    m_view->setModel(m_filter);
    m_view->setItemDelegate(m_delegate);
    m_view->setUniformItemSizes(true); // O(1) layout with 10,000 rows
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setAlternatingRowColors(false);
    // First start: say what to do instead of showing a blank list.
    auto *hint
        = new QLabel(tr("No tasks yet. Start one with New task… (%1).")
                         .arg(QKeySequence(QKeySequence::New).toString(QKeySequence::NativeText)),
                     m_view->viewport());
    hint->setObjectName(u"emptyListHint"_s);
    hint->setWordWrap(true);
    hint->setAlignment(Qt::AlignCenter);
    hint->setForegroundRole(QPalette::PlaceholderText);
    auto *hintLayout = new QVBoxLayout(m_view->viewport());
    hintLayout->addWidget(hint, 0, Qt::AlignCenter);
    m_detail = new TaskDetailPane(split);
    m_detail->setObjectName(u"taskDetail"_s);
    split->addWidget(m_view);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({ em * 40, em * 26 });
    v->addWidget(split, 1);
    return page;
}

void MainWindow::setWebPage(const QUrl &baseUrl, const QString &token)
{
    if (!m_web) {
        m_web = new WebTab(m_tabs);
        m_web->setObjectName(u"webTab"_s);
        const int index = m_tabs->indexOf(m_webPlaceholder);
        m_tabs->removeTab(index);
        m_webPlaceholder->deleteLater();
        m_webPlaceholder = nullptr;
        m_tabs->insertTab(index, m_web, tr("&Web"));
        connect(m_web, &WebTab::loadFinished, this, [this](bool ok) {
            m_spinner->stop();
            if (!ok)
                m_toasts->showToast(Toast::Kind::Warning, tr("The web page did not load"),
                                    m_web->baseUrl().toString(QUrl::RemoveUserInfo));
        });
    }
    m_spinner->start();
    m_web->load(baseUrl, token);
}

void MainWindow::setBrowserUrl(const QUrl &urlWithToken)
{
    m_browserUrl = urlWithToken;
    m_browserAct->setEnabled(m_browserUrl.isValid());
}

QStringList MainWindow::selectedIds() const
{
    return m_taskActions->selectedIds();
}

bool MainWindow::selectTask(const QString &id)
{
    const QModelIndex source = m_model->indexOf(id);
    QModelIndex proxy = m_filter->mapFromSource(source);
    if (source.isValid() && !proxy.isValid()) {
        // Hidden by a filter: show everything rather than select nothing.
        m_stateCombo->setCurrentIndex(0);
        m_typeCombo->setCurrentIndex(0);
        proxy = m_filter->mapFromSource(source);
    }
    if (!proxy.isValid())
        return false;
    m_tabs->setCurrentIndex(0);
    m_view->selectionModel()->setCurrentIndex(proxy, QItemSelectionModel::ClearAndSelect);
    m_view->scrollTo(proxy);
    return true;
}

void MainWindow::updateDetail()
{
    const QStringList ids = selectedIds();
    const QString id = ids.size() == 1 ? ids.first() : QString();
    const TaskSnapshot *t = m_model->snapshot(id);
    m_detail->setTask(t ? std::optional<TaskSnapshot>(*t) : std::nullopt);
}

void MainWindow::updateAggregate()
{
    const int active = m_model->activeCount();
    const double percent = m_model->overallPercent();
    // Worded like the page's summary (formatCounts in web/js/format.js): each state by its own
    // name, zeros left out; interrupted tasks wait for the user, apart from the finished ones.
    const auto n = [this](TaskState s) { return m_model->stateCount(s); };
    QStringList parts;
    const auto add = [&parts](int count, const char *words) {
        if (count > 0)
            parts.append(tr(words).arg(count));
    };
    add(n(TaskState::Running), QT_TR_NOOP("%1 running"));
    add(n(TaskState::Queued), QT_TR_NOOP("%1 queued"));
    add(n(TaskState::Paused), QT_TR_NOOP("%1 paused"));
    add(n(TaskState::Retrying), QT_TR_NOOP("%1 retrying"));
    add(n(TaskState::Succeeded) + n(TaskState::Failed) + n(TaskState::Canceled),
        QT_TR_NOOP("%1 finished"));
    add(n(TaskState::Interrupted), QT_TR_NOOP("%1 interrupted"));
    const QString status = parts.isEmpty() ? tr("No tasks yet") : parts.join(u" · "_s);
    if (auto *hint = m_view->viewport()->findChild<QLabel *>(u"emptyListHint"_s))
        hint->setVisible(m_model->rowCount() == 0);
    m_status->setText(status);
    m_tray->setProgress(active, percent);
    m_launcher->update(active > 0 ? percent / 100.0 : -1, active);
    setWindowTitle(active > 0 && percent >= 0 ? tr("Headway (%1%)").arg(qRound(percent))
                                              : tr("Headway"));
}

void MainWindow::updateAnimation()
{
    const bool want = AnimationPolicy::enabled() && isVisible() && !isMinimized()
        && m_model->indeterminateRunningCount() > 0;
    if (want && !m_animTimer.isActive())
        m_animTimer.start();
    else if (!want)
        m_animTimer.stop();
}

void MainWindow::showTask(const QString &id)
{
    if (isHidden())
        show();
    raise();
    activateWindow();
    selectTask(id);
}

void MainWindow::offerInterruptedTasks()
{
    // Ask the source: called right after show(), before the model has had its first events.
    QStringList ids;
    for (const TaskSnapshot &t : m_source.tasks()) {
        if (t.state == TaskState::Interrupted)
            ids.append(t.id);
    }
    if (ids.isEmpty())
        return;
    // Plural strings without %n: their English forms say "it"/"they" and "Retry"/"Retry all".
    Toast *toast = m_toasts->showToast(Toast::Kind::Warning, QString(), QString(), u"-"_s);
    toast->setTimeout(0);
    // The notice follows its tasks: retried or removed ones leave it, the last one closes it.
    auto pending = std::make_shared<QStringList>(ids);
    const auto update = [this, toast, pending] {
        pending->removeIf([this](const QString &id) {
            const std::optional<TaskSnapshot> t = m_source.task(id);
            return !t || t->state != TaskState::Interrupted;
        });
        const int n = int(pending->size());
        if (n == 0) {
            toast->dismiss();
            return;
        }
        toast->setTitle(tr("%n task(s) interrupted", nullptr, n));
        toast->setText(tr("They were running when Headway last stopped.", nullptr, n));
        toast->setAction(tr("Retry all", nullptr, n));
    };
    update();
    connect(m_model, &TaskListModel::countsChanged, toast, update);
    connect(toast, &Toast::actionTriggered, this, [this, pending] {
        for (const QString &id : std::as_const(*pending)) {
            const std::optional<TaskSnapshot> t = m_engine.task(id);
            if (t && t->state == TaskState::Interrupted)
                m_engine.retry(id); // an upload then waits for its sender's data again
        }
    });
}

void MainWindow::reportError(const QString &what, const QString &message)
{
    m_toasts->showToast(Toast::Kind::Error, what, message);
}

void MainWindow::showNewTaskDialog()
{
    auto *dialog = new NewTaskDialog(m_engine, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const QString id = dialog->submittedId();
        // The Added event arrives queued; select the row once it is there.
        QTimer::singleShot(100, this, [this, id] { selectTask(id); });
    });
    dialog->open();
}

void MainWindow::setUploadDir(const QString &dir)
{
    m_importer->setUploadDir(dir);
}

void MainWindow::showSettings()
{
    auto *dialog = new SettingsDialog(*m_settings, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this] {
        const int workers = m_settings->concurrency();
        m_engine.setConcurrency(workers > 0 ? workers : QThread::idealThreadCount());
        m_notifier->setEnabled(m_settings->notifications());
    });
    dialog->open();
}

void MainWindow::toggleWindow()
{
    if (isVisible() && !isMinimized()) {
        hide();
    } else {
        showNormal();
        raise();
        activateWindow();
    }
}

void MainWindow::requestQuit()
{
    const int active = m_engine.activeCount();
    if (active > 0 && m_confirmQuit && !m_confirmQuit(active))
        return;
    m_quitting = true;
    Q_EMIT quitRequested();
}

void MainWindow::endSession()
{
    m_quitting = true;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_quitting) {
        event->accept();
        return;
    }
    if (m_settings->closeToTray() && m_tray->isVisible()) {
        hide();
        event->ignore();
        return;
    }
    // No tray to live in: closing is quitting. The app quits on quitRequested.
    event->ignore();
    requestQuit();
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        m_view->viewport()->update(); // badge colours follow light/dark
    if (event->type() == QEvent::WindowStateChange)
        updateAnimation();
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    updateAnimation();
}

void MainWindow::hideEvent(QHideEvent *event)
{
    QMainWindow::hideEvent(event);
    updateAnimation();
}
