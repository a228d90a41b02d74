#include "screenshotrunner.h"

#include "animationpolicy.h"
#include "app/core/statictasksource.h"
#include "app/core/taskengine.h"
#include "app/core/tasktyperegistry.h"
#include "app/core/translations.h"
#include "app/progress/installersession.h"
#include "app/progress/progresssession.h"
#include "installerwindow.h"
#include "mainwindow.h"
#include "newtaskdialog.h"
#include "pagescript.h"
#include "progresswindow.h"
#include "scenariofile.h"
#include "stepindicator.h"
#include "taskdetailpane.h"
#include "tasklistmodel.h"
#include "toaststack.h"
#include "webpage.h"
#include "webtab.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QIcon>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QPalette>
#include <QPointer>
#include <QRegularExpression>
#include <QSettings>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTextStream>
#include <QWebEngineScript>
#include <QWebEngineScriptCollection>
#include <QWebEngineSettings>
#include <QWebEngineView>

#include <ctime>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ScreenshotRunner", text);
}

void printError(const QString &message)
{
    QTextStream(stderr) << u"headway screenshot: "_s << message << Qt::endl;
}

using Scenario = ScenarioFile;
using ToastSpec = ScenarioFile::ToastSpec;

std::optional<Scenario> readScenario(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("cannot read %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    std::optional<Scenario> s = ScenarioFile::parse(file.readAll(), path, error);
    if (s && s->views.contains(u"progress-window"_s)) {
        QString optionError;
        if (!ProgressOptions::parse(s->progressArgs, &optionError)) {
            *error = tr("%1: progress.args: %2").arg(path, optionError);
            return std::nullopt;
        }
    }
    return s;
}

// Fixed palettes, so the platform theme or the desktop never changes a pixel.
QPalette fixedPalette(bool dark)
{
    QPalette p;
    const auto set = [&p](QPalette::ColorRole role, QColor active, QColor disabled) {
        p.setColor(QPalette::Active, role, active);
        p.setColor(QPalette::Inactive, role, active);
        p.setColor(QPalette::Disabled, role, disabled);
    };
    if (dark) {
        set(QPalette::Window, QColor(0x2b, 0x2d, 0x31), QColor(0x2b, 0x2d, 0x31));
        set(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6), QColor(0x80, 0x80, 0x80));
        set(QPalette::Base, QColor(0x1e, 0x1f, 0x22), QColor(0x26, 0x27, 0x2a));
        set(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2c), QColor(0x26, 0x28, 0x2c));
        set(QPalette::ToolTipBase, QColor(0x3c, 0x3f, 0x44), QColor(0x3c, 0x3f, 0x44));
        set(QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xe6), QColor(0x80, 0x80, 0x80));
        set(QPalette::PlaceholderText, QColor(0x8a, 0x8a, 0x8a), QColor(0x60, 0x60, 0x60));
        set(QPalette::Text, QColor(0xe6, 0xe6, 0xe6), QColor(0x80, 0x80, 0x80));
        set(QPalette::Button, QColor(0x35, 0x38, 0x3d), QColor(0x30, 0x32, 0x36));
        set(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6), QColor(0x80, 0x80, 0x80));
        set(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b), QColor(0xff, 0x6b, 0x6b));
        set(QPalette::Light, QColor(0x48, 0x4b, 0x51), QColor(0x48, 0x4b, 0x51));
        set(QPalette::Midlight, QColor(0x3e, 0x41, 0x46), QColor(0x3e, 0x41, 0x46));
        set(QPalette::Mid, QColor(0x24, 0x25, 0x28), QColor(0x24, 0x25, 0x28));
        set(QPalette::Dark, QColor(0x1a, 0x1b, 0x1d), QColor(0x1a, 0x1b, 0x1d));
        set(QPalette::Shadow, QColor(0x0c, 0x0c, 0x0d), QColor(0x0c, 0x0c, 0x0d));
        set(QPalette::Highlight, QColor(0x3d, 0x7a, 0xd6), QColor(0x4a, 0x4d, 0x52));
        set(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff), QColor(0xb0, 0xb0, 0xb0));
        set(QPalette::Link, QColor(0x6c, 0xa8, 0xff), QColor(0x6c, 0xa8, 0xff));
        set(QPalette::LinkVisited, QColor(0xb0, 0x8c, 0xff), QColor(0xb0, 0x8c, 0xff));
    } else {
        set(QPalette::Window, QColor(0xef, 0xef, 0xef), QColor(0xef, 0xef, 0xef));
        set(QPalette::WindowText, QColor(0x1d, 0x1d, 0x1f), QColor(0x9a, 0x9a, 0x9a));
        set(QPalette::Base, QColor(0xff, 0xff, 0xff), QColor(0xf4, 0xf4, 0xf4));
        set(QPalette::AlternateBase, QColor(0xf6, 0xf7, 0xf9), QColor(0xf6, 0xf7, 0xf9));
        set(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xdc), QColor(0xff, 0xff, 0xdc));
        set(QPalette::ToolTipText, QColor(0x1d, 0x1d, 0x1f), QColor(0x9a, 0x9a, 0x9a));
        set(QPalette::PlaceholderText, QColor(0x80, 0x80, 0x80), QColor(0xb0, 0xb0, 0xb0));
        set(QPalette::Text, QColor(0x1d, 0x1d, 0x1f), QColor(0x9a, 0x9a, 0x9a));
        set(QPalette::Button, QColor(0xef, 0xef, 0xef), QColor(0xef, 0xef, 0xef));
        set(QPalette::ButtonText, QColor(0x1d, 0x1d, 0x1f), QColor(0x9a, 0x9a, 0x9a));
        set(QPalette::BrightText, QColor(0xff, 0xff, 0xff), QColor(0xff, 0xff, 0xff));
        set(QPalette::Light, QColor(0xff, 0xff, 0xff), QColor(0xff, 0xff, 0xff));
        set(QPalette::Midlight, QColor(0xca, 0xca, 0xca), QColor(0xca, 0xca, 0xca));
        set(QPalette::Mid, QColor(0xb8, 0xb8, 0xb8), QColor(0xb8, 0xb8, 0xb8));
        set(QPalette::Dark, QColor(0x9f, 0x9f, 0x9f), QColor(0x9f, 0x9f, 0x9f));
        set(QPalette::Shadow, QColor(0x76, 0x76, 0x76), QColor(0x76, 0x76, 0x76));
        set(QPalette::Highlight, QColor(0x30, 0x8c, 0xc6), QColor(0x91, 0x91, 0x91));
        set(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff), QColor(0xff, 0xff, 0xff));
        set(QPalette::Link, QColor(0x00, 0x57, 0xae), QColor(0x00, 0x57, 0xae));
        set(QPalette::LinkVisited, QColor(0x64, 0x4a, 0x9b), QColor(0x64, 0x4a, 0x9b));
    }
    return p;
}

// Lets queued events, single-shot timers and layouts settle for a fixed span of time.
void settle(int ms)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
}

bool save(const QImage &image, const QString &path)
{
    if (image.isNull() || !image.save(path, "PNG")) {
        printError(tr("could not write %1.").arg(path));
        return false;
    }
    QTextStream(stdout) << path << Qt::endl;
    return true;
}

// Processes events until done() holds or timeoutMs pass; false on timeout.
bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

// Runs script in the page and returns its value (invalid on timeout).
QVariant evaluate(QWebEnginePage *page, const QString &script)
{
    return runScriptAndWait(page, script, 5000);
}

// Polls script (a boolean expression) until the page says true.
bool waitForPage(QWebEnginePage *page, const QString &script, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!evaluate(page, script).toBool()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

// Runs in the page before its own scripts: the scenario's clock (the page shows no times
// today; this keeps any it might show fixed), its theme and reduced motion for matchMedia (the
// page's theme.js follows prefers-color-scheme), and a style sheet that stops transitions and
// animations, hides the caret and pins the font. A constructed style sheet, because the
// server's Content-Security-Policy blocks inline <style>.
QWebEngineScript pinScript(const Scenario &s)
{
    const QString css
        = u"*, *::before, *::after { transition: none !important; animation: none !important;"
          " caret-color: transparent !important; font-family: \"%1\" !important; }"
          " .hw-task { content-visibility: visible !important; }"
          " ::-webkit-scrollbar { display: none !important; }"_s.arg(s.fontFamily);
    const QJsonObject params { { u"now"_s, double(s.now.toMSecsSinceEpoch()) },
                               { u"dark"_s, s.dark },
                               { u"css"_s, css } };
    const QString source = uR"js((function () {
    'use strict';
    const P = %1;
    const RealDate = Date;
    function FixedDate(...args) {
        if (!new.target)
            return new RealDate(P.now).toString();
        return args.length ? new RealDate(...args) : new RealDate(P.now);
    }
    FixedDate.prototype = RealDate.prototype;
    FixedDate.now = () => P.now;
    FixedDate.parse = RealDate.parse;
    FixedDate.UTC = RealDate.UTC;
    window.Date = FixedDate;

    const realMatchMedia = window.matchMedia.bind(window);
    window.matchMedia = function (query) {
        const q = String(query);
        let matches = null;
        if (/prefers-color-scheme\s*:\s*dark/.test(q))
            matches = P.dark;
        else if (/prefers-color-scheme\s*:\s*light/.test(q))
            matches = !P.dark;
        else if (/prefers-reduced-motion\s*:\s*reduce/.test(q))
            matches = true;
        if (matches === null)
            return realMatchMedia(q);
        const none = () => {};
        return { matches, media: q, onchange: null, addEventListener: none,
                 removeEventListener: none, addListener: none, removeListener: none,
                 dispatchEvent: () => false };
    };

    const sheet = new CSSStyleSheet();
    sheet.replaceSync(P.css);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}());
)js"_s.arg(QString::fromUtf8(QJsonDocument(params).toJson(QJsonDocument::Compact)));
    QWebEngineScript script;
    script.setName(u"headway-screenshot-pins"_s);
    script.setInjectionPoint(QWebEngineScript::DocumentCreation);
    script.setWorldId(QWebEngineScript::MainWorld);
    script.setRunsOnSubFrames(false);
    script.setSourceCode(source);
    return script;
}

// True once the page shows the scenario: every task drawn (no frame pending), the live
// connection up, the task kinds loaded, fonts loaded, and the viewport at the given size.
QString readyScript(qsizetype tasks, const QSize &viewport)
{
    return uR"js((function () {
    const h = window.__headway;
    const badge = document.getElementById('connection');
    const type = document.getElementById('task-type');
    return !!(h && h.store.synced && h.store.tasks.size === %1 && h.view.rows.size === %1
        && !h.view.frame && badge && badge.dataset.status === 'live' && type && !type.disabled
        && document.readyState === 'complete' && document.fonts.status === 'loaded'
        && window.innerWidth === %2 && window.innerHeight === %3);
}()))js"_s.arg(tasks)
        .arg(viewport.width())
        .arg(viewport.height());
}

// The page in the embedded view (WebTab, as in the window's Web tab), served by a real server
// whose feeds show the scenario's tasks: one image per width, DIR/<name>-page-<width>.png.
bool capturePage(const Scenario &s, TaskEngine &engine, TaskSource &shown,
                 const ScreenshotRunner::PageServerFactory &factory, const QDir &out)
{
    if (!factory) {
        printError(tr("%1: the \"page\" view needs the web server, which this program cannot "
                      "start.")
                       .arg(s.name));
        return false;
    }
    QString error;
    std::optional<ScreenshotRunner::PageServer> server = factory(engine, shown, &error);
    if (!server || !server->server) {
        printError(
            tr("%1: the web server for the \"page\" view did not start: %2").arg(s.name, error));
        return false;
    }

    WebTab tab;
    tab.page()->settings()->setAttribute(QWebEngineSettings::ShowScrollBars, false);
    tab.page()->scripts().insert(pinScript(s));
    // Before the first paint and outside the page's own colors.
    tab.page()->setBackgroundColor(s.dark ? QColor(0x21, 0x25, 0x29) : QColor(Qt::white));
    constexpr int kFirstHeight = 812; // a phone's viewport until the content is measured
    tab.resize(s.pageWidths.constFirst(), s.pageHeight > 0 ? s.pageHeight : kFirstHeight);
    tab.show();
    // Shared, not a stack local: the signal may still come while the tab is torn down.
    const auto loaded = std::make_shared<int>(-1);
    QObject::connect(&tab, &WebTab::loadFinished, &tab, [loaded](bool ok) { *loaded = ok; });
    tab.load(server->baseUrl, server->token);
    if (!waitUntil([&loaded] { return *loaded != -1; }, 15000) || *loaded != 1) {
        printError(tr("%1: the page did not load from %2.")
                       .arg(s.name, server->baseUrl.toString(QUrl::RemoveUserInfo)));
        return false;
    }

    // The pins took: the style sheet, the media overrides and the clock.
    const QString pinned = u"document.adoptedStyleSheets.length > 0"
                           u" && getComputedStyle(document.body).caretColor === 'rgba(0, 0, 0, 0)'"
                           u" && window.matchMedia('(prefers-reduced-motion: reduce)').matches"
                           u" && Date.now() === %1"_s.arg(s.now.toMSecsSinceEpoch());
    if (!evaluate(tab.page(), pinned).toBool()) {
        printError(tr("%1: the page did not take the screenshot pins (style sheet, theme, "
                      "clock).")
                       .arg(s.name));
        return false;
    }

    bool ok = true;
    for (const int width : s.pageWidths) {
        int height = s.pageHeight > 0 ? s.pageHeight : kFirstHeight;
        bool ready = false;
        // "full": grow or shrink the viewport to the content until the two agree.
        for (int round = 0; round < 6; ++round) {
            tab.resize(width, height);
            ready
                = waitForPage(tab.page(), readyScript(s.tasks.size(), QSize(width, height)), 15000);
            if (!ready || s.pageHeight > 0)
                break;
            const int content = qBound(
                150,
                evaluate(tab.page(), u"Math.ceil(document.body.getBoundingClientRect().height)"_s)
                    .toInt(),
                ScenarioFile::MaxPageHeight);
            if (content == height)
                break;
            height = content;
            ready = false;
        }
        const QString path = out.filePath(u"%1-page-%2.png"_s.arg(s.name).arg(width));
        if (!ready) {
            printError(tr("%1: the page at %2 px did not show the scenario's tasks in time.")
                           .arg(s.name)
                           .arg(width));
            ok = false;
            continue;
        }
        // Two animation frames after the last change, then the same pixels three grabs in a
        // row: the compositor has delivered the frame that shows the final DOM.
        evaluate(tab.page(),
                 u"window.__hwShot = 0; requestAnimationFrame(() => requestAnimationFrame(() => "
                 u"{ window.__hwShot = 1; })); true"_s);
        QImage image;
        int same = 0;
        const bool stable
            = waitForPage(tab.page(), u"window.__hwShot === 1"_s, 10000)
            && waitUntil(
                  [&] {
                      settle(50);
                      const QImage next = tab.view()->grab().toImage().convertToFormat(
                          QImage::Format_ARGB32_Premultiplied);
                      same = !next.isNull() && next.size() == QSize(width, height) && next == image
                          ? same + 1
                          : 0;
                      image = next;
                      return same >= 2;
                  },
                  10000);
        if (!stable) {
            printError(tr("%1: the page at %2 px did not settle.").arg(s.name).arg(width));
            ok = false;
            continue;
        }
        ok = save(image, path) && ok;
    }
    tab.hide();
    return ok;
}

// The windows of `headway progress` and `headway run` in a given state: the progress window
// after reading the scenario's input lines, the installer window showing the scenario's task.
bool captureScriptWindow(const Scenario &s, const QString &view, const TaskTypeRegistry &registry,
                         const QDir &out)
{
    QImage image;
    if (view == u"progress-window") {
        QString error;
        ProgressSession session(*ProgressOptions::parse(s.progressArgs, &error));
        ProgressWindow window(session);
        for (const QString &line : s.progressInput)
            session.feed(line);
        window.show();
        settle(200);
        image = window.grab().toImage();
    } else {
        QStringList errors;
        const std::optional<InstallerManifest> manifest
            = InstallerManifest::fromJson(s.installerManifest, registry, &errors);
        if (!manifest) {
            printError(tr("%1: installer.manifest: %2").arg(s.name, errors.join(u"; "_s)));
            return false;
        }
        InstallerSession session(registry, *manifest);
        InstallerWindow window(session);
        for (const TaskSnapshot &t : s.tasks) {
            if (t.id == s.installerTask)
                session.apply(t);
        }
        window.show();
        settle(200);
        image = window.grab().toImage();
    }
    return save(image.convertToFormat(QImage::Format_ARGB32_Premultiplied),
                out.filePath(u"%1-%2.png"_s.arg(s.name, view)));
}

// The New task dialog over the scenario's engine: a type chosen, fields filled in, and with
// "start" its Start pressed, so the errors and warnings show (nothing is started when any do).
bool captureNewTaskDialog(const Scenario &s, TaskEngine &engine, const QDir &out)
{
    NewTaskDialog dialog(engine);
    if (!dialog.setType(s.newTaskType)) {
        printError(tr("%1: newTask.type \"%2\" is not a task type.").arg(s.name, s.newTaskType));
        return false;
    }
    dialog.form()->setParams(s.newTaskParams);
    dialog.show();
    settle(200);
    if (s.newTaskStart)
        dialog.submit();
    dialog.checkWarnings();
    settle(200);
    const QImage image
        = dialog.grab().toImage().convertToFormat(QImage::Format_ARGB32_Premultiplied);
    dialog.hide();
    return save(image, out.filePath(u"%1-new-task-dialog.png"_s.arg(s.name)));
}

// Renders one scenario; false when an image could not be rendered or written.
bool render(const Scenario &s, const QDir &out,
            const ScreenshotRunner::PageServerFactory &pageServer)
{
    QLocale::setDefault(QLocale(s.locale));
    QFont font(s.fontFamily);
    // Points, not pixels: widgets scale the application font by its point size.
    font.setPointSizeF(s.fontPointSize);
    font.setHintingPreference(QFont::PreferNoHinting);
    QApplication::setFont(font);
    QApplication::setPalette(fixedPalette(s.dark));

    TaskTypeRegistry registry;
    registerBuiltinTaskTypes(registry);
    EngineOptions idle;
    idle.runTasks = false;
    const QDateTime now = s.now;
    idle.clock = [now] { return now; };
    // The window and the page's server read the scenario's tasks from a read-only source; the
    // engine (for the New task dialog, the commands and the server's task types) holds none.
    TaskEngine engine(registry, idle);
    StaticTaskSource shown(s.tasks, registry);

    MainWindow window(engine, &shown);
    window.resize(s.window);
    window.show();
    // The window's parts by their object names (it has no accessors for tests or captures).
    const auto *model = window.findChild<TaskListModel *>(u"taskModel"_s);
    auto *toasts = window.findChild<ToastStack *>(u"toasts"_s);
    auto *detail = window.findChild<TaskDetailPane *>(u"taskDetail"_s);
    if (!model || !toasts || !detail) {
        printError(tr("%1: the window lacks a named part.").arg(s.name));
        return false;
    }
    // The tasks arrive as queued tracker events: wait for all of them, within a bound.
    QElapsedTimer timer;
    timer.start();
    while (model->rowCount() < s.tasks.size() && timer.elapsed() < 5000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    if (model->rowCount() < s.tasks.size()) {
        printError(tr("%1: the window did not receive every task.").arg(s.name));
        return false;
    }
    if (!s.select.isEmpty())
        window.selectTask(s.select);
    for (const ToastSpec &t : s.toasts) {
        Toast *toast = toasts->showToast(t.kind, t.title, t.text, t.action);
        toast->setTimeout(0); // a toast never goes away mid-capture
    }
    // The status line refreshes on a 250 ms single shot: let it fire.
    settle(400);

    bool ok = true;
    for (const QString &view : s.views) {
        if (view == u"page") {
            ok = capturePage(s, engine, shown, pageServer, out) && ok;
            continue;
        }
        if (view == u"new-task-dialog") {
            ok = captureNewTaskDialog(s, engine, out) && ok;
            continue;
        }
        if (view == u"progress-window" || view == u"installer-window") {
            ok = captureScriptWindow(s, view, registry, out) && ok;
            continue;
        }
        QWidget *widget = nullptr;
        if (view == u"main-window")
            widget = &window;
        else if (view == u"detail-pane")
            widget = detail;
        else if (view == u"step-indicator")
            widget = detail->stepIndicator();
        else if (view == u"toast")
            widget = toasts;
        if (!widget || !widget->isVisible() || widget->size().isEmpty()) {
            printError(tr("%1: the %2 view is not visible in this scenario.").arg(s.name, view));
            ok = false;
            continue;
        }
        const QImage image
            = widget->grab().toImage().convertToFormat(QImage::Format_ARGB32_Premultiplied);
        ok = save(image, out.filePath(u"%1-%2.png"_s.arg(s.name, view))) && ok;
    }
    toasts->clear();
    window.hide();
    return ok;
}

// Everything that changes pixels from outside: fixed before QApplication reads it.
void pinEnvironment()
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("QT_SCALE_FACTOR", "1");
    qputenv("QT_FONT_DPI", "96");
    qputenv("QT_ENABLE_HIGHDPI_SCALING", "0");
    qunsetenv("QT_SCREEN_SCALE_FACTORS");
    qunsetenv("QT_AUTO_SCREEN_SCALE_FACTOR");
    qunsetenv("QT_QPA_PLATFORMTHEME");
    qunsetenv("QT_STYLE_OVERRIDE");
    // Chromium refuses to run as root with its sandbox; the runner only loads its own page
    // from 127.0.0.1.
    if (!qEnvironmentVariableIsSet("QTWEBENGINE_DISABLE_SANDBOX"))
        qputenv("QTWEBENGINE_DISABLE_SANDBOX", "1");
    qputenv("TZ", "UTC");
    ::tzset();
}
} // namespace

QStringList ScreenshotRunner::viewNames()
{
    return ScenarioFile::viewNames();
}

int ScreenshotRunner::main(int &argc, char **argv, PageServerFactory pageServer)
{
    pinEnvironment();
    QCoreApplication::setApplicationName(u"headway"_s);
    QCoreApplication::setOrganizationName(u"Headway"_s);
    // The user's settings must not leak in: they live in a throw-away directory.
    QTemporaryDir settingsDir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    QSettings::setPath(QSettings::NativeFormat, QSettings::SystemScope, settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::SystemScope, settingsDir.path());

    // The page view runs Qt WebEngine, which needs shared GL contexts set before the
    // application exists.
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    installTranslations(); // the English plural forms, as in the app
    QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
    // Icons come from the style, never from the installed icon theme.
    QIcon::setThemeSearchPaths({});
    QIcon::setFallbackSearchPaths({});
    QIcon::setThemeName(u"headway-none"_s);
    AnimationPolicy::setEnabled(false);
    // The fonts of fonts-dejavu-core (always installed with Qt), by file so fontconfig's
    // aliases cannot substitute another family.
    for (const char *file : { "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf" })
        QFontDatabase::addApplicationFont(u"/usr/share/fonts/truetype/dejavu/"_s
                                          + QLatin1String(file));
    // The system's fixed-width font is fontconfig's "monospace": whichever mono font was
    // installed last (fonts-noto-mono, pulled in by ImageMagick, changed every detail pane).
    // Resolve the generic families to the DejaVu files instead.
    QFont::insertSubstitution(u"monospace"_s, u"DejaVu Sans Mono"_s);
    QFont::insertSubstitution(u"sans-serif"_s, u"DejaVu Sans"_s);

    QStringList args = QCoreApplication::arguments();
    if (args.size() > 1)
        args.removeAt(1); // "screenshot"
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Render deterministic screenshots of the window from scenario files."));
    parser.addHelpOption();
    const QCommandLineOption scenarioOption(
        u"scenario"_s, tr("Render the scenario in <file.json> (may be repeated)."), u"file.json"_s);
    const QCommandLineOption outOption(u"out"_s, tr("Write the PNGs to <dir>."), u"dir"_s);
    parser.addOptions({ scenarioOption, outOption });
    parser.addPositionalArgument(u"scenarios"_s, tr("More scenario files."), u"[file.json...]"_s);
    if (!parser.parse(args)) {
        printError(parser.errorText());
        return 2;
    }
    if (parser.isSet(u"help"_s)) {
        // The parser names the program only; the subcommand belongs in the usage line.
        QString help = parser.helpText();
        const qsizetype firstLineEnd = help.indexOf(u'\n');
        help.replace(0, firstLineEnd,
                     tr("Usage: headway screenshot --scenario FILE.json [...] --out DIR"));
        QTextStream(stdout) << help;
        return 0;
    }
    const QStringList files = parser.values(scenarioOption) + parser.positionalArguments();
    if (files.isEmpty() || !parser.isSet(outOption)) {
        printError(tr("usage: headway screenshot --scenario FILE.json [...] --out DIR"));
        return 2;
    }
    if (!QFontDatabase::families().contains(u"DejaVu Sans"_s))
        printError(tr("warning: the DejaVu Sans font is missing (install fonts-dejavu-core): "
                      "screenshots will not match the references."));

    QList<Scenario> scenarios;
    for (const QString &file : files) {
        QString error;
        const std::optional<Scenario> s = readScenario(file, &error);
        if (!s) {
            printError(error);
            return 2;
        }
        if (!QFontDatabase::families().contains(s->fontFamily)) {
            printError(tr("%1: no font family \"%2\" is installed.").arg(file, s->fontFamily));
            return 2;
        }
        scenarios.append(*s);
    }
    const QDir out(parser.value(outOption));
    if (!QDir().mkpath(out.absolutePath())) {
        printError(tr("cannot create %1.").arg(out.absolutePath()));
        return 1;
    }
    bool ok = true;
    for (const Scenario &s : std::as_const(scenarios))
        ok = render(s, out, pageServer) && ok;
    return ok ? 0 : 1;
}
