#pragma once

#include <QString>

// Putting a file under its final name without ever writing through a link someone planted
// there (issue 15, W6): any directory entry, a dangling symlink included, counts as taken.
class ExclusiveFile final
{
public:
    // True if `path` names any directory entry (lstat: a dangling link exists too).
    static bool entryExists(const QString &path);
    // rename(2) that fails with EEXIST instead of replacing an entry (renameat2 with
    // RENAME_NOREPLACE; never a copy). Returns 0 or the errno.
    static int renameNoReplace(const QString &from, const QString &to);
};
