#include "app/core/exclusivefile.h"

#include <QFile>

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <sys/stat.h>

bool ExclusiveFile::entryExists(const QString &path)
{
    struct stat st = {};
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 || errno != ENOENT;
}

int ExclusiveFile::renameNoReplace(const QString &from, const QString &to)
{
    const int rc = ::renameat2(AT_FDCWD, QFile::encodeName(from).constData(), AT_FDCWD,
                               QFile::encodeName(to).constData(), RENAME_NOREPLACE);
    return rc == 0 ? 0 : errno;
}
