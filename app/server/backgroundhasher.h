#pragma once

#include "app/core/tasks/digest.h"

#include <QByteArray>
#include <QtGlobal>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

// Feeds chunks to incremental digests on one background thread, in the order they were added,
// so hashing an upload overlaps with receiving and writing its next chunk instead of adding to
// the time of every PATCH (SHA-256 was 40% of the server's time per chunk). Memory stays
// bounded: add() waits while more than maxPendingBytes are queued. A Digest handed to add()
// must not be touched by the caller until wait() has returned.
class BackgroundHasher final
{
    Q_DISABLE_COPY_MOVE(BackgroundHasher)

public:
    explicit BackgroundHasher(qint64 maxPendingBytes = qint64(32) * 1024 * 1024);
    ~BackgroundHasher(); // finishes what is queued

    void add(std::shared_ptr<Digest> digest, QByteArray chunk);
    // Returns once every chunk added so far has been hashed.
    void wait();
    qint64 pendingBytes() const;

private:
    struct Job
    {
        std::shared_ptr<Digest> digest;
        QByteArray chunk;
    };

    void run();

    const qint64 m_maxPending;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Job> m_jobs;
    qint64 m_pending = 0; // bytes queued or being hashed
    bool m_stop = false;
    std::thread m_thread; // started with the first chunk
};
