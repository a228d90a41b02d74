#include "app/core/uploadstore.h"

#include "app/core/exclusivefile.h"
#include "app/core/privatedir.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStorageInfo>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 MaxStateSize = 1024 * 1024; // a state file is a few hundred bytes

const QRegularExpression &uuidPattern()
{
    static const QRegularExpression re(
        u"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"_s);
    return re;
}

// "<uuid>.part" or "<uuid>.json": the id, or empty.
QString idOf(const QString &name, QStringView suffix)
{
    if (!name.endsWith(suffix))
        return {};
    const QString id = name.chopped(suffix.size());
    return UploadStore::isUploadId(id) ? id : QString();
}

UploadError ioError(const QString &message)
{
    return { UploadError::Kind::Io, message };
}

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}
} // namespace

UploadStore::UploadStore(QString folder) : m_folder(std::move(folder)) { }

bool UploadStore::prepare(QString *error) const
{
    return PrivateDir::prepare(m_folder, error);
}

qint64 UploadStore::freeSpace() const
{
    if (m_freeSpace)
        return m_freeSpace();
    const QStorageInfo storage(m_folder);
    return storage.isValid() ? storage.bytesAvailable() : -1;
}

bool UploadStore::isUploadId(const QString &id)
{
    return uuidPattern().match(id).hasMatch();
}

QString UploadStore::partPath(const QString &id) const
{
    return QDir(m_folder).filePath(id + u".part"_s);
}

QString UploadStore::statePath(const QString &id) const
{
    return QDir(m_folder).filePath(id + u".json"_s);
}

UploadError UploadStore::createPart(const QString &id, qint64 length) const
{
    const qint64 space = freeSpace();
    if (space >= 0 && length > space)
        return { UploadError::Kind::DiskFull,
                 tr("There is not enough free disk space for this file (%1 free).")
                     .arg(QLocale::c().formattedDataSize(space)) };
    QString reason;
    if (!isUploadId(id))
        reason = tr("%1 is not an upload id.").arg(id);
    else if (prepare(&reason) && PrivateDir::createFile(partPath(id), &reason))
        return {};
    return ioError(tr("Cannot create the upload file: %1").arg(reason));
}

UploadError UploadStore::writeAt(const QString &id, qint64 offset, const QByteArray &chunk) const
{
    const qint64 space = freeSpace();
    bool diskFull = space >= 0 && chunk.size() > space;
    QString problem;
    if (!diskFull) {
        QFile part(partPath(id));
        if (!part.open(QIODevice::ReadWrite) || !part.seek(offset)) {
            problem = part.errorString();
        } else {
            errno = 0;
            const qint64 written = part.write(chunk);
            const bool flushed = part.flush();
            diskFull = (written != chunk.size() || !flushed) && errno == ENOSPC;
            if (written != chunk.size() || !flushed)
                problem = part.errorString();
        }
    }
    if (diskFull)
        return { UploadError::Kind::DiskFull,
                 tr("The disk is full: the upload was stopped and its partial file removed.") };
    if (!problem.isEmpty())
        return ioError(tr("Cannot write the upload: %1").arg(problem));
    return {};
}

qint64 UploadStore::partSize(const QString &id) const
{
    const QFileInfo info(partPath(id));
    return info.isFile() && !info.isSymLink() ? info.size() : -1;
}

bool UploadStore::saveState(const QString &id, const QJsonObject &state, QString *error) const
{
    QJsonObject saved = state;
    saved.insert(u"version"_s, StateVersion);
    saved.insert(u"id"_s, id);
    QSaveFile file(statePath(id));
    if (!file.open(QIODevice::WriteOnly)
        || !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || file.write(QJsonDocument(saved).toJson()) < 0 || !file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

std::optional<QJsonObject> UploadStore::loadState(const QString &id, QString *error) const
{
    QFile file(statePath(id));
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return std::nullopt;
    }
    if (file.size() > MaxStateSize) {
        *error = u"the state file is too large"_s;
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = u"the state file is not a JSON object (%1)"_s.arg(parseError.errorString());
        return std::nullopt;
    }
    const QJsonObject state = doc.object();
    if (state.value(u"version"_s).toInt() != StateVersion
        || state.value(u"id"_s).toString() != id) {
        *error = u"the state file has a wrong version or id"_s;
        return std::nullopt;
    }
    return state;
}

QStringList UploadStore::savedIds() const
{
    QStringList ids;
    const QStringList names
        = QDir(m_folder).entryList({ u"*.json"_s }, QDir::Files | QDir::Hidden, QDir::Name);
    for (const QString &name : names) {
        if (const QString id = idOf(name, u".json"); !id.isEmpty())
            ids.append(id);
    }
    return ids;
}

QStringList UploadStore::unsavedParts() const
{
    QStringList ids;
    const QDir dir(m_folder);
    const QStringList names
        = dir.entryList({ u"*.part"_s }, QDir::Files | QDir::Hidden, QDir::Name);
    for (const QString &name : names) {
        const QString id = idOf(name, u".part");
        if (!id.isEmpty() && !ExclusiveFile::entryExists(statePath(id)))
            ids.append(id);
    }
    return ids;
}

void UploadStore::remove(const QString &id) const
{
    if (!isUploadId(id))
        return;
    QFile::remove(partPath(id));
    QFile::remove(statePath(id));
}

QString UploadStore::sanitizeFilename(const QString &name)
{
    QString base = name;
    // Only the last component of any path, whichever separator the client's system uses.
    const qsizetype cut = std::max(base.lastIndexOf(u'/'), base.lastIndexOf(u'\\'));
    if (cut >= 0)
        base = base.mid(cut + 1);
    QString clean;
    clean.reserve(base.size());
    for (const QChar c : std::as_const(base)) {
        const char16_t u = c.unicode();
        if (u < 0x20 || u == 0x7f || (u >= 0x80 && u < 0xa0) || c.category() == QChar::Other_Format)
            continue; // control and invisible formatting characters
        if (u == u':' || u == u'*' || u == u'?' || u == u'"' || u == u'<' || u == u'>' || u == u'|')
            clean.append(u'_');
        else
            clean.append(c);
    }
    while (clean.contains(u".."))
        clean.replace(u".."_s, u"."_s);
    clean = clean.trimmed();
    while (clean.startsWith(u'.'))
        clean.remove(0, 1); // no hidden files, nothing that looks like "." or ".."
    // File systems allow 255 bytes per name; room is left for " (9999)".
    while (clean.toUtf8().size() > 200)
        clean.chop(1);
    if (clean.isEmpty())
        clean = u"upload"_s;
    if (!idOf(clean, u".part").isEmpty() || !idOf(clean, u".json").isEmpty())
        clean.prepend(u"upload-"_s); // never mistaken for a partial file or its state
    return clean;
}

QString UploadStore::numberedName(const QString &name, int n)
{
    if (n <= 0)
        return name;
    // The suffix is everything from the first dot that does not start the name, so
    // "a.tar.gz" keeps ".tar.gz" whole and a hidden ".bashrc" is all stem.
    const qsizetype dot = name.indexOf(u'.', 1);
    const QString stem = dot < 0 ? name : name.left(dot);
    const QString suffix = dot < 0 ? QString() : name.mid(dot);
    return stem + u" ("_s + QString::number(n) + u')' + suffix;
}

std::optional<QString> UploadStore::place(const QString &id, const QString &filename,
                                          UploadError *error) const
{
    const QDir dir(m_folder);
    const QString part = partPath(id);
    int problem = 0;
    for (int n = 0; n <= MaxNumber; ++n) {
        const QString target = dir.filePath(numberedName(filename, n));
        problem = ExclusiveFile::renameNoReplace(part, target);
        if (problem == 0)
            return target;
        if (problem != EEXIST)
            break;
    }
    *error = ioError(
        problem == EEXIST
            ? tr("Cannot move the upload into place: every name from %1 to %2 is "
                 "taken.")
                  .arg(filename, numberedName(filename, MaxNumber))
            : tr("Cannot move the upload into place as %1: %2").arg(filename, errnoText(problem)));
    return std::nullopt;
}

std::optional<QString> UploadStore::reserve(const QString &filename, UploadError *error) const
{
    QString reason;
    if (!prepare(&reason)) {
        *error = ioError(reason);
        return std::nullopt;
    }
    const QDir dir(m_folder);
    int problem = 0;
    for (int n = 0; n <= MaxNumber; ++n) {
        const QString target = dir.filePath(numberedName(filename, n));
        // O_EXCL | O_NOFOLLOW: an existing entry, a dangling link included, is someone else's.
        const int fd = ::open(QFile::encodeName(target).constData(),
                              O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0) {
            ::close(fd);
            return target;
        }
        problem = errno;
        if (problem != EEXIST)
            break;
    }
    *error
        = ioError(problem == EEXIST
                      ? tr("Cannot create a file for %1: every name up to %2 is taken.")
                            .arg(filename, numberedName(filename, MaxNumber))
                      : tr("Cannot create %1 in %2: %3")
                            .arg(filename, QDir::toNativeSeparators(m_folder), errnoText(problem)));
    return std::nullopt;
}
