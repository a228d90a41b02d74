#pragma once

#include <QCoreApplication>
#include <QString>

// Headway's data dir holds a password (the token) and a store that starts commands as this
// user, so it and what is in it must be this user's alone, as ssh demands of ~/.ssh: a dir
// or file owned by someone else, or one they may write, is refused (they could have chosen
// its content); a symlink is never followed for a file; what is only readable by others is
// tightened. New dirs are 0700 and new files 0600 whatever the umask.
class PrivateDir final
{
    Q_DECLARE_TR_FUNCTIONS(PrivateDir)

public:
    // Creates `path` (and missing parents) with mode 0700, or checks an existing one: a
    // directory (a symlink to one is followed: the dir itself may live elsewhere) owned by
    // this user. Its group/other bits are removed. False with the reason in *error otherwise.
    static bool prepare(const QString &path, QString *error = nullptr);
    // Checks an existing file inside a prepared dir: a regular file (not a symlink) owned by
    // this user that no one else may write; its group/other bits are removed. A missing file
    // passes. False with the reason in *error otherwise.
    static bool checkFile(const QString &path, QString *error = nullptr);
    // Creates `path` empty with mode 0600 unless an entry of that name exists (exclusive,
    // never through a symlink). True when the file exists afterwards as a file Headway made
    // or had made.
    static bool createFile(const QString &path, QString *error = nullptr);
};
