#include "app/server/backgroundhasher.h"

BackgroundHasher::BackgroundHasher(qint64 maxPendingBytes)
    : m_maxPending(std::max<qint64>(maxPendingBytes, 1))
{
}

BackgroundHasher::~BackgroundHasher()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void BackgroundHasher::add(std::shared_ptr<Digest> digest, QByteArray chunk)
{
    if (!digest || chunk.isEmpty())
        return;
    std::unique_lock lock(m_mutex);
    if (!m_thread.joinable())
        m_thread = std::thread([this] { run(); });
    // A chunk larger than the bound still goes in once the queue is empty.
    m_changed.wait(lock, [this, &chunk] {
        return m_pending == 0 || m_pending + chunk.size() <= m_maxPending;
    });
    m_pending += chunk.size();
    m_jobs.push_back(Job { std::move(digest), std::move(chunk) });
    lock.unlock();
    m_changed.notify_all();
}

void BackgroundHasher::wait()
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return m_pending == 0; });
}

qint64 BackgroundHasher::pendingBytes() const
{
    const std::lock_guard lock(m_mutex);
    return m_pending;
}

void BackgroundHasher::run()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_changed.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
        if (m_jobs.empty())
            return; // stopping, and everything queued is done
        Job job = std::move(m_jobs.front());
        m_jobs.pop_front();
        lock.unlock();
        job.digest->addData(job.chunk.constData(), job.chunk.size());
        const qint64 size = job.chunk.size();
        job = {}; // frees the chunk before the bytes count as done
        lock.lock();
        m_pending -= size;
        m_changed.notify_all();
    }
}
