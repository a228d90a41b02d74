#include "workerpool.h"

#include "taskengine.h"
#include "tsanhandover.h"
#include "tsanpostgate.h"

#include <QDeadlineTimer>
#include <QMetaObject>

#include <exception>

using namespace Qt::StringLiterals;

class WorkerPool::Worker final : public QThread
{
public:
    explicit Worker(WorkerPool *pool) : m_pool(pool) { setObjectName(u"headway-worker"_s); }

protected:
    void run() override
    {
        m_pool->workerLoop();
        TsanHandover::release(this); // joined by stop()
    }

private:
    WorkerPool *m_pool;
};

WorkerPool::WorkerPool(TaskEngine *engine, int concurrency) : m_engine(engine)
{
    setConcurrency(concurrency);
}

WorkerPool::~WorkerPool()
{
    stop(0);
}

void WorkerPool::enqueue(std::shared_ptr<TaskAttempt> attempt)
{
    std::unique_lock lock(m_mutex);
    const auto key = std::make_pair(-attempt->priority, attempt->sequence);
    m_queue.emplace(key, std::move(attempt));
    m_wake.notify_one();
}

bool WorkerPool::takeBack(const std::shared_ptr<TaskAttempt> &attempt)
{
    std::unique_lock lock(m_mutex);
    return m_queue.erase(std::make_pair(-attempt->priority, attempt->sequence)) > 0;
}

void WorkerPool::setConcurrency(int concurrency)
{
    std::unique_lock lock(m_mutex);
    if (m_stopping)
        return;
    m_concurrency = std::max(1, concurrency);
    // Threads are only ever added: a lower limit just keeps the extra ones waiting.
    while (m_threads.size() < m_concurrency) {
        auto *worker = new Worker(this);
        m_threads.append(worker);
        worker->start();
    }
    m_wake.notify_all();
}

int WorkerPool::concurrency() const
{
    std::unique_lock lock(m_mutex);
    return m_concurrency;
}

QList<WorkerPool::Report> WorkerPool::takeReports()
{
    std::unique_lock lock(m_reportMutex);
    return std::exchange(m_reports, {});
}

void WorkerPool::report(Report r)
{
    bool first = false;
    {
        std::unique_lock lock(m_reportMutex);
        first = m_reports.isEmpty();
        m_reports.append(std::move(r));
    }
    // One queued call per batch: the engine drains everything that arrived meanwhile.
    if (first) {
        static TsanPostGate gate; // from a worker to the engine's thread
        TaskEngine *engine = m_engine;
        const auto posting = gate.post();
        QMetaObject::invokeMethod(
            engine,
            [engine] {
                gate.pass();
                engine->drainReports();
            },
            Qt::QueuedConnection);
    }
}

void WorkerPool::workerLoop()
{
    for (;;) {
        std::shared_ptr<TaskAttempt> attempt;
        {
            std::unique_lock lock(m_mutex);
            while (!m_stopping && (m_queue.empty() || m_running >= m_concurrency))
                m_wake.wait(lock);
            if (m_stopping)
                return;
            auto it = m_queue.begin();
            attempt = std::move(it->second);
            m_queue.erase(it);
            ++m_running;
        }
        report({ false, attempt });
        try {
            attempt->outcome = attempt->runner->run(*attempt->context);
        } catch (const std::exception &e) {
            attempt->outcome
                = TaskOutcome::failure(u"internal_error"_s, QString::fromLocal8Bit(e.what()));
        } catch (...) {
            attempt->outcome = TaskOutcome::failure(u"internal_error"_s, u"Unknown exception"_s);
        }
        {
            std::unique_lock lock(m_mutex);
            --m_running;
            m_wake.notify_one();
            if (m_stopping)
                return; // the engine is going away: nobody to tell
        }
        report({ true, std::move(attempt) });
    }
}

bool WorkerPool::stop(int timeoutMs)
{
    {
        std::unique_lock lock(m_mutex);
        m_stopping = true;
        m_queue.clear();
        m_wake.notify_all();
    }
    const QDeadlineTimer deadline(timeoutMs);
    bool allStopped = true;
    for (QThread *t : std::as_const(m_threads)) {
        if (t->wait(deadline)) {
            TsanHandover::acquire(t);
            delete t;
        } else {
            // A task that ignores cancellation cannot be killed safely: leave its thread to
            // finish on its own rather than crash the process by destroying it while it runs.
            qWarning("Headway: a worker did not stop within the grace period; abandoning it");
            allStopped = false;
        }
    }
    m_threads.clear();
    return allStopped;
}
