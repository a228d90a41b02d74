#pragma once

#include "apiclient.h"

#include <QString>

#include <optional>

// How a client subcommand finds the Headway to talk to: --url (or HEADWAY_URL) with
// --token-file (or HEADWAY_TOKEN, or the data dir's token file); otherwise the instance file of
// the data dir (--data-dir, HEADWAY_DATA_DIR or the default). With `start`, a Headway is
// started for that data dir when none serves it.
class Discovery final
{
public:
    struct Options
    {
        QString dataDir;
        QString url;
        QString tokenFile;
        bool start = false;
    };

    Discovery() = delete;

    // The endpoint, or nothing with a one-line reason in *error.
    static std::optional<Endpoint> find(const Options &options, QString *error);
    // Whether there is a Headway to find: an address is given, or the data dir's instance file
    // names a live process. A caller that only uses a running Headway then stays quiet.
    static bool isAnyRunning(const Options &options);
    static QString defaultDataDir();
    static QString resolveDataDir(const QString &fromOption);

private:
    // Starts `headway --headless` for dataDir, detached (its log in the data dir), and waits
    // for its instance file.
    static bool startHeadway(const QString &dataDir, QString *error);
    static std::optional<QByteArray> readToken(const QString &path, QString *error);
};
