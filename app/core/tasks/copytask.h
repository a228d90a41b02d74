#pragma once

#include "app/core/taskrunner.h"

#include <QCoreApplication>
#include <QFileDevice>
#include <QList>
#include <QString>

#include <optional>

// Copies a file or a directory tree, with cp's rules: when the destination is an existing
// directory the source is copied into it (destination/<source name>); otherwise the copy is
// made at the destination path (missing parent directories are created). Inside a tree,
// symbolic links are copied as links and permissions are kept; a link given as the source
// itself is followed. Each file is written to ".<name>.headway-part" next to its target,
// flushed to disk, then renamed over it, so no reader ever sees a half-written file. An
// existing target is refused unless overwrite is set (then files are replaced and directories
// merged). The tree is scanned first so progress is in bytes of the whole copy.
class CopyTask final : public TaskRunner
{
    Q_DECLARE_TR_FUNCTIONS(CopyTask)

public:
    CopyTask(QString source, QString destination, bool overwrite);
    TaskOutcome run(TaskContext &context) override;

    // Where the copy of `source` lands for `destination` (see the class comment).
    static QString targetPath(const QString &source, const QString &destination);
    // The temporary name a file is written to before it is renamed to `target`.
    static QString partPath(const QString &target);

private:
    enum class Kind { Directory, File, SymLink };
    struct Entry
    {
        QString relative; // "" for the source itself
        Kind kind;
        qint64 size = 0;
        QFileDevice::Permissions permissions;
    };

    std::optional<TaskOutcome> scan(TaskContext &context, const QString &dir,
                                    const QString &relative, QList<Entry> &entries);
    std::optional<TaskOutcome> copyFile(TaskContext &context, const QString &from,
                                        const QString &to);
    std::optional<TaskOutcome> copySymLink(const QString &from, const QString &to);
    TaskOutcome canceled() const;

    const QString m_source;
    const QString m_destination;
    const bool m_overwrite;
};
