#pragma once

#include "app/core/externaltaskdriver.h"
#include "app/core/speedestimator.h"

#include <QCoreApplication>
#include "app/core/tasks/digest.h"
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

class TaskEngine;

// The storage and task side of resumable uploads (the tus protocol is UploadApi's): each
// upload is a partial file <dataDir>/uploads/<id>.part that chunks are appended to at the
// offset the server holds, hashed (SHA-256) as they arrive, flushed, verified and renamed to
// its sanitized file name at the end. Each upload is an "upload" task in the engine (this is
// its ExternalTaskDriver), so every viewer sees the server's byte count; canceling the task
// terminates the upload. Abandoned uploads expire. Lives in the engine's thread.
class UploadManager final : public QObject, public ExternalTaskDriver
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UploadManager)

public:
    struct Options
    {
        qint64 maxSize = qint64(64) * 1024 * 1024 * 1024; // Tus-Max-Size
        std::chrono::milliseconds expiry{std::chrono::hours(24)}; // since the last chunk
        // Bytes free on the upload folder's disk; empty: QStorageInfo (tests fake a full disk).
        std::function<qint64()> freeSpace;
    };

    // What went wrong, as HTTP: status 0 = no error.
    struct Error
    {
        int status = 0;
        QString code;
        QString message;
        explicit operator bool() const { return status != 0; }
    };

    struct Info
    {
        QString id;
        QString taskId;   // empty when the engine has no "upload" type
        QString filename; // sanitized
        qint64 length = 0;
        qint64 offset = 0;
        QByteArray metadata; // the Upload-Metadata header as sent
        bool finished = false;
        QString path; // the final file once finished
    };

    static constexpr qint64 ChunkLimit = 8 * 1024 * 1024; // one PATCH body at most

    UploadManager(TaskEngine &engine, const QString &dataDir, QObject *parent = nullptr);
    ~UploadManager() override;

    void setOptions(Options options);
    const Options &options() const { return m_options; }
    QString uploadDir() const { return m_dir; }

    // Creates an upload of `length` bytes and its task. expectedSha256: hex digest the whole
    // file must have (from the metadata), or empty.
    std::optional<Info> create(qint64 length, const QString &filename, const QByteArray &metadata,
                               const QByteArray &expectedSha256, Error *error);
    std::optional<Info> info(const QString &id) const;
    // Appends a chunk at `offset` (must equal the server's); completes the upload when the last
    // byte arrives. Returns the new offset.
    std::optional<qint64> append(const QString &id, qint64 offset, const QByteArray &chunk,
                                 Error *error);
    // Removes the upload (its partial file; a finished upload's file stays) and cancels its task.
    Error terminate(const QString &id);
    // Drops uploads idle for longer than the expiry (also run by a timer).
    int expireIdle();
    int count() const { return int(m_uploads.size()); }

    // "../a\x01b/c.txt" -> "c.txt": no separators, no "..", no control characters, never empty.
    static QString sanitizeFilename(const QString &name);

    // ExternalTaskDriver
    void startTask(const TaskSnapshot &task) override;
    void cancelTask(const TaskSnapshot &task) override;

private:
    struct Upload
    {
        Info info;
        QByteArray expectedSha256;
        // libcrypto when the system has it: Qt's SHA-256 was a third of the server's time.
        std::unique_ptr<Digest> hash = std::make_unique<Digest>(Digest::Algorithm::Sha256);
        SpeedEstimator speed;
        qint64 lastActivityMs = 0;
    };

    QString partPath(const QString &id) const;
    QString uniqueTarget(const QString &filename) const;
    qint64 freeSpace() const;
    void complete(Upload &upload, Error *error);
    void fail(Upload &upload, const QString &code, const QString &message);
    void reportProgress(Upload &upload, int step, const QString &message);
    void updateTask(const Upload &upload, const ExternalUpdate &update);
    void removeOrphans();
    void rearmTimer();
    Upload *findByTask(const QString &taskId);

    TaskEngine &m_engine;
    QPointer<TaskEngine> m_engineAlive;
    QString m_dir;
    Options m_options;
    QHash<QString, std::shared_ptr<Upload>> m_uploads;
    QElapsedTimer m_clock;
    QTimer m_expiryTimer;
};
