#include "enginecall.h"

#include "tsanpostgate.h"

#include <QThread>

#include <condition_variable>
#include <deque>
#include <mutex>

struct EngineCall::Job
{
    enum class Status { Queued, Running, Done, Dropped };
    std::function<void()> fn; // a call's refers to its caller's frame: it waits for Done/Dropped
    bool always = false;
    bool posted = false; // nobody waits for it
    Status status = Status::Queued;
};

struct EngineCall::State
{
    std::mutex mutex;
    std::condition_variable changed; // a job ended, a job was queued, closed, or runOn's work ended
    std::deque<std::shared_ptr<Job>> queue;
    bool closed = false;
    bool drainPosted = false;

    // Runs the first queued job, if any (the lock is held on entry and on return).
    bool runOne(std::unique_lock<std::mutex> &lock)
    {
        if (queue.empty())
            return false;
        const std::shared_ptr<Job> job = queue.front();
        queue.pop_front();
        if (closed && !job->always) {
            job->status = Job::Status::Dropped;
            changed.notify_all();
            return true;
        }
        job->status = Job::Status::Running;
        lock.unlock();
        job->fn();
        lock.lock();
        job->status = Job::Status::Done;
        if (job->posted)
            job->fn = nullptr; // its captures go on this thread
        changed.notify_all();
        return true;
    }

    void drain()
    {
        std::unique_lock lock(mutex);
        drainPosted = false; // what is queued from now on posts another drain
        while (runOne(lock)) { }
    }
};

EngineCall::EngineCall(QObject *engine)
    : m_engine(engine), m_engineThread(engine->thread()), m_state(std::make_shared<State>())
{
}

EngineCall::~EngineCall() = default;

bool EngineCall::isDirect() const
{
    return QThread::currentThread() == m_engineThread;
}

bool EngineCall::run(const std::function<void()> &f, bool always)
{
    if (isDirect()) {
        if (!always && isClosed())
            return false;
        f();
        return true;
    }
    auto job = std::make_shared<Job>();
    job->fn = f;
    job->always = always;
    State &state = *m_state;
    std::unique_lock lock(state.mutex);
    if (state.closed && !always)
        return false;
    state.queue.push_back(job);
    state.changed.notify_all(); // runOn() may be waiting for work
    const bool post = !state.drainPosted;
    state.drainPosted = true;
    lock.unlock();
    if (post)
        schedule();
    lock.lock();
    state.changed.wait(lock, [&] {
        return job->status == Job::Status::Done || job->status == Job::Status::Dropped
            || (job->status == Job::Status::Queued && state.closed && !always);
    });
    if (job->status == Job::Status::Queued) { // closed before it started: it never will
        std::erase(state.queue, job);
        job->status = Job::Status::Dropped;
    }
    return job->status == Job::Status::Done;
}

void EngineCall::post(std::function<void()> f)
{
    if (isDirect()) {
        if (!isClosed())
            f();
        return;
    }
    auto job = std::make_shared<Job>();
    job->fn = std::move(f);
    job->posted = true;
    State &state = *m_state;
    std::unique_lock lock(state.mutex);
    if (state.closed)
        return;
    state.queue.push_back(job);
    state.changed.notify_all();
    const bool post = !state.drainPosted;
    state.drainPosted = true;
    lock.unlock();
    if (post)
        schedule();
}

void EngineCall::schedule()
{
    // One posted drain runs every job queued until it starts; the state outlives this object
    // for a drain that runs late.
    static TsanPostGate gate; // from the server's thread to the engine's
    const std::shared_ptr<State> state = m_state;
    const auto posting = gate.post();
    QMetaObject::invokeMethod(
        m_engine.data(),
        [state] {
            gate.pass();
            state->drain();
        },
        Qt::QueuedConnection);
}

void EngineCall::close()
{
    const std::lock_guard lock(m_state->mutex);
    m_state->closed = true;
    m_state->changed.notify_all();
}

bool EngineCall::isClosed() const
{
    const std::lock_guard lock(m_state->mutex);
    return m_state->closed;
}

qsizetype EngineCall::queuedCount() const
{
    const std::lock_guard lock(m_state->mutex);
    return qsizetype(m_state->queue.size());
}

void EngineCall::runOn(QObject *context, const std::function<void()> &work)
{
    if (context->thread() == QThread::currentThread()) {
        work();
        return;
    }
    // `done` lives in the shared state's lock domain: the posted work sets it under the mutex.
    auto done = std::make_shared<bool>(false);
    static TsanPostGate gate; // from the engine's thread to the context's
    const std::shared_ptr<State> state = m_state;
    {
        const auto posting = gate.post();
        QMetaObject::invokeMethod(
            context,
            [state, done, &work] {
                gate.pass();
                work();
                const std::lock_guard lock(state->mutex);
                *done = true;
                state->changed.notify_all();
            },
            Qt::QueuedConnection);
    }
    std::unique_lock lock(state->mutex);
    while (!*done) {
        if (!state->runOne(lock))
            state->changed.wait(lock);
    }
}
