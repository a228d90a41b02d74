#pragma once

#include "app/core/uploaderror.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

// The upload folder's files, for tus uploads (UploadDriver) and the window's Import alike:
// each upload is a partial file <id>.part that chunks are written into and a state file
// <id>.json beside it; a finished file is put under its own name without ever replacing an
// entry. One naming rule for everyone: "a.tar.gz", then "a (1).tar.gz", "a (2).tar.gz", ...
// Names are taken atomically (an exclusive create or a rename that does not replace), never
// checked first and written later, so two writers racing for a name both keep their file.
// Errors are UploadError kinds, never HTTP statuses. Not a QObject; usable from any thread.
class UploadStore final
{
    Q_DECLARE_TR_FUNCTIONS(UploadStore)

public:
    static constexpr int StateVersion = 1;
    // "a (1).tar.gz" ... "a (9999).tar.gz", then a clear error: a folder that full is a fault.
    static constexpr int MaxNumber = 9999;

    explicit UploadStore(QString folder);

    const QString &folder() const { return m_folder; }
    // Creates the folder (0700, missing parents too) or checks that it is this user's alone.
    bool prepare(QString *error = nullptr) const;
    // Bytes free on the folder's disk, -1 if unknown. Tests fake a full disk with setFreeSpace.
    qint64 freeSpace() const;
    void setFreeSpace(std::function<qint64()> freeSpace) { m_freeSpace = std::move(freeSpace); }

    // A UUID in lower case: the only ids whose files the store reads or writes.
    static bool isUploadId(const QString &id);
    QString partPath(const QString &id) const;
    QString statePath(const QString &id) const;

    // Creates the empty partial file of an upload of `length` bytes (mode 0600, never through
    // a link); DiskFull when the disk has less free space than that.
    UploadError createPart(const QString &id, qint64 length) const;
    // Writes `chunk` at `offset` of the partial file and flushes it to the kernel.
    UploadError writeAt(const QString &id, qint64 offset, const QByteArray &chunk) const;
    // The partial file's size (what reached the disk), -1 when it is missing or not a file.
    qint64 partSize(const QString &id) const;

    // The state file: `state` plus "version" and "id", written atomically, mode 0600.
    bool saveState(const QString &id, const QJsonObject &state, QString *error) const;
    // Reads a state file back; nullopt with the reason when it is unreadable, too large, not
    // a JSON object, of another version or of another id.
    std::optional<QJsonObject> loadState(const QString &id, QString *error) const;
    // Ids with a state file, sorted; and ids of partial files that have none.
    QStringList savedIds() const;
    QStringList unsavedParts() const;
    // Removes an upload's partial file and state file.
    void remove(const QString &id) const;

    // "../a\x01b/c.txt" -> "c.txt": no separators, no "..", no control characters, never
    // empty, never the name of a partial or state file.
    static QString sanitizeFilename(const QString &name);
    // The naming rule: n = 0 is `name` itself; "a.tar.gz", 2 -> "a (2).tar.gz"; the suffix
    // starts at the first dot that does not start the name (".bashrc", 1 -> ".bashrc (1)").
    static QString numberedName(const QString &name, int n);
    // Moves the partial file of `id` into the folder under the first free numbered name of
    // `filename` (a rename that never replaces; any entry, a dangling link too, is taken).
    // Returns the final path.
    std::optional<QString> place(const QString &id, const QString &filename,
                                 UploadError *error) const;
    // Creates an empty file (0600) under the first free numbered name of `filename` and returns
    // its path: the name is the caller's from then on, whoever else writes into the folder.
    std::optional<QString> reserve(const QString &filename, UploadError *error) const;

private:
    QString m_folder;
    std::function<qint64()> m_freeSpace;
};
