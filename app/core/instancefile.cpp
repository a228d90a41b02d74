#include "instancefile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <cerrno>
#include <csignal>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("InstanceFile", text);
}
} // namespace

QString InstanceFile::path(const QString &dataDir)
{
    return QDir(dataDir).filePath(u"instance.json"_s);
}

bool InstanceFile::write(const QString &dataDir, const Info &info, QString *error)
{
    const QJsonObject json {
        { u"url"_s, info.url.toString() },
        { u"pid"_s, info.pid },
        { u"version"_s, info.version },
        { u"started"_s, info.started.toUTC().toString(Qt::ISODateWithMs) },
    };
    QSaveFile file(path(dataDir));
    // The address is no secret, but the file sits beside the token: keep the same mode.
    if (!file.open(QIODevice::WriteOnly)
        || !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || file.write(QJsonDocument(json).toJson(QJsonDocument::Indented)) < 0 || !file.commit()) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path(dataDir), file.errorString());
        return false;
    }
    return true;
}

std::optional<InstanceFile::Info> InstanceFile::read(const QString &dataDir)
{
    QFile file(path(dataDir));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonObject json = QJsonDocument::fromJson(file.read(64 * 1024)).object();
    Info info;
    info.url = QUrl(json.value(u"url"_s).toString());
    info.pid = json.value(u"pid"_s).toInteger();
    info.version = json.value(u"version"_s).toString();
    info.started = QDateTime::fromString(json.value(u"started"_s).toString(), Qt::ISODateWithMs);
    if (!info.url.isValid() || info.url.scheme() != u"http" || !isProcessAlive(info.pid))
        return std::nullopt;
    return info;
}

void InstanceFile::removeOwn(const QString &dataDir)
{
    QFile file(path(dataDir));
    if (!file.open(QIODevice::ReadOnly))
        return;
    const qint64 pid
        = QJsonDocument::fromJson(file.read(64 * 1024)).object().value(u"pid"_s).toInteger();
    file.close();
    if (pid == QCoreApplication::applicationPid())
        QFile::remove(path(dataDir));
}

bool InstanceFile::isProcessAlive(qint64 pid)
{
    if (pid <= 0)
        return false;
    // Signal 0 only checks: EPERM means it exists but belongs to someone else.
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
}
