#pragma once

#include "apiclient.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonObject>
#include <QStringList>

#include <memory>
#include <optional>

// `headway submit|list|show|watch|wait|cancel|pause|resume|retry|remove|open|help`: the
// command-line client of a running Headway. Each subcommand parses its own options, finds
// Headway (Discovery), calls the API and exits with an ExitStatus.
class HeadwayCli final
{
    Q_DECLARE_TR_FUNCTIONS(HeadwayCli)

public:
    // argv[1] is the subcommand; returns the exit status.
    static int main(int argc, char *argv[]);
    static QStringList commands();

private:
    struct Command
    {
        const char *name;
        const char *arguments; // "TYPE", "[ID]..."
        const char *summary;
        int (HeadwayCli::*run)();
    };
    static const QList<Command> &table();

    explicit HeadwayCli(QString command, QStringList arguments);

    // Parses the subcommand's arguments with its options plus the common ones; an exit
    // status when it is done already (--help: 0, a wrong option or count: 2).
    std::optional<int> parse(const QList<QCommandLineOption> &options, int minArgs, int maxArgs);
    // Finds and reaches Headway: an exit status on failure (4).
    std::optional<int> connect();
    int fail(const ApiClient::Answer &answer);
    // A full id from an id or a unique prefix of one (as `list` shows them).
    std::optional<QString> resolveId(const QString &given, int *status);
    std::optional<QList<QString>> resolveIds(const QStringList &given, int *status);
    int follow(const QStringList &ids, bool json, bool quiet);
    QString helpText() const;

    int submit();
    int list();
    int show();
    int watch();
    int wait();
    int cancel() { return action(QStringLiteral("cancel")); }
    int pause() { return action(QStringLiteral("pause")); }
    int resume() { return action(QStringLiteral("resume")); }
    int retry() { return action(QStringLiteral("retry")); }
    int remove() { return action(QStringLiteral("remove")); }
    int action(const QString &name);
    int open();
    int help();

    const QString m_command;
    const QStringList m_arguments;
    QCommandLineParser m_parser;
    const QCommandLineOption m_dataDirOption;
    const QCommandLineOption m_urlOption;
    const QCommandLineOption m_tokenFileOption;
    const QCommandLineOption m_startOption;
    const QCommandLineOption m_jsonOption;
    std::unique_ptr<ApiClient> m_client;
};
