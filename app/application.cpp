#include "app/application.h"

#include "app/cli/headwaycli.h"
#include "app/cluster/celerydriver.h"
#include "app/cluster/celerytasktype.h"
#include "app/core/duration.h"
#include "app/core/instancefile.h"
#include "app/core/privatedir.h"
#include "app/core/taskengine.h"
#include "app/core/taskstore.h"
#include "app/core/tasktyperegistry.h"
#include "app/core/translations.h"
#include "app/progress/headwayregistration.h"
#include "app/progress/progresscli.h"
#include "app/server/guardedtcpserver.h"
#include "app/server/headwayserver.h"
#include "app/server/reporttasktype.h"
#include "app/server/serverthread.h"
#include "app/server/uploadtasktype.h"

#ifdef HEADWAY_HAVE_UI
#include "ui/mainwindow.h"
#include "ui/progressfrontendwidgets.h"
#include "ui/screenshotrunner.h"
#include "ui/uisettings.h"

#include <QApplication>
#include <QSessionManager>
#endif

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QSocketNotifier>
#include <QStandardPaths>
#include <QTextStream>

#include <csignal>
#include <cstdio>
#include <memory>
#include <string_view>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Application", text);
}

void printError(const QString &message)
{
    QTextStream(stderr) << u"headway: "_s << message << Qt::endl;
}

bool hasDisplay()
{
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY")
        || qEnvironmentVariable("QT_QPA_PLATFORM") == u"offscreen";
}

// SIGTERM/SIGINT end the event loop so the engine interrupts its tasks and the store writes
// them: a signal handler may only write to a pipe, the event loop does the rest. exit(), not
// quit(): Qt 6's quit() first asks every window to close, and a window with running tasks would
// ask the user, so a logout or `systemctl stop` would hang on a dialog.
int g_signalPipe[2] = { -1, -1 };

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_signalPipe[1], &c, 1);
}

// `headway WORD ...`: each word runs instead of Headway itself. One row per word; a word that
// is not here and does not start with "-" is refused (exit 2), never taken for a server start.
using SubcommandMain = int (*)(int argc, char *argv[]);

// `headway progress` / `headway run`: their windows when there is a display, else the terminal.
int progressMain(int argc, char *argv[])
{
    // Shown in a running Headway too, unless --no-register (ProgressCli decides).
    HeadwayRegistration registration;
#ifdef HEADWAY_HAVE_UI
    ProgressFrontendWidgets windows;
    return ProgressCli::main(argc, argv, hasDisplay() ? &windows : nullptr, &registration);
#else
    return ProgressCli::main(argc, argv, nullptr, &registration);
#endif
}

struct Subcommand
{
    std::string_view word;
    SubcommandMain main;
};
const Subcommand kSubcommands[] = {
    { "submit", &HeadwayCli::main }, { "list", &HeadwayCli::main },
    { "show", &HeadwayCli::main },   { "watch", &HeadwayCli::main },
    { "wait", &HeadwayCli::main },   { "cancel", &HeadwayCli::main },
    { "pause", &HeadwayCli::main },  { "resume", &HeadwayCli::main },
    { "retry", &HeadwayCli::main },  { "remove", &HeadwayCli::main },
    { "open", &HeadwayCli::main },   { "help", &HeadwayCli::main },
    { "progress", &progressMain },   { "run", &progressMain },
};

void quitOnSignals(QObject *context)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, context);
    QObject::connect(notifier, &QSocketNotifier::activated, context, [] {
        char c = 0;
        [[maybe_unused]] const auto n = ::read(g_signalPipe[0], &c, 1);
        QCoreApplication::exit(0);
    });
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
}
} // namespace

int Application::run(int argc, char *argv[])
{
#ifdef HEADWAY_HAVE_UI
    // `headway screenshot ...` pins platform, DPI and fonts before it creates its own QApplication.
    // Its "page" view gets a server on any free port whose feeds show the scenario's tasks (ui/
    // never sees app/server); no data dir: a token for this run only, nothing written.
    if (argc > 1 && QByteArrayView(argv[1]) == "screenshot") {
        return ScreenshotRunner::main(
            argc, argv, [](TaskEngine &engine, TaskSource &shown, QString *error) {
                ServerOptions options;
                options.port = 0;
                options.feed = &shown;
                auto server = std::make_unique<HeadwayServer>(engine, options);
                std::optional<ScreenshotRunner::PageServer> page;
                if (server->listen(error))
                    page = ScreenshotRunner::PageServer { server->pageUrl(false), server->token(),
                                                          std::move(server) };
                return page;
            });
    }
#endif
    if (argc > 1 && argv[1][0] != '-') {
        for (const Subcommand &sub : kSubcommands) {
            if (sub.word == argv[1])
                return sub.main(argc, argv);
        }
        QTextStream(stderr) << u"headway: "_s
                            << QCoreApplication::translate(
                                   "Application",
                                   "Unknown command \"%1\": see `headway help` for the "
                                   "subcommands, `headway --help` for the options.")
                                   .arg(QString::fromLocal8Bit(argv[1]))
                            << Qt::endl;
        return 2;
    }
    // The window needs a QApplication, headless a QCoreApplication: look before creating either.
    bool wantGui = true;
    for (int i = 1; i < argc; ++i) {
        const QByteArrayView arg(argv[i]);
        if (arg == "--headless" || arg == "--version" || arg == "-v" || arg == "--help"
            || arg == "-h")
            wantGui = false;
    }
    QCoreApplication::setApplicationName(u"headway"_s);
    QCoreApplication::setOrganizationName(u"Headway"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(HEADWAY_VERSION));

    std::unique_ptr<QCoreApplication> app;
#ifdef HEADWAY_HAVE_UI
    const bool gui = wantGui && hasDisplay();
    if (gui) {
        QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
        auto *guiApp = new QApplication(argc, argv);
        guiApp->setQuitOnLastWindowClosed(false); // close-to-tray; quitting is explicit
        QGuiApplication::setDesktopFileName(u"io.github.headway.Headway"_s);
        app.reset(guiApp);
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
#else
    const bool gui = false;
    app = std::make_unique<QCoreApplication>(argc, argv);
#endif
    if (!installTranslations())
        qWarning("Headway: the bundled translations could not be loaded");

    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Headway runs long tasks and shows their progress: in a window, in any browser, to "
           "scripts.\n"
           "headway SUBCOMMAND talks to a running Headway: submit, list, show, watch, wait, "
           "cancel, pause, resume, retry, remove, open (see headway help).\n"
           "headway progress [OPTIONS] [-- COMMAND] and headway run MANIFEST.json show a "
           "script's progress (see their --help).\n"
           "headway screenshot --scenario FILE.json --out DIR renders deterministic screenshots."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption headlessOption(
        u"headless"_s, tr("Run the engine and the web server without a window."));
    const QCommandLineOption portOption(
        u"port"_s, tr("Serve on <port> (default 8421; 0 = any free port)."), u"port"_s);
    const QCommandLineOption listenOption(
        u"listen"_s, tr("Listen on <address> (default 127.0.0.1; ::1 is served too)."),
        u"address"_s, u"127.0.0.1"_s);
    const QCommandLineOption dataDirOption(
        u"data-dir"_s, tr("Keep the task store, token and uploads in <dir>."), u"dir"_s);
    const QCommandLineOption rotateOption(u"rotate-token"_s,
                                          tr("Replace the access token with a new random one."));
    const QCommandLineOption concurrencyOption(
        u"concurrency"_s, tr("Run at most <n> tasks at once (default: the number of cores)."),
        u"n"_s);
    const QCommandLineOption celeryOption(
        u"celery"_s,
        tr("Run \"celery\" tasks on the Celery cluster at <url> (redis://HOST:PORT/DB)."),
        u"url"_s);
    const QCommandLineOption uploadExpiryOption(
        u"upload-expiry"_s,
        tr("Remove unfinished uploads after <duration> without data, such as 90m, 24h (the "
           "default) or 7d."),
        u"duration"_s);
    parser.addOptions({ headlessOption, portOption, listenOption, dataDirOption, rotateOption,
                        concurrencyOption, celeryOption, uploadExpiryOption });
    // A mistyped option must not start a Headway (exit 2, as for the subcommands).
    if (!parser.parse(app->arguments())) {
        printError(parser.errorText() + u' ' + tr("See headway --help."));
        return 2;
    }
    parser.process(*app); // --help, --help-all, --version (the arguments are known good now)
    if (!parser.positionalArguments().isEmpty()) {
        printError(tr("Unexpected argument \"%1\". See headway --help.")
                       .arg(parser.positionalArguments().first()));
        return 2;
    }

    // --- options ---
    const QString dataDir = parser.isSet(dataDirOption)
        ? QDir(parser.value(dataDirOption)).absolutePath()
        : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    int concurrency = 0;
    quint16 port = 8421;
    bool portFromUser = false;
#ifdef HEADWAY_HAVE_UI
    if (gui) {
        UiSettings settings;
        concurrency = settings.concurrency();
        if (settings.port() > 0) {
            port = quint16(settings.port());
            portFromUser = true;
        }
    }
#endif
    if (parser.isSet(concurrencyOption)) {
        bool ok = false;
        concurrency = parser.value(concurrencyOption).toInt(&ok);
        if (!ok || concurrency < 1) {
            printError(tr("--concurrency needs a whole number of at least 1."));
            return 2;
        }
    }
    if (parser.isSet(portOption)) {
        bool ok = false;
        const uint p = parser.value(portOption).toUInt(&ok);
        if (!ok || p > 65535) {
            printError(tr("--port needs a number from 0 to 65535."));
            return 2;
        }
        port = quint16(p);
        portFromUser = true;
    }
    std::chrono::milliseconds uploadExpiry = std::chrono::hours(24);
    if (parser.isSet(uploadExpiryOption)) {
        const std::optional<std::chrono::milliseconds> expiry
            = parseDuration(parser.value(uploadExpiryOption));
        if (!expiry || *expiry < std::chrono::minutes(1)) {
            printError(tr("--upload-expiry needs a duration of at least one minute, such as 90m, "
                          "24h or 7d (a number alone counts hours)."));
            return 2;
        }
        uploadExpiry = *expiry;
    }
    const QHostAddress address(parser.value(listenOption));
    if (address.isNull()) {
        printError(tr("--listen needs an IP address, such as 127.0.0.1 or ::1."));
        return 2;
    }
    // Many clients must not run the server out of descriptors (Qt keeps the soft limit).
    GuardedTcpServer::raiseDescriptorLimit();

    // Refuse someone else's data dir before anything in it is read (issue 15, W1).
    QString error;
    if (!PrivateDir::prepare(dataDir, &error)) {
        printError(error);
        return 1;
    }

    QString celeryUrl = parser.value(celeryOption);
#ifdef HEADWAY_HAVE_UI
    if (gui && celeryUrl.isEmpty())
        celeryUrl = UiSettings().celeryUrl();
#endif

    TaskTypeRegistry registry;
    registerBuiltinTaskTypes(registry);
    // Celery is offered (page, window, API) only with a broker to send its tasks to: without
    // one a submitted task could only wait forever (issue 14, item 16).
    if (!celeryUrl.isEmpty())
        registerCeleryTaskType(registry);
    registerUploadTaskType(registry);
    registerReportTaskType(registry);

    // --- engine and store ---
    TaskStore store;
    if (!store.open(QDir(dataDir).filePath(u"tasks.sqlite"_s), &error)) {
        printError(error);
        return 1;
    }
    EngineOptions engineOptions;
    engineOptions.concurrency = concurrency;
    engineOptions.dataDir = dataDir;
    TaskEngine engine(registry, engineOptions);
    // The store has the history already: it is told only what restore() changed, not handed
    // every task back to rewrite (10,000 stored tasks were 10,000 writes at each start).
    const TaskEvents restored = engine.restore(store.loadAll());
    engine.addTracker(&store, 1, false);
    store.tasksChanged(restored);

    CeleryDriver celery(engine);
    if (!celeryUrl.isEmpty() && !celery.start(QUrl(celeryUrl), &error)) {
        printError(error);
        return 2;
    }

    // --- server ---
    ServerOptions serverOptions;
    serverOptions.address = address;
    serverOptions.port = port;
    serverOptions.dataDir = dataDir;
    serverOptions.rotateToken = parser.isSet(rotateOption);
    serverOptions.uploadExpiry = uploadExpiry;
    // On a thread of its own: the window's frames never wait for a request (README,
    // Architecture).
    auto server = std::make_unique<ServerThread>(engine, serverOptions);
    if (!server->start(&error)) {
        if (portFromUser || !gui) {
            printError(error);
            return 1;
        }
        // The window still works when the default port is taken: serve on any free port.
        serverOptions.port = 0;
        server.reset(); // one server (and upload manager) per data dir at a time
        server = std::make_unique<ServerThread>(engine, serverOptions);
        if (!server->start(&error)) {
            printError(error);
            return 1;
        }
    }
    // Called by GET /api/v1/workers, which runs on the engine's (this) thread like Celery.
    server->withServer([&celery](HeadwayServer &s) {
        s.setWorkersProvider([&celery] {
            QJsonArray list;
            for (const CeleryWorker &w : celery.workers())
                list.append(w.toJson());
            return list;
        });
    });
    QTextStream(stdout) << tr("Headway is serving at %1").arg(server->pageUrl().toString())
                        << Qt::endl;
    // `headway list` and other clients find this Headway through its data dir.
    const InstanceFile::Info instance { server->pageUrl(false), QCoreApplication::applicationPid(),
                                        QCoreApplication::applicationVersion(),
                                        QDateTime::currentDateTimeUtc() };
    if (!InstanceFile::write(dataDir, instance, &error))
        printError(error);

    quitOnSignals(app.get());

#ifdef HEADWAY_HAVE_UI
    std::unique_ptr<MainWindow> window;
    if (gui) {
        window = std::make_unique<MainWindow>(engine);
        QObject::connect(window.get(), &MainWindow::quitRequested, app.get(),
                         [] { QCoreApplication::quit(); });
        // The session manager's quit is like SIGTERM: no question, tasks interrupted.
        QObject::connect(qApp, &QGuiApplication::commitDataRequest, window.get(),
                         [w = window.get()](QSessionManager &) { w->endSession(); });
        window->setWebPage(server->pageUrl(false), server->token());
        window->setBrowserUrl(server->pageUrl(true));
        window->setUploadDir(QDir(dataDir).filePath(u"uploads"_s)); // where UploadDriver saves too
        window->show();
        window->offerInterruptedTasks();
    } else if (wantGui) {
        QTextStream(stdout) << tr(
            "No display found: running headless (engine and web server only).")
                            << Qt::endl;
    }
#endif

    const int rc = app->exec();
    InstanceFile::removeOwn(dataDir);
    server->stop(); // before the engine ends: requests still waiting for it get 503
    // Running tasks become interrupted and the store writes that before the process ends.
    engine.shutdown();
    store.close();
    return rc;
}
