#include "headwaycli.h"

#include "app/core/translations.h"
#include "discovery.h"
#include "exitstatus.h"
#include "tasktext.h"
#include "taskwatch.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTextStream>
#include <QUrlQuery>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {
void out(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

void err(const QString &text)
{
    QTextStream(stderr) << u"headway: "_s << text << Qt::endl;
}

QString json(const QJsonValue &value, QJsonDocument::JsonFormat format = QJsonDocument::Indented)
{
    const QJsonDocument doc
        = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    QString text = QString::fromUtf8(doc.toJson(format));
    if (!text.endsWith(u'\n'))
        text += u'\n';
    return text;
}

// A --param value as the type's schema wants it: numbers, booleans, JSON for lists and objects,
// absolute paths for files and folders. Empty with *error set when it does not fit.
std::optional<QJsonValue> typedValue(const QString &key, const QString &text,
                                     const QJsonObject &schema, QString *error)
{
    const QString type = schema.value(u"type"_s).toString();
    const auto bad = [&](const QString &what) {
        *error = HeadwayCli::tr("--param %1=%2: %3").arg(key, text, what);
        return std::nullopt;
    };
    if (type == u"integer") {
        bool ok = false;
        const qlonglong n = text.toLongLong(&ok);
        if (!ok)
            return bad(HeadwayCli::tr("must be a whole number."));
        return QJsonValue(n);
    }
    if (type == u"number") {
        bool ok = false;
        const double d = text.toDouble(&ok);
        if (!ok)
            return bad(HeadwayCli::tr("must be a number."));
        return QJsonValue(d);
    }
    if (type == u"boolean") {
        const QString t = text.toLower();
        if (t == u"true" || t == u"yes" || t == u"1" || t == u"on")
            return QJsonValue(true);
        if (t == u"false" || t == u"no" || t == u"0" || t == u"off")
            return QJsonValue(false);
        return bad(HeadwayCli::tr("must be true or false."));
    }
    if (type == u"array" || type == u"object") {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &parseError);
        if (parseError.error == QJsonParseError::NoError && type == u"array" && doc.isArray())
            return QJsonValue(doc.array());
        if (parseError.error == QJsonParseError::NoError && type == u"object" && doc.isObject())
            return QJsonValue(doc.object());
        if (type == u"array") // a comma-separated list of words
            return QJsonValue(QJsonArray::fromStringList(text.split(u',', Qt::SkipEmptyParts)));
        return bad(HeadwayCli::tr("must be a JSON object."));
    }
    const QString format = schema.value(u"format"_s).toString();
    if (format == u"file" || format == u"directory" || format == u"path")
        return QJsonValue(QFileInfo(text).absoluteFilePath());
    return QJsonValue(text);
}
} // namespace

const QList<HeadwayCli::Command> &HeadwayCli::table()
{
    static const QList<Command> commands {
        { "submit", "TYPE",
          QT_TR_NOOP("Queue a task; print its id (--wait: follow it to its end)."),
          &HeadwayCli::submit },
        { "list", "", QT_TR_NOOP("List the tasks."), &HeadwayCli::list },
        { "show", "ID", QT_TR_NOOP("Show one task: state, progress, result or error, output."),
          &HeadwayCli::show },
        { "watch", "[ID]...",
          QT_TR_NOOP("Follow tasks live (all active ones when no id is given)."),
          &HeadwayCli::watch },
        { "wait", "ID...", QT_TR_NOOP("Wait until the tasks end; the exit status tells how."),
          &HeadwayCli::wait },
        { "cancel", "ID...", QT_TR_NOOP("Cancel tasks."), &HeadwayCli::cancel },
        { "pause", "ID...", QT_TR_NOOP("Pause running tasks."), &HeadwayCli::pause },
        { "resume", "ID...", QT_TR_NOOP("Resume paused tasks."), &HeadwayCli::resume },
        { "retry", "ID...", QT_TR_NOOP("Run failed, canceled or interrupted tasks again."),
          &HeadwayCli::retry },
        { "remove", "ID...", QT_TR_NOOP("Remove finished tasks."), &HeadwayCli::remove },
        { "open", "", QT_TR_NOOP("Open Headway's page in the web browser."), &HeadwayCli::open },
        { "help", "[SUBCOMMAND]", QT_TR_NOOP("Show this help, or a subcommand's."),
          &HeadwayCli::help },
    };
    return commands;
}

QStringList HeadwayCli::commands()
{
    QStringList names;
    for (const Command &c : table())
        names.append(QString::fromLatin1(c.name));
    return names;
}

int HeadwayCli::main(int argc, char *argv[])
{
    // The same names as `headway` itself: the default data dir is found from them.
    QCoreApplication::setApplicationName(u"headway"_s);
    QCoreApplication::setOrganizationName(u"Headway"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(HEADWAY_VERSION));
    QCoreApplication app(argc, argv);
    installTranslations();
    const QStringList args = app.arguments();
    if (args.size() < 2)
        return ExitBadArguments;
    HeadwayCli cli(args.at(1), args.mid(2));
    for (const Command &c : table()) {
        if (cli.m_command == QLatin1StringView(c.name))
            return (cli.*c.run)();
    }
    err(tr("Unknown command \"%1\": see `headway help`.").arg(cli.m_command));
    return ExitBadArguments;
}

HeadwayCli::HeadwayCli(QString command, QStringList arguments)
    : m_command(std::move(command)), m_arguments(std::move(arguments)),
      m_dataDirOption(u"data-dir"_s,
                      tr("The Headway that keeps its data in <dir> (default: HEADWAY_DATA_DIR, "
                         "else the usual one)."),
                      u"dir"_s),
      m_urlOption(u"url"_s, tr("The Headway at <url> (default: HEADWAY_URL)."), u"url"_s),
      m_tokenFileOption(u"token-file"_s,
                        tr("Read the access token from <file> (default: HEADWAY_TOKEN, else the "
                           "data dir's token file)."),
                        u"file"_s),
      m_startOption(u"start"_s,
                    tr("Start `headway --headless` in the background when none is running.")),
      m_jsonOption(u"json"_s, tr("Print the API's JSON (JSON lines when following tasks)."))
{
}

std::optional<int> HeadwayCli::parse(const QList<QCommandLineOption> &options, int minArgs,
                                     int maxArgs)
{
    const Command *command = nullptr;
    for (const Command &c : table()) {
        if (m_command == QLatin1StringView(c.name))
            command = &c;
    }
    m_parser.setApplicationDescription(tr(command->summary));
    m_parser.addHelpOption();
    m_parser.addOptions(options);
    if (m_command != u"help")
        m_parser.addOptions({ m_dataDirOption, m_urlOption, m_tokenFileOption, m_startOption });
    if (qstrlen(command->arguments) > 0)
        m_parser.addPositionalArgument(QString::fromLatin1(command->arguments), {},
                                       QString::fromLatin1(command->arguments));
    if (!m_parser.parse(QStringList { u"headway"_s } + m_arguments)) {
        err(m_parser.errorText() + u' ' + tr("See `headway help %1`.").arg(m_command));
        return ExitBadArguments;
    }
    if (m_parser.isSet(u"help"_s)) {
        out(helpText());
        return ExitOk;
    }
    const qsizetype n = m_parser.positionalArguments().size();
    if (n < minArgs || (maxArgs >= 0 && n > maxArgs)) {
        err(n < minArgs ? tr("Missing %1: `headway %2 %3`.")
                              .arg(QString::fromLatin1(command->arguments), m_command,
                                   QString::fromLatin1(command->arguments))
                        : tr("Too many arguments: `headway %1 %2`.")
                              .arg(m_command, QString::fromLatin1(command->arguments)));
        return ExitBadArguments;
    }
    return std::nullopt;
}

QString HeadwayCli::helpText() const
{
    // QCommandLineParser's text, with the subcommand in its usage line (which names argv[0]).
    QString text = m_parser.helpText();
    const qsizetype eol = text.indexOf(u'\n');
    QString usage = u"Usage: headway "_s + m_command + u" [options]"_s;
    for (const Command &c : table()) {
        if (m_command == QLatin1StringView(c.name) && qstrlen(c.arguments) > 0)
            usage += u' ' + QString::fromLatin1(c.arguments);
    }
    return usage + text.mid(eol);
}

std::optional<int> HeadwayCli::connect()
{
    Discovery::Options options;
    options.dataDir = m_parser.value(m_dataDirOption);
    options.url = m_parser.value(m_urlOption);
    options.tokenFile = m_parser.value(m_tokenFileOption);
    options.start = m_parser.isSet(m_startOption);
    QString error;
    const std::optional<Endpoint> endpoint = Discovery::find(options, &error);
    if (!endpoint) {
        err(error);
        return ExitUnreachable;
    }
    m_client = std::make_unique<ApiClient>(*endpoint);
    return std::nullopt;
}

int HeadwayCli::fail(const ApiClient::Answer &answer)
{
    if (answer.status == 0) {
        err(answer.errorMessage());
        return ExitUnreachable;
    }
    if (answer.status == 401) {
        err(tr("Headway at %1 refused the token: %2")
                .arg(m_client->endpoint().url.toString(), answer.errorMessage()));
        return ExitUnreachable;
    }
    err(answer.errorMessage());
    return ExitBadArguments;
}

std::optional<QString> HeadwayCli::resolveId(const QString &given, int *status)
{
    const ApiClient::Answer answer = m_client->call(
        "GET", u"api/v1/tasks/"_s + QString::fromUtf8(QUrl::toPercentEncoding(given)));
    if (answer.status == 200)
        return answer.object().value(u"id"_s).toString();
    if (answer.status != 404) {
        *status = fail(answer);
        return std::nullopt;
    }
    // A prefix, as `list` shows ids.
    const ApiClient::Answer all = m_client->call("GET", u"api/v1/tasks?limit=1000"_s);
    if (all.status != 200) {
        *status = fail(all);
        return std::nullopt;
    }
    QStringList matches;
    for (const QJsonValue &t : all.object().value(u"tasks"_s).toArray()) {
        const QString id = t.toObject().value(u"id"_s).toString();
        if (!given.isEmpty() && id.startsWith(given))
            matches.append(id);
    }
    if (matches.size() == 1)
        return matches.first();
    err(matches.isEmpty()
            ? tr("No task %1.").arg(given)
            : tr("%1 is the start of several task ids: %2.").arg(given, matches.join(u", "_s)));
    *status = ExitBadArguments;
    return std::nullopt;
}

std::optional<QList<QString>> HeadwayCli::resolveIds(const QStringList &given, int *status)
{
    QList<QString> ids;
    for (const QString &g : given) {
        const std::optional<QString> id = resolveId(g, status);
        if (!id)
            return std::nullopt;
        ids.append(*id);
    }
    return ids;
}

int HeadwayCli::follow(const QStringList &ids, bool json, bool quiet)
{
    TaskWatch::Output output = TaskWatch::Output::None;
    if (!quiet)
        output = json                      ? TaskWatch::Output::Json
            : TaskText::stdoutIsTerminal() ? TaskWatch::Output::Bars
                                           : TaskWatch::Output::Lines;
    TaskWatch watch(*m_client, ids, output);
    return watch.run();
}

int HeadwayCli::submit()
{
    const QCommandLineOption titleOption(u"title"_s, tr("The task's title."), u"title"_s);
    const QCommandLineOption priorityOption(
        u"priority"_s, tr("Higher runs first (-1000 to 1000, default 0)."), u"n"_s);
    const QCommandLineOption paramOption(
        u"param"_s, tr("A parameter, typed by the task type's schema (repeat for more)."),
        u"key=value"_s);
    const QCommandLineOption paramsOption(
        u"params"_s, tr("All parameters as a JSON object, or @FILE to read it from a file."),
        u"json"_s);
    const QCommandLineOption waitOption(
        u"wait"_s, tr("Follow the task to its end and exit with its outcome."));
    const QCommandLineOption typesOption(
        u"types"_s, tr("Print the task types this Headway runs, one per line, and exit."));
    if (const auto rc = parse({ titleOption, priorityOption, paramOption, paramsOption, waitOption,
                                m_jsonOption, typesOption },
                              m_arguments.contains(u"--types"_s) ? 0 : 1, 1))
        return *rc;
    if (m_parser.isSet(typesOption)) {
        if (const auto rc = connect())
            return *rc;
        const ApiClient::Answer types = m_client->call("GET", u"api/v1/task-types"_s);
        if (types.status != 200)
            return fail(types);
        for (const QJsonValue &v : types.object().value(u"task_types"_s).toArray())
            out(v.toObject().value(u"name"_s).toString() + u'\n');
        return ExitOk;
    }
    const QString typeName = m_parser.positionalArguments().first();

    // Everything that can be checked here is, before anything is queued.
    QJsonObject params;
    if (m_parser.isSet(paramsOption)) {
        QByteArray text = m_parser.value(paramsOption).toUtf8();
        if (text.startsWith('@')) {
            QFile file(QString::fromUtf8(text.mid(1)));
            if (!file.open(QIODevice::ReadOnly)) {
                err(tr("--params: cannot read %1: %2").arg(file.fileName(), file.errorString()));
                return ExitBadArguments;
            }
            text = file.readAll();
        }
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(text, &parseError);
        if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
            err(tr("--params must be a JSON object: %1")
                    .arg(parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                      : tr("not an object")));
            return ExitBadArguments;
        }
        params = doc.object();
    }
    int priority = 0;
    if (m_parser.isSet(priorityOption)) {
        bool ok = false;
        priority = m_parser.value(priorityOption).toInt(&ok);
        if (!ok) {
            err(tr("--priority must be a whole number."));
            return ExitBadArguments;
        }
    }
    if (const auto rc = connect())
        return *rc;
    const ApiClient::Answer types = m_client->call("GET", u"api/v1/task-types"_s);
    if (types.status != 200)
        return fail(types);
    QJsonObject schema;
    QStringList known;
    for (const QJsonValue &v : types.object().value(u"task_types"_s).toArray()) {
        const QJsonObject t = v.toObject();
        known.append(t.value(u"name"_s).toString());
        if (t.value(u"name"_s).toString() == typeName)
            schema = t.value(u"schema"_s).toObject();
    }
    if (!known.contains(typeName)) {
        err(tr("Unknown task type \"%1\"; this Headway runs: %2.")
                .arg(typeName, known.join(u", "_s)));
        return ExitBadArguments;
    }
    const QJsonObject properties = schema.value(u"properties"_s).toObject();
    for (const QString &pair : m_parser.values(paramOption)) {
        const qsizetype eq = pair.indexOf(u'=');
        if (eq <= 0) {
            err(tr("--param needs KEY=VALUE, not \"%1\".").arg(pair));
            return ExitBadArguments;
        }
        const QString key = pair.left(eq);
        if (!properties.contains(key)) {
            err(tr("\"%1\" tasks have no parameter \"%2\"; they take: %3.")
                    .arg(typeName, key, properties.keys().join(u", "_s)));
            return ExitBadArguments;
        }
        QString error;
        const std::optional<QJsonValue> value
            = typedValue(key, pair.mid(eq + 1), properties.value(key).toObject(), &error);
        if (!value) {
            err(error);
            return ExitBadArguments;
        }
        params.insert(key, *value);
    }
    QJsonObject body { { u"type"_s, typeName }, { u"params"_s, params } };
    if (m_parser.isSet(titleOption))
        body.insert(u"title"_s, m_parser.value(titleOption));
    if (m_parser.isSet(priorityOption))
        body.insert(u"priority"_s, priority);
    const ApiClient::Answer created = m_client->call("POST", u"api/v1/tasks"_s, body);
    if (created.status != 201)
        return fail(created);
    const QJsonObject task = created.object();
    const QString id = task.value(u"id"_s).toString();
    const bool asJson = m_parser.isSet(m_jsonOption);
    if (!m_parser.isSet(waitOption)) {
        out(asJson ? json(task) : id + u'\n');
        return ExitOk;
    }
    if (asJson)
        out(json(task, QJsonDocument::Compact));
    return follow({ id }, asJson, false);
}

int HeadwayCli::list()
{
    const QCommandLineOption stateOption(
        u"state"_s,
        tr("Only tasks in <state>: queued, running, paused, retrying, succeeded, failed, "
           "canceled, interrupted, or the groups active and finished (comma-separated)."),
        u"state"_s);
    const QCommandLineOption typeOption(u"type"_s, tr("Only tasks of <type> (comma-separated)."),
                                        u"type"_s);
    if (const auto rc = parse({ stateOption, typeOption, m_jsonOption }, 0, 0))
        return *rc;
    if (const auto rc = connect())
        return *rc;
    QUrlQuery query;
    query.addQueryItem(u"limit"_s, u"1000"_s);
    if (m_parser.isSet(stateOption))
        query.addQueryItem(u"state"_s, m_parser.value(stateOption));
    if (m_parser.isSet(typeOption))
        query.addQueryItem(u"type"_s, m_parser.value(typeOption));
    const ApiClient::Answer answer
        = m_client->call("GET", u"api/v1/tasks?"_s + query.toString(QUrl::FullyEncoded));
    if (answer.status != 200)
        return fail(answer);
    const QJsonArray tasks = answer.object().value(u"tasks"_s).toArray();
    if (m_parser.isSet(m_jsonOption))
        out(json(tasks));
    else if (tasks.isEmpty())
        out(tr("No tasks.") + u'\n');
    else
        out(TaskText::table(tasks, TaskText::stdoutIsTerminal() ? TaskText::terminalWidth() : 200));
    return ExitOk;
}

int HeadwayCli::show()
{
    if (const auto rc = parse({ m_jsonOption }, 1, 1))
        return *rc;
    if (const auto rc = connect())
        return *rc;
    int status = ExitOk;
    const std::optional<QString> id = resolveId(m_parser.positionalArguments().first(), &status);
    if (!id)
        return status;
    const ApiClient::Answer answer = m_client->call("GET", u"api/v1/tasks/"_s + *id);
    if (answer.status != 200)
        return fail(answer);
    out(m_parser.isSet(m_jsonOption) ? json(answer.object()) : TaskText::details(answer.object()));
    return ExitOk;
}

int HeadwayCli::watch()
{
    if (const auto rc = parse({ m_jsonOption }, 0, -1))
        return *rc;
    if (const auto rc = connect())
        return *rc;
    int status = ExitOk;
    const auto ids = resolveIds(m_parser.positionalArguments(), &status);
    if (!ids)
        return status;
    return follow(*ids, m_parser.isSet(m_jsonOption), false);
}

int HeadwayCli::wait()
{
    if (const auto rc = parse({}, 1, -1))
        return *rc;
    if (const auto rc = connect())
        return *rc;
    int status = ExitOk;
    const auto ids = resolveIds(m_parser.positionalArguments(), &status);
    if (!ids)
        return status;
    return follow(*ids, false, true);
}

int HeadwayCli::action(const QString &name)
{
    if (const auto rc = parse({ m_jsonOption }, 1, -1))
        return *rc;
    if (const auto rc = connect())
        return *rc;
    int status = ExitOk;
    for (const QString &given : m_parser.positionalArguments()) {
        int idStatus = ExitOk;
        const std::optional<QString> id = resolveId(given, &idStatus);
        if (!id) {
            status = std::max(status, idStatus);
            continue;
        }
        const ApiClient::Answer task = m_client->call("GET", u"api/v1/tasks/"_s + *id);
        const QString title = task.object().value(u"title"_s).toString();
        const ApiClient::Answer answer = name == u"remove"
            ? m_client->call("DELETE", u"api/v1/tasks/"_s + *id)
            : m_client->call("POST", u"api/v1/tasks/"_s + *id + u'/' + name, QJsonObject());
        if (answer.status == 200 || answer.status == 204) {
            if (m_parser.isSet(m_jsonOption) && answer.status == 200)
                out(json(answer.object(), QJsonDocument::Compact));
            else if (!m_parser.isSet(m_jsonOption))
                out(tr("%1 %2 (%3): %4.")
                        .arg(name == u"remove" ? tr("Removed") : tr("Asked to %1").arg(name), title,
                             TaskText::shortId(*id),
                             name == u"remove" ? tr("gone")
                                               : answer.object().value(u"state"_s).toString())
                    + u'\n');
            continue;
        }
        if (answer.status == 409) {
            // The API says why ("Cannot pause a task that is succeeded."); add what is allowed.
            QStringList allowed;
            for (const QJsonValue &a : task.object().value(u"actions"_s).toArray())
                allowed.append(a.toString());
            err(tr("%1 (%2): %3 %4")
                    .arg(title, TaskText::shortId(*id), answer.errorMessage(),
                         allowed.isEmpty() ? tr("Nothing can be done with it now.")
                                           : tr("It allows: %1.").arg(allowed.join(u", "_s))));
            status = std::max<int>(status, ExitBadArguments);
            continue;
        }
        status = std::max(status, fail(answer));
    }
    return status;
}

int HeadwayCli::open()
{
    if (const auto rc = parse({}, 0, 0))
        return *rc;
    if (const auto rc = connect())
        return *rc;
    // A one-time link: the browser's command line (seen by every local user) and its history
    // never hold the token; the page trades the link for a session cookie.
    const ApiClient::Answer link = m_client->call("POST", u"api/v1/login-links"_s);
    if (link.status != 201)
        return fail(link);
    const QUrl url(link.object().value(u"url"_s).toString());
    const QString browser = qEnvironmentVariable("BROWSER");
    const QString program = browser.isEmpty() ? u"xdg-open"_s : browser;
    if (!QProcess::startDetached(program, { url.toString() })) {
        err(tr("Cannot start %1; open this address yourself: %2").arg(program, url.toString()));
        return ExitUnreachable;
    }
    return ExitOk;
}

int HeadwayCli::help()
{
    if (const auto rc = parse({}, 0, 1))
        return *rc;
    const QStringList args = m_parser.positionalArguments();
    if (!args.isEmpty()) {
        for (const Command &c : table()) {
            if (args.first() == QLatin1StringView(c.name)) {
                HeadwayCli sub(args.first(), { u"--help"_s });
                return (sub.*c.run)();
            }
        }
        err(tr("Unknown command \"%1\": see `headway help`.").arg(args.first()));
        return ExitBadArguments;
    }
    QString text = tr("Usage: headway [--headless] [options]   run Headway (see headway --help)\n"
                      "       headway SUBCOMMAND [options]    talk to a running Headway\n\n"
                      "Subcommands:\n");
    for (const Command &c : table()) {
        const QString head = QString::fromLatin1(c.name) + u' ' + QString::fromLatin1(c.arguments);
        text += u"  "_s + head.leftJustified(22) + tr(c.summary) + u'\n';
    }
    text += tr("\nEach takes --data-dir DIR, --url URL, --token-file FILE and --start to say\n"
               "which Headway; `headway help SUBCOMMAND` tells the rest.\n\n"
               "Exit status:\n"
               "  0  done; the task(s) succeeded\n"
               "  1  a task failed\n"
               "  2  bad arguments: an unknown subcommand, option, id or parameter, or an\n"
               "     action the task does not allow\n"
               "  3  a task was canceled or interrupted\n"
               "  4  no Headway found or reachable, or its token was refused\n");
    out(text);
    return ExitOk;
}
