#pragma once

#include <QDateTime>
#include <QString>
#include <QUrl>

#include <optional>

// <data-dir>/instance.json: how clients (`headway list`, scripts) find the Headway that serves
// a data dir. A serving Headway writes it (mode 0600, atomically) and removes it on a clean
// exit; a file whose process is gone (a crash) is stale, read as absent and replaced.
class InstanceFile final
{
public:
    struct Info
    {
        QUrl url; // http://127.0.0.1:PORT/, no token
        qint64 pid = 0;
        QString version;
        QDateTime started;
    };

    static QString path(const QString &dataDir);
    // False with a readable message.
    static bool write(const QString &dataDir, const Info &info, QString *error);
    // The file's contents when its process still runs; nullopt when missing, damaged or stale.
    static std::optional<Info> read(const QString &dataDir);
    // Removes the file if it names this process (another Headway may have replaced it).
    static void removeOwn(const QString &dataDir);
    static bool isProcessAlive(qint64 pid);
};
