#include "copytask.h"

#include "app/core/exclusivefile.h"
#include "app/core/taskcontext.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {
constexpr qsizetype kBlockSize = 1024 * 1024;

QString join(const QString &base, const QString &relative)
{
    if (relative.isEmpty())
        return base;
    return base.isEmpty() ? relative : base + u'/' + relative;
}

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

bool isDenied(int error)
{
    return error == EACCES || error == EPERM || error == EROFS;
}

// A failed write or flush of the part file: disk_full when the file system is full (Qt
// reports ENOSPC as ResourceError), so a client can tell it from other I/O errors.
TaskOutcome writeFailure(const QFile &out, const QString &to)
{
    if (out.error() == QFileDevice::ResourceError || errno == ENOSPC || errno == EDQUOT) {
        return TaskOutcome::failure(
            u"disk_full"_s,
            QCoreApplication::translate("CopyTask", "Disk full: cannot write %1").arg(to),
            { { u"path"_s, to } });
    }
    return TaskOutcome::failure(
        u"io_error"_s,
        QCoreApplication::translate("CopyTask", "Error writing %1: %2").arg(to, out.errorString()),
        { { u"path"_s, to } });
}

// The path with symbolic links resolved even when its last parts do not exist yet.
QString resolvedPath(const QString &path)
{
    QString existing = path;
    QString rest;
    while (!existing.isEmpty() && !QFileInfo::exists(existing)) {
        const qsizetype slash = existing.lastIndexOf(u'/');
        if (slash <= 0)
            return path;
        rest = existing.mid(slash) + rest;
        existing.truncate(slash);
    }
    return QFileInfo(existing).canonicalFilePath() + rest;
}

// The file's mode bits. The "User" flags describe what the current user may do (always
// everything for root) and QFile::setPermissions() ORs them into the owner's bits: drop them.
QFileDevice::Permissions modeOf(const QFileInfo &info)
{
    return info.permissions()
        & ~(QFileDevice::ReadUser | QFileDevice::WriteUser | QFileDevice::ExeUser);
}

bool existsOrIsLink(const QFileInfo &info)
{
    return info.exists() || info.isSymLink();
}

// Removes the temporary file of a copy unless it was renamed into place.
struct PartFileGuard
{
    QString path;
    bool armed = true;
    ~PartFileGuard()
    {
        if (armed)
            QFile::remove(path);
    }
};
} // namespace

CopyTask::CopyTask(QString source, QString destination, bool overwrite)
    : m_source(std::move(source)), m_destination(std::move(destination)), m_overwrite(overwrite)
{
}

QString CopyTask::targetPath(const QString &source, const QString &destination)
{
    const QString src = QDir::cleanPath(QFileInfo(source).absoluteFilePath());
    const QString dst = QDir::cleanPath(QFileInfo(destination).absoluteFilePath());
    if (QFileInfo(dst).isDir())
        return dst == u"/" ? u'/' + QFileInfo(src).fileName()
                           : join(dst, QFileInfo(src).fileName());
    return dst;
}

QString CopyTask::partPath(const QString &target)
{
    const QFileInfo info(target);
    return join(info.path(), u"."_s + info.fileName() + u".headway-part"_s);
}

TaskOutcome CopyTask::canceled() const
{
    return TaskOutcome::failure(u"canceled"_s, tr("Canceled."));
}

TaskOutcome CopyTask::run(TaskContext &context)
{
    const QString source = QDir::cleanPath(QFileInfo(m_source).absoluteFilePath());
    const QFileInfo sourceInfo(source);
    if (!sourceInfo.exists())
        return TaskOutcome::failure(u"not_found"_s, tr("Source not found: %1").arg(source),
                                    { { u"path"_s, source } });
    if (!sourceInfo.isDir() && !sourceInfo.isFile()) {
        return TaskOutcome::failure(u"unsupported_file"_s,
                                    tr("%1 is not a regular file or a directory.").arg(source),
                                    { { u"path"_s, source } });
    }

    const QString target = targetPath(source, m_destination);
    const QFileInfo targetInfo(target);
    const QString resolvedSource = sourceInfo.canonicalFilePath();
    const QString resolvedTarget = resolvedPath(target);
    if (resolvedTarget == resolvedSource) {
        return TaskOutcome::failure(u"invalid_destination"_s,
                                    tr("Cannot copy %1 onto itself.").arg(source),
                                    { { u"path"_s, target } });
    }
    if (sourceInfo.isDir() && resolvedTarget.startsWith(resolvedSource + u'/')) {
        return TaskOutcome::failure(
            u"invalid_destination"_s,
            tr("Cannot copy the directory %1 into itself (%2).").arg(source, target),
            { { u"path"_s, target } });
    }
    if (existsOrIsLink(targetInfo)) {
        if (!m_overwrite) {
            return TaskOutcome::failure(
                u"destination_exists"_s,
                tr("%1 already exists. Set \"overwrite\" to replace it.").arg(target),
                { { u"path"_s, target } });
        }
        if (sourceInfo.isDir() != (targetInfo.isDir() && !targetInfo.isSymLink())) {
            return TaskOutcome::failure(u"destination_exists"_s,
                                        sourceInfo.isDir()
                                            ? tr("%1 exists and is not a directory.").arg(target)
                                            : tr("%1 exists and is a directory.").arg(target),
                                        { { u"path"_s, target } });
        }
    }

    // Scan first: totals for the progress, and unreadable parts found before anything is written.
    context.setMessage(tr("Scanning %1").arg(source));
    QList<Entry> entries;
    if (sourceInfo.isDir()) {
        if (auto failed = scan(context, source, QString(), entries))
            return *failed;
    } else {
        if (!sourceInfo.isReadable()) {
            return TaskOutcome::failure(u"permission_denied"_s,
                                        tr("Permission denied: cannot read %1").arg(source),
                                        { { u"path"_s, source } });
        }
        entries.append({ QString(), Kind::File, sourceInfo.size(), modeOf(sourceInfo) });
    }
    qint64 totalBytes = 0;
    int totalFiles = 0;
    for (const Entry &e : entries) {
        if (e.kind == Kind::File) {
            totalBytes += e.size;
            ++totalFiles;
        }
    }
    context.setTotal(totalBytes, u"bytes"_s);
    context.setProcessed(0);

    const QString parent = QFileInfo(target).path();
    if (!QDir().mkpath(parent)) {
        return TaskOutcome::failure(u"io_error"_s, tr("Cannot create the directory %1").arg(parent),
                                    { { u"path"_s, parent } });
    }

    int files = 0;
    int directories = 0;
    int symlinks = 0;
    for (const Entry &e : entries) {
        if (!context.checkpoint())
            return canceled();
        const QString from = join(source, e.relative);
        const QString to = join(target, e.relative);
        const QFileInfo toInfo(to);
        switch (e.kind) {
        case Kind::Directory:
            if (toInfo.isDir() && !toInfo.isSymLink()) {
                // Merging into an existing directory (overwrite): keep it.
            } else if (existsOrIsLink(toInfo)) {
                return TaskOutcome::failure(u"destination_exists"_s,
                                            tr("%1 exists and is not a directory.").arg(to),
                                            { { u"path"_s, to } });
            } else if (!QDir().mkdir(to)) {
                const int error = errno;
                return TaskOutcome::failure(
                    isDenied(error) ? u"permission_denied"_s : u"io_error"_s,
                    tr("Cannot create the directory %1: %2").arg(to, errnoText(error)),
                    { { u"path"_s, to } });
            }
            ++directories;
            break;
        case Kind::File:
        case Kind::SymLink:
            if (existsOrIsLink(toInfo)) {
                if (!m_overwrite) {
                    return TaskOutcome::failure(
                        u"destination_exists"_s,
                        tr("%1 already exists. Set \"overwrite\" to replace it.").arg(to),
                        { { u"path"_s, to } });
                }
                if (toInfo.isDir() && !toInfo.isSymLink()) {
                    return TaskOutcome::failure(u"destination_exists"_s,
                                                tr("%1 exists and is a directory.").arg(to),
                                                { { u"path"_s, to } });
                }
            }
            if (e.kind == Kind::File) {
                ++files;
                const QString name = e.relative.isEmpty() ? sourceInfo.fileName() : e.relative;
                // "1 of 1 files" says nothing: a single file is just named.
                context.setMessage(
                    totalFiles > 1
                        ? tr("Copying %1 (%2 of %3 files)").arg(name).arg(files).arg(totalFiles)
                        : tr("Copying %1").arg(name));
                if (auto failed = copyFile(context, from, to))
                    return *failed;
            } else {
                if (auto failed = copySymLink(from, to))
                    return *failed;
                ++symlinks;
            }
            break;
        }
    }

    // Directory permissions last, deepest first, so read-only directories could be filled.
    for (auto it = entries.crbegin(); it != entries.crend(); ++it) {
        if (it->kind == Kind::Directory)
            QFile::setPermissions(join(target, it->relative), it->permissions);
    }

    return TaskOutcome::success(QJsonObject {
        { u"files"_s, files },
        { u"directories"_s, directories },
        { u"symlinks"_s, symlinks },
        { u"bytes"_s, context.processed() },
        { u"destination"_s, target },
    });
}

std::optional<TaskOutcome> CopyTask::scan(TaskContext &context, const QString &dir,
                                          const QString &relative, QList<Entry> &entries)
{
    if (!context.checkpoint())
        return canceled();
    const QFileInfo dirInfo(dir);
    // QDir lists an unreadable directory as empty: refuse it instead of copying it half.
    if (!dirInfo.isReadable() || !dirInfo.isExecutable()) {
        return TaskOutcome::failure(u"permission_denied"_s,
                                    tr("Permission denied: cannot read the directory %1").arg(dir),
                                    { { u"path"_s, dir } });
    }
    entries.append({ relative, Kind::Directory, 0, modeOf(dirInfo) });
    const QFileInfoList children = QDir(dir).entryInfoList(
        QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDir::Name);
    for (const QFileInfo &child : children) {
        const QString childRelative = join(relative, child.fileName());
        if (child.isSymLink()) {
            entries.append({ childRelative, Kind::SymLink, 0, {} });
        } else if (child.isDir()) {
            if (auto failed = scan(context, child.filePath(), childRelative, entries))
                return failed;
        } else if (child.isFile()) {
            if (!child.isReadable()) {
                return TaskOutcome::failure(
                    u"permission_denied"_s,
                    tr("Permission denied: cannot read %1").arg(child.filePath()),
                    { { u"path"_s, child.filePath() } });
            }
            entries.append({ childRelative, Kind::File, child.size(), modeOf(child) });
        } else {
            return TaskOutcome::failure(u"unsupported_file"_s,
                                        tr("%1 is not a regular file, directory or link (a device, "
                                           "socket or pipe cannot be copied).")
                                            .arg(child.filePath()),
                                        { { u"path"_s, child.filePath() } });
        }
    }
    return std::nullopt;
}

std::optional<TaskOutcome> CopyTask::copyFile(TaskContext &context, const QString &from,
                                              const QString &to)
{
    QFile in(from);
    if (!in.open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
        const bool denied = !QFileInfo(from).isReadable();
        return TaskOutcome::failure(denied ? u"permission_denied"_s : u"io_error"_s,
                                    tr("Cannot read %1: %2").arg(from, in.errorString()),
                                    { { u"path"_s, from } });
    }
    const QString part = partPath(to);
    PartFileGuard guard { part };
    // A fresh file, never an entry found there: a link planted under the partial name must
    // not be written through (issue 15, W6). A stale partial file of ours is removed first.
    ::unlink(QFile::encodeName(part).constData());
    QFile out(part);
    if (!out.open(QIODevice::WriteOnly | QIODevice::NewOnly | QIODevice::Unbuffered,
                  QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        const bool denied = !QFileInfo(QFileInfo(part).path()).isWritable();
        guard.armed = false; // nothing was created
        return TaskOutcome::failure(denied ? u"permission_denied"_s : u"io_error"_s,
                                    tr("Cannot write %1: %2").arg(to, out.errorString()),
                                    { { u"path"_s, to } });
    }

    const auto buffer = std::make_unique_for_overwrite<char[]>(kBlockSize);
    for (;;) {
        if (!context.checkpoint())
            return canceled(); // the guard removes the partial file
        const qint64 n = in.read(buffer.get(), kBlockSize);
        if (n < 0) {
            return TaskOutcome::failure(u"io_error"_s,
                                        tr("Error reading %1: %2").arg(from, in.errorString()),
                                        { { u"path"_s, from } });
        }
        if (n == 0)
            break;
        if (out.write(buffer.get(), n) != n)
            return writeFailure(out, to);
        context.addProcessed(n);
    }

    // On disk before the rename, so a crash never leaves a short file under the real name.
    if (!out.flush() || ::fdatasync(out.handle()) != 0)
        return writeFailure(out, to);
    out.setFileTime(QFileInfo(from).lastModified(), QFileDevice::FileModificationTime);
    out.close();
    if (!QFile::setPermissions(part, modeOf(QFileInfo(from)))) {
        return TaskOutcome::failure(u"io_error"_s, tr("Cannot set the permissions of %1").arg(to),
                                    { { u"path"_s, to } });
    }
    // Without "overwrite", an entry that appeared since the check stays untouched.
    const int error = m_overwrite
        ? (::rename(QFile::encodeName(part).constData(), QFile::encodeName(to).constData()) == 0
               ? 0
               : errno)
        : ExclusiveFile::renameNoReplace(part, to);
    if (error != 0) {
        return TaskOutcome::failure(
            isDenied(error) ? u"permission_denied"_s : u"io_error"_s,
            tr("Cannot rename %1 to %2: %3").arg(part, to, errnoText(error)),
            { { u"path"_s, to } });
    }
    guard.armed = false;
    return std::nullopt;
}

std::optional<TaskOutcome> CopyTask::copySymLink(const QString &from, const QString &to)
{
    // readlink(2): the link's own text, relative links stay relative.
    QByteArray linkTarget(4096, Qt::Uninitialized);
    const ssize_t length = ::readlink(QFile::encodeName(from).constData(), linkTarget.data(),
                                      size_t(linkTarget.size()));
    if (length < 0 || length >= linkTarget.size()) {
        const int error = errno;
        return TaskOutcome::failure(u"io_error"_s,
                                    tr("Cannot read the link %1: %2").arg(from, errnoText(error)),
                                    { { u"path"_s, from } });
    }
    linkTarget.truncate(length);
    const QByteArray part = QFile::encodeName(partPath(to));
    ::unlink(part.constData());
    if (::symlink(linkTarget.constData(), part.constData()) != 0
        || ::rename(part.constData(), QFile::encodeName(to).constData()) != 0) {
        const int error = errno;
        ::unlink(part.constData());
        return TaskOutcome::failure(isDenied(error) ? u"permission_denied"_s : u"io_error"_s,
                                    tr("Cannot create the link %1: %2").arg(to, errnoText(error)),
                                    { { u"path"_s, to } });
    }
    return std::nullopt;
}
