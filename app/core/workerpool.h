#pragma once

#include "enginetask.h"

#include <QList>
#include <QObject>
#include <QThread>

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>

class TaskEngine;

// The engine's worker threads and their ready queue (highest priority first, FIFO within a
// priority). Workers take attempts themselves and report starts and ends back to the engine in
// batches (one queued call per batch), so trivial tasks flow at tens of thousands per second.
class WorkerPool final
{
    Q_DISABLE_COPY_MOVE(WorkerPool)

public:
    struct Report
    {
        bool finished = false; // false: started
        std::shared_ptr<TaskAttempt> attempt;
    };

    explicit WorkerPool(TaskEngine *engine, int concurrency);
    ~WorkerPool();

    void enqueue(std::shared_ptr<TaskAttempt> attempt);
    // Removes the attempt if no worker took it yet.
    bool takeBack(const std::shared_ptr<TaskAttempt> &attempt);
    void setConcurrency(int concurrency);
    int concurrency() const;
    QList<Report> takeReports();
    // Stops the workers, waiting up to timeoutMs for running attempts to return. False when a
    // worker had to be abandoned: the pool must then outlive it (the engine leaks it).
    bool stop(int timeoutMs);

private:
    class Worker;
    void workerLoop();
    void report(Report r);

    TaskEngine *m_engine;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::map<std::pair<int, quint64>, std::shared_ptr<TaskAttempt>> m_queue; // (-priority, seq)
    QList<QThread *> m_threads;
    int m_concurrency = 1;
    int m_running = 0;
    bool m_stopping = false;

    std::mutex m_reportMutex;
    QList<Report> m_reports;
};
