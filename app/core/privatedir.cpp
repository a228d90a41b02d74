#include "app/core/privatedir.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

bool setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

QString shown(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

} // namespace

bool PrivateDir::prepare(const QString &path, QString *error)
{
    const QByteArray name = QFile::encodeName(path);
    struct stat st = {};
    if (::stat(name.constData(), &st) != 0) {
        if (errno != ENOENT)
            return setError(error,
                            tr("Cannot use the folder %1: %2").arg(shown(path), errnoText(errno)));
        const QString parent = QFileInfo(path).absolutePath();
        if (parent != path && !QDir().mkpath(parent))
            return setError(error, tr("Cannot create the folder %1.").arg(shown(parent)));
        if (::mkdir(name.constData(), 0700) != 0 && errno != EEXIST)
            return setError(
                error, tr("Cannot create the folder %1: %2").arg(shown(path), errnoText(errno)));
        if (::stat(name.constData(), &st) != 0)
            return setError(error,
                            tr("Cannot use the folder %1: %2").arg(shown(path), errnoText(errno)));
    }
    if (!S_ISDIR(st.st_mode))
        return setError(error, tr("Cannot use %1 as a folder: it is not one.").arg(shown(path)));
    if (st.st_uid != ::geteuid())
        return setError(error,
                        tr("Refusing the folder %1: it belongs to another user (uid %2), who could "
                           "read or change what Headway keeps there. Use a folder of your own.")
                            .arg(shown(path))
                            .arg(st.st_uid));
    // Ours: whatever was loose (an old umask, a mkdir by hand) becomes private.
    if ((st.st_mode & 07777) != 0700 && ::chmod(name.constData(), 0700) != 0)
        return setError(
            error, tr("Cannot make the folder %1 private: %2").arg(shown(path), errnoText(errno)));
    return true;
}

bool PrivateDir::checkFile(const QString &path, QString *error)
{
    // Opened without following a link and checked through the descriptor: what is checked is
    // what is opened. O_NONBLOCK: a planted FIFO must not hang the start.
    const int fd = ::open(QFile::encodeName(path).constData(),
                          O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT)
            return true;
        if (errno == ELOOP)
            return setError(error,
                            tr("Refusing %1: it is a symbolic link, which Headway never follows "
                               "here. Remove it.")
                                .arg(shown(path)));
        return setError(error, tr("Cannot read %1: %2").arg(shown(path), errnoText(errno)));
    }
    struct stat st = {};
    QString problem;
    if (::fstat(fd, &st) != 0)
        problem = tr("Cannot read %1: %2").arg(shown(path), errnoText(errno));
    else if (!S_ISREG(st.st_mode))
        problem = tr("Refusing %1: it is not a regular file.").arg(shown(path));
    else if (st.st_uid != ::geteuid())
        problem = tr("Refusing %1: it belongs to another user (uid %2), who chose its content. "
                     "Remove it.")
                      .arg(shown(path))
                      .arg(st.st_uid);
    else if (st.st_mode & (S_IWGRP | S_IWOTH))
        problem = tr("Refusing %1: other users may write it, so its content cannot be trusted. "
                     "Check it, then make it private (chmod 600).")
                      .arg(shown(path));
    else if ((st.st_mode & 07777) != 0600 && ::fchmod(fd, 0600) != 0)
        problem = tr("Cannot make %1 private: %2").arg(shown(path), errnoText(errno));
    ::close(fd);
    return problem.isEmpty() || setError(error, problem);
}

bool PrivateDir::createFile(const QString &path, QString *error)
{
    const int fd = ::open(QFile::encodeName(path).constData(),
                          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return checkFile(path, error);
        return setError(error, tr("Cannot create %1: %2").arg(shown(path), errnoText(errno)));
    }
    const bool ok = ::fchmod(fd, 0600) == 0; // the umask may have removed more, never less
    ::close(fd);
    return ok
        || setError(error, tr("Cannot make %1 private: %2").arg(shown(path), errnoText(errno)));
}
