#include "progresscli.h"

#include "app/core/tasktyperegistry.h"
#include "app/core/translations.h"
#include "app/progress/installersession.h"
#include "app/progress/progressfrontend.h"
#include "app/progress/progressjson.h"
#include "app/progress/progressregistration.h"
#include "app/progress/progresssession.h"
#include "app/progress/signalrelay.h"
#include "app/progress/terminalprogress.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ProgressCli", text);
}

void printError(const QString &command, const QString &message)
{
    QTextStream(stderr) << u"headway "_s << command << u": "_s << message << Qt::endl;
}

QStringList argsAfterSubcommand(int argc, char **argv)
{
    QStringList args;
    for (int i = 2; i < argc; ++i)
        args.append(QString::fromLocal8Bit(argv[i]));
    return args;
}

std::unique_ptr<QCoreApplication> createApplication(int &argc, char **argv,
                                                    ProgressFrontend *frontend)
{
    QCoreApplication::setApplicationName(u"headway"_s);
    QCoreApplication::setOrganizationName(u"Headway"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(HEADWAY_VERSION));
    std::unique_ptr<QCoreApplication> app = frontend
        ? frontend->createApplication(argc, argv)
        : std::make_unique<QCoreApplication>(argc, argv);
    installTranslations();
    return app;
}

const char kRunHelp[] = QT_TRANSLATE_NOOP(
    "ProgressCli",
    "Usage: headway run [--no-register] [--data-dir DIR] MANIFEST.json\n"
    "Runs an installer's steps in a window: {\"title\", \"steps\": [{\"label\", \"type\", "
    "\"params\"}, ...], \"icon\"?, \"finish_text\"?, \"confirm_cancel\"?}; the steps are the "
    "pipeline task's (command, copy, checksum, demo).\n"
    "Exit status: 0 done, 1 a step failed, 2 bad manifest or option, 3 canceled.\n"
    "A running Headway (the one serving --data-dir DIR, HEADWAY_DATA_DIR or the user's) shows "
    "it as an external task, unless --no-register or HEADWAY_NO_REGISTER=1.\n"
    "Without a display: a bar on stderr when it is a terminal, plain lines otherwise.");
} // namespace

int ProgressCli::main(int &argc, char **argv, ProgressFrontend *frontend,
                      ProgressRegistration *registration)
{
    if (QByteArrayView(argv[1]) == "run")
        return run(argc, argv, frontend, registration);
    return progress(argc, argv, frontend, registration);
}

int ProgressCli::progress(int &argc, char **argv, ProgressFrontend *frontend,
                          ProgressRegistration *registration)
{
    const QStringList args = argsAfterSubcommand(argc, argv);
    if (args.value(0) == u"--help" || args.value(0) == u"-h") {
        QTextStream(stdout) << ProgressOptions::helpText() << Qt::endl;
        return 0;
    }
    QString error;
    std::optional<ProgressOptions> options = ProgressOptions::parse(args, &error);
    if (!options) {
        printError(u"progress"_s, error);
        return ProgressSession::kExitBadOption;
    }
    const std::unique_ptr<QCoreApplication> app = createApplication(argc, argv, frontend);
    ProgressSession session(*options);
    if (!session.start(&error)) {
        printError(u"progress"_s, error);
        return ProgressSession::kExitCannotRun;
    }
    std::unique_ptr<QObject> view;
    std::unique_ptr<TerminalProgress> terminal;
    if (frontend) {
        view = frontend->showProgress(session);
        // The window shows the command's stderr in its log; a script's own log keeps it too.
        QObject::connect(&session.input(), &ProgressInput::errorLine, &session,
                         [](const QString &line) { QTextStream(stderr) << line << Qt::endl; });
    } else {
        terminal = std::make_unique<TerminalProgress>(session.model(), stderr, ::isatty(2));
        session.setCloseAtEnd(true);
    }
    std::unique_ptr<ProgressJson> json;
    if (options->json)
        json = std::make_unique<ProgressJson>(session.model(), stdout);
    if (registration && !options->noRegister)
        registration->begin(options->title, options->dataDir, session.model(),
                            [&session] { session.cancel(); });

    SignalRelay signalRelay;
    QObject::connect(&signalRelay, &SignalRelay::received, &session,
                     [&session] { session.cancel(); });
    int status = 0;
    QObject::connect(&session, &ProgressSession::finished, app.get(), [&status](int s) {
        status = s;
        QCoreApplication::exit(s);
    });
    app->exec();
    if (terminal)
        terminal->finish();
    else if (session.model().outcome() == ProgressModel::Outcome::Failed)
        printError(u"progress"_s, session.model().outcomeDetail()); // for the script's log
    if (json)
        json->finish(status);
    if (registration && !options->noRegister)
        registration->end(status);
    return status;
}

int ProgressCli::run(int &argc, char **argv, ProgressFrontend *frontend,
                     ProgressRegistration *registration)
{
    const QStringList args = argsAfterSubcommand(argc, argv);
    if (args.contains(u"--help"_s) || args.contains(u"-h"_s)) {
        QTextStream(stdout) << tr(kRunHelp) << Qt::endl;
        return 0;
    }
    QString manifestPath;
    QString dataDir;
    bool noRegister = false;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        if (arg == u"--no-register") {
            noRegister = true;
        } else if (arg.startsWith(u"--data-dir=")) {
            dataDir = arg.mid(11);
        } else if (arg == u"--data-dir") {
            if (i + 1 == args.size()) {
                printError(u"run"_s, tr("--data-dir needs a value."));
                return InstallerSession::kExitBadManifest;
            }
            dataDir = args.at(++i);
        } else if (arg.startsWith(u"-") || !manifestPath.isEmpty()) {
            printError(u"run"_s,
                       arg.startsWith(u"-") ? tr("unknown option %1.").arg(arg)
                                            : tr("unexpected argument \"%1\".").arg(arg));
            return InstallerSession::kExitBadManifest;
        } else {
            manifestPath = arg;
        }
    }
    if (manifestPath.isEmpty()) {
        printError(u"run"_s, tr("which manifest? Usage: headway run MANIFEST.json"));
        return InstallerSession::kExitBadManifest;
    }
    const std::unique_ptr<QCoreApplication> app = createApplication(argc, argv, frontend);
    TaskTypeRegistry registry;
    registerBuiltinTaskTypes(registry);
    QStringList errors;
    std::optional<InstallerManifest> manifest
        = InstallerManifest::load(manifestPath, registry, &errors);
    if (!manifest) {
        // Every wrong field, before anything runs.
        for (const QString &e : std::as_const(errors))
            printError(u"run"_s, e);
        return InstallerSession::kExitBadManifest;
    }
    InstallerSession session(registry, *manifest);
    std::unique_ptr<QObject> view;
    std::unique_ptr<TerminalProgress> terminal;
    if (frontend) {
        view = frontend->showInstaller(session);
    } else {
        terminal = std::make_unique<TerminalProgress>(session.model(), stderr, ::isatty(2));
        QObject::connect(&session, &InstallerSession::ended, &session,
                         [&session] { session.close(); });
    }
    QString error;
    if (!session.start(&error)) {
        printError(u"run"_s, error);
        return InstallerSession::kExitBadManifest;
    }
    if (registration && !noRegister)
        registration->begin(manifest->title, dataDir, session.model(),
                            [&session] { session.cancel(); });
    SignalRelay signalRelay;
    // A signal cancels and exits once the pipeline has stopped, window or not.
    QObject::connect(&signalRelay, &SignalRelay::received, &session, [&session] {
        QObject::connect(&session, &InstallerSession::ended, &session,
                         [&session] { session.close(); });
        if (session.hasEnded())
            session.close();
        else
            session.cancel();
    });
    int status = 0;
    QObject::connect(&session, &InstallerSession::finished, app.get(), [&status](int s) {
        status = s;
        QCoreApplication::exit(s);
    });
    app->exec();
    if (terminal)
        terminal->finish();
    if (registration && !noRegister)
        registration->end(status);
    return status;
}
