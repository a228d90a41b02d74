#include "discovery.h"

#include "app/core/instancefile.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileSystemWatcher>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Discovery", text);
}
} // namespace

QString Discovery::defaultDataDir()
{
    // The same place `headway` itself uses (organization "Headway", application "headway").
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QString Discovery::resolveDataDir(const QString &fromOption)
{
    if (!fromOption.isEmpty())
        return QDir(fromOption).absolutePath();
    const QString env = qEnvironmentVariable("HEADWAY_DATA_DIR");
    return env.isEmpty() ? defaultDataDir() : QDir(env).absolutePath();
}

bool Discovery::isAnyRunning(const Options &options)
{
    return !options.url.isEmpty() || !qEnvironmentVariableIsEmpty("HEADWAY_URL")
        || InstanceFile::read(resolveDataDir(options.dataDir)).has_value();
}

std::optional<QByteArray> Discovery::readToken(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("Cannot read the token file %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    const QByteArray token = file.read(4096).trimmed();
    if (token.isEmpty()) {
        *error = tr("The token file %1 is empty.").arg(path);
        return std::nullopt;
    }
    return token;
}

std::optional<Endpoint> Discovery::find(const Options &options, QString *error)
{
    const QString url = options.url.isEmpty() ? qEnvironmentVariable("HEADWAY_URL") : options.url;
    const QString dataDir = resolveDataDir(options.dataDir);
    Endpoint endpoint;
    if (!url.isEmpty()) {
        endpoint.url = QUrl(url);
        if (!endpoint.url.isValid()
            || (endpoint.url.scheme() != u"http" && endpoint.url.scheme() != u"https")) {
            *error = tr("%1 is not an http:// address.").arg(url);
            return std::nullopt;
        }
        if (!endpoint.url.path().endsWith(u'/'))
            endpoint.url.setPath(endpoint.url.path() + u'/');
        const QByteArray envToken = qgetenv("HEADWAY_TOKEN").trimmed();
        if (!options.tokenFile.isEmpty()) {
            const auto token = readToken(options.tokenFile, error);
            if (!token)
                return std::nullopt;
            endpoint.token = *token;
        } else if (!envToken.isEmpty()) {
            endpoint.token = envToken;
        } else {
            const auto token = readToken(QDir(dataDir).filePath(u"token"_s), error);
            if (!token) {
                *error += u' ' + tr("Give the token with --token-file FILE or HEADWAY_TOKEN.");
                return std::nullopt;
            }
            endpoint.token = *token;
        }
        return endpoint;
    }

    std::optional<InstanceFile::Info> instance = InstanceFile::read(dataDir);
    if (!instance && options.start) {
        if (!startHeadway(dataDir, error))
            return std::nullopt;
        instance = InstanceFile::read(dataDir);
    }
    if (!instance) {
        *error = tr("No Headway is running for %1: start one with `headway --headless &` (or "
                    "add --start).")
                     .arg(QDir::toNativeSeparators(dataDir));
        return std::nullopt;
    }
    const QString tokenFile
        = options.tokenFile.isEmpty() ? QDir(dataDir).filePath(u"token"_s) : options.tokenFile;
    const auto token = readToken(tokenFile, error);
    if (!token)
        return std::nullopt;
    endpoint.url = instance->url;
    endpoint.token = *token;
    endpoint.dataDir = dataDir;
    return endpoint;
}

bool Discovery::startHeadway(const QString &dataDir, QString *error)
{
    if (!QDir().mkpath(dataDir)) {
        *error = tr("Cannot create the data directory %1.").arg(dataDir);
        return false;
    }
    const QString log = QDir(dataDir).filePath(u"headway.log"_s);
    // Any free port: the instance file tells clients which (8421 may serve another data dir).
    QProcess process;
    process.setProgram(QCoreApplication::applicationFilePath());
    process.setArguments({ u"--headless"_s, u"--data-dir"_s, dataDir, u"--port"_s, u"0"_s });
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(log, QIODevice::Append);
    process.setStandardErrorFile(log, QIODevice::Append);
    qint64 pid = 0;
    if (!process.startDetached(&pid)) {
        *error = tr("Cannot start %1.").arg(process.program());
        return false;
    }
    // Wait for its instance file (written once it serves), or for it to give up.
    QFileSystemWatcher watcher({ dataDir });
    QEventLoop loop;
    QTimer check;
    check.setInterval(100); // also catches an exit, which no watcher reports
    const auto done = [&] {
        if (InstanceFile::read(dataDir) || !InstanceFile::isProcessAlive(pid))
            loop.quit();
    };
    QObject::connect(&watcher, &QFileSystemWatcher::directoryChanged, &loop, done);
    QObject::connect(&check, &QTimer::timeout, &loop, done);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    check.start();
    loop.exec();
    if (InstanceFile::read(dataDir))
        return true;
    *error = tr("Headway did not start; see %1.").arg(log);
    return false;
}
