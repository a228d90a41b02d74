#pragma once

#include "app/core/taskrunner.h"
#include "digest.h"

#include <QCoreApplication>
#include <QString>

// Computes a file's digest (sha256, sha1 or md5), reporting progress in bytes. Reads 1 MiB
// blocks into one reused buffer and hashes them with Digest (libcrypto when available), so it
// keeps up with sha256sum; checks for cancel/pause after every block.
class ChecksumTask final : public TaskRunner
{
    Q_DECLARE_TR_FUNCTIONS(ChecksumTask)

public:
    ChecksumTask(QString path, Digest::Algorithm algorithm);
    TaskOutcome run(TaskContext &context) override;

private:
    const QString m_path;
    const Digest::Algorithm m_algorithm;
};
