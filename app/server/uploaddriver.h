#pragma once

#include "app/core/externaltaskdriver.h"
#include "app/core/speedestimator.h"
#include "app/core/tasks/digest.h"
#include "app/core/uploaderror.h"
#include "app/core/uploadstore.h"
#include "app/server/backgroundhasher.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <vector>

class EngineCall;
class QueuedTaskDriver;
class TaskEngine;

// The storage and task side of resumable uploads (the tus protocol is UploadApi's): each
// upload is a partial file <dataDir>/uploads/<id>.part that chunks are appended to at the
// offset the server holds, hashed (SHA-256) as they arrive, verified and renamed to its
// sanitized file name at the end, then flushed to the disk by a worker. Each upload is an "upload"
// task in the engine (this is its ExternalTaskDriver), so every viewer sees the server's byte
// count; canceling the task terminates the upload. Abandoned uploads expire. Lives in the server's
// thread: it reaches the engine through Options::engineCall (progress posted, the rest waited
// for) and the engine's calls (startTask, cancelTask) come to it queued (QueuedTaskDriver).
//
// Uploads survive a restart: each one's state (length, name, metadata, task id, ...) is kept
// in <id>.json beside its partial file, written once at creation; the offset is the partial
// file's size, which stays right after a crash. At start every saved upload comes back
// linked to its (interrupted) task, its SHA-256 state rebuilt by re-reading the partial file on
// a worker thread. The next PATCH from its sender, or a retry of the task, resumes it.
class UploadDriver final : public QObject, public ExternalTaskDriver
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UploadDriver)

public:
    struct Options
    {
        qint64 maxSize = qint64(64) * 1024 * 1024 * 1024; // Tus-Max-Size
        std::chrono::milliseconds expiry { std::chrono::hours(24) }; // since the last chunk
        // Bytes free on the upload folder's disk; empty: QStorageInfo (tests fake a full disk).
        std::function<qint64()> freeSpace;
        // How the engine is reached when the driver lives on another thread (the server's):
        // null, directly (same thread). Taken at construction only.
        std::shared_ptr<EngineCall> engineCall;
    };

    struct Info
    {
        QString id;
        QString taskId; // empty when the engine has no "upload" type
        QString filename; // sanitized
        qint64 length = 0;
        qint64 offset = 0;
        QByteArray metadata; // the Upload-Metadata header as sent
        bool finished = false;
        QString path; // the final file once finished
    };

    static constexpr qint64 ChunkLimit = 8 * 1024 * 1024; // one buffered PATCH body at most
    // One PATCH body streamed to the partial file as it arrives (the transport guard hands it
    // on, QHttpServer never buffers it): memory does not depend on it.
    static constexpr qint64 StreamedChunkLimit = qint64(64) * 1024 * 1024 * 1024;

    // Restores the uploads of an earlier run at once, so the expiry is given here.
    UploadDriver(TaskEngine &engine, const QString &dataDir, Options options,
                 QObject *parent = nullptr);
    UploadDriver(TaskEngine &engine, const QString &dataDir, QObject *parent = nullptr);
    ~UploadDriver() override;

    void setOptions(Options options);
    const Options &options() const { return m_options; }
    QString uploadDir() const { return m_store.folder(); }
    const UploadStore &store() const { return m_store; }

    // Creates an upload of `length` bytes and its task. expectedSha256: hex digest the whole
    // file must have (from the metadata), or empty.
    std::optional<Info> create(qint64 length, const QString &filename, const QByteArray &metadata,
                               const QByteArray &expectedSha256, UploadError *error);
    std::optional<Info> info(const QString &id) const;
    // Appends a chunk at `offset` (must equal the server's); completes the upload when the last
    // byte arrives. Returns the new offset.
    std::optional<qint64> append(const QString &id, qint64 offset, const QByteArray &chunk,
                                 UploadError *error);
    // A PATCH body streamed as it arrives: beginStream() makes append()'s checks for a body of
    // bodyLength bytes at offset; streamWrite() writes each piece to the partial file at once
    // (the offset moves with it; hashed in the background) and endStream() ends it, completing
    // the upload when its last byte came. A body cut short keeps what arrived: the offset is
    // the bytes written, as tus asks of an interrupted PATCH. Returns the offset.
    std::optional<qint64> beginStream(const QString &id, qint64 offset, qint64 bodyLength,
                                      UploadError *error);
    bool streamWrite(const QString &id, const QByteArray &piece, UploadError *error);
    std::optional<qint64> endStream(const QString &id, UploadError *error);
    // Removes the upload (its partial file; a finished upload's file stays) and cancels its task.
    UploadError terminate(const QString &id);
    // Drops uploads idle for longer than the expiry (also run by a timer), and uploads whose
    // task a user removed.
    int expireIdle();
    int count() const { return int(m_uploads.size()); }
    // False while the SHA-256 of a restored upload is being rebuilt from its partial file.
    bool hashReady(const QString &id) const;

    // ExternalTaskDriver
    void startTask(const TaskSnapshot &task) override;
    void cancelTask(const TaskSnapshot &task) override;

private:
    // Re-hashing a restored partial file on a worker thread; chunks that arrive meanwhile are
    // written only, and the worker reads on until it has caught up with them.
    struct Rehash
    {
        std::shared_ptr<Digest> hash; // the worker's while it runs
        QString path;
        qint64 hashed = 0; // the worker's while it runs
        std::atomic<qint64> target { 0 }; // bytes on disk that may be read (set by the writer)
        std::atomic<bool> cancel { false };
        QString error;
    };

    struct Upload
    {
        Info info;
        QByteArray expectedSha256;
        // libcrypto when the system has it: Qt's SHA-256 was a third of the server's time.
        // Null while a Rehash owns it.
        std::shared_ptr<Digest> hash = std::make_shared<Digest>(Digest::Algorithm::Sha256);
        std::shared_ptr<Rehash> rehash;
        SpeedEstimator speed;
        qint64 lastActivityMs = 0;
        qint64 lastReportMs = -1;
        std::unique_ptr<QFile> stream; // the partial file while a PATCH body streams in
        QDateTime created; // UTC
    };

    bool saveState(const Upload &upload, QString *error) const;
    void removeFiles(Upload &upload);
    void restore();
    std::shared_ptr<Upload> load(const QString &id);
    void startRehash(Upload &upload);
    void rehashDone(const QString &id, const std::shared_ptr<Rehash> &rehash);
    bool taskGone(const Upload &upload) const;
    void resumeTask(Upload &upload);
    void failUnresumable();
    void endTask(const QString &taskId, TaskState state, TaskError error);
    void failNotResumable(const QString &taskId, const QString &message);
    TaskProgress progress(const Upload &upload, int step, const QString &message) const;
    void complete(Upload &upload, UploadError *error);
    void fail(Upload &upload, const QString &code, const QString &message);
    void fail(Upload &upload, const UploadError &error);
    void reportProgress(Upload &upload, int step, const QString &message);
    void updateTask(const Upload &upload, const ExternalUpdate &update);
    void rearmTimer();
    Upload *findByTask(const QString &taskId);
    std::optional<qint64> appendTo(std::shared_ptr<Upload> upload, qint64 offset,
                                   const QByteArray &chunk, UploadError *error);
    std::shared_ptr<Upload> findForAppend(const QString &id, UploadError *error);
    bool checkAppend(const Upload &upload, qint64 offset, qint64 size, UploadError *error) const;
    std::optional<qint64> afterAppend(Upload &upload, UploadError *error);

    // Runs f(engine) on the engine's thread and waits (always: uploads never deadlock, see
    // EngineCall::runOn); f is not called once the engine is gone.
    template<class F> auto withEngine(F &&f) const;
    // An update that changes only the progress: posted, not waited for.
    void postProgress(const QString &taskId, const TaskProgress &progress);

    TaskEngine &m_engine;
    QPointer<TaskEngine> m_engineAlive; // read on the engine's thread only
    std::shared_ptr<EngineCall> m_call;
    std::unique_ptr<QueuedTaskDriver> m_driver; // what the engine calls (registered)
    UploadStore m_store;
    Options m_options;
    QHash<QString, std::shared_ptr<Upload>> m_uploads;
    QElapsedTimer m_clock;
    QTimer m_expiryTimer;
    // SHA-256 of arriving chunks, off the request path. One chunk at a time: hashing (~2 GB/s)
    // outruns receiving, and each queued chunk is a request body kept alive (RSS).
    BackgroundHasher m_hasher { ChunkLimit };
    // Re-hashing restored uploads and flushing finished files; the destructor waits for them.
    // Threads of their own (std::async), not Qt's thread pool: ThreadSanitizer sees their start
    // and their end, while the pool's own locks are inside Debian's uninstrumented Qt.
    void addWorker(std::future<void> job);
    std::vector<std::future<void>> m_workers;
};
