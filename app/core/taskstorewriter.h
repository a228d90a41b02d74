#pragma once

#include "taskevent.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QThread>

#include <condition_variable>
#include <mutex>
#include <optional>

// The one thread that writes the task store (qBittorrent's DB writer idea): it owns its own
// SQLite connection, takes whatever was handed over since its last commit as one batch, writes
// each task at most once per batch (latest snapshot wins, a removal deletes) with prepared
// statements inside one transaction. Handing over is a short critical section on a mutex and
// never waits for the disk; flush() is the only call that waits.
class TaskStoreWriter final : public QThread
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TaskStoreWriter)

public:
    // What the writer did so far (for tests and the benchmark).
    struct Stats
    {
        qint64 batches = 0; // committed transactions
        qint64 upserts = 0; // rows written
        qint64 deletes = 0; // rows deleted
        qint64 events = 0; // events handed over
        qint64 failures = 0; // batches that could not be committed
    };

    explicit TaskStoreWriter(const QString &filePath, QObject *parent = nullptr);
    ~TaskStoreWriter() override; // stops the thread (after writing what it was given)

    // Starts the thread and waits until its connection is open and its statements prepared.
    bool startWriting(QString *errorMessage);
    // Thread-safe; coalesces into the pending batch and wakes the thread.
    void enqueue(const TaskEvents &events);
    // Blocks until everything enqueued before this call is committed (or failed).
    void flush();
    // Writes what is pending, then ends the thread. Idempotent.
    void stop();

    Stats stats() const;

Q_SIGNALS:
    // Emitted from the writer thread when a batch could not be committed.
    void writeFailed(const QString &message);

protected:
    void run() override;

private:
    // A pending write for one task: a snapshot to upsert, or nullopt to delete the row.
    struct PendingWrite
    {
        QString id;
        std::optional<TaskSnapshot> snapshot;
    };

    void reportStarted(bool ok, const QString &error);

    const QString m_filePath;
    const QString m_connectionName;

    mutable std::mutex m_mutex;
    std::condition_variable m_wakeWriter; // work arrived or stop requested
    std::condition_variable m_batchDone; // a batch was committed, or the thread started/ended
    QList<PendingWrite> m_pending; // first-seen order, so new rows keep their creation order
    QHash<QString, qsizetype> m_pendingIndex; // id -> index in m_pending
    quint64 m_handedOver = 0; // generation of the last enqueue()
    quint64 m_written = 0; // generation of the last batch the thread finished
    bool m_stopRequested = false;
    bool m_running = false;
    std::optional<bool> m_startResult;
    QString m_startError;
    Stats m_stats;
};
