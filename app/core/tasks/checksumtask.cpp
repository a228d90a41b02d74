#include "checksumtask.h"

#include "app/core/taskcontext.h"

#include <QFile>
#include <QFileInfo>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
constexpr qsizetype kBlockSize = 1024 * 1024;
}

ChecksumTask::ChecksumTask(QString path, Digest::Algorithm algorithm)
    : m_path(std::move(path)), m_algorithm(algorithm)
{
}

TaskOutcome ChecksumTask::run(TaskContext &context)
{
    const QJsonObject details { { u"path"_s, m_path } };
    const QFileInfo info(m_path);
    if (!info.exists()) {
        return TaskOutcome::failure(u"not_found"_s, tr("File not found: %1").arg(m_path), details);
    }
    if (info.isDir()) {
        return TaskOutcome::failure(u"is_directory"_s,
                                    tr("%1 is a directory, not a file.").arg(m_path), details);
    }

    if (!info.isReadable()) {
        return TaskOutcome::failure(u"permission_denied"_s,
                                    tr("Permission denied: cannot read %1").arg(m_path), details);
    }

    QFile file(m_path);
    // Unbuffered: QFile's own buffer would only add a copy per block.
    if (!file.open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
        return TaskOutcome::failure(
            u"io_error"_s, tr("Cannot open %1: %2").arg(m_path, file.errorString()), details);
    }

    // Pipes and devices have no size: progress is then indeterminate.
    context.setTotal(file.isSequential() ? -1 : file.size(), u"bytes"_s);
    context.setProcessed(0);
    context.setMessage(
        tr("Computing the %1 of %2").arg(Digest::algorithmLabel(m_algorithm), info.fileName()));

    Digest digest(m_algorithm);
    // One buffer for the whole file: no allocation per block.
    const auto buffer = std::make_unique_for_overwrite<char[]>(kBlockSize);
    qint64 done = 0;
    for (;;) {
        if (!context.checkpoint())
            return TaskOutcome::failure(u"canceled"_s, tr("Canceled."));
        const qint64 n = file.read(buffer.get(), kBlockSize);
        if (n < 0) {
            return TaskOutcome::failure(
                u"io_error"_s, tr("Error reading %1: %2").arg(m_path, file.errorString()), details);
        }
        if (n == 0)
            break;
        digest.addData(buffer.get(), n);
        done += n;
        context.setProcessed(done);
    }

    const QString algorithm = Digest::algorithmName(m_algorithm);
    return TaskOutcome::success(QJsonObject {
        { u"digest"_s, QString::fromLatin1(digest.result().toHex()) },
        { u"bytes"_s, done },
        { u"algorithm"_s, algorithm },
    });
}
