#pragma once

#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>
#include <type_traits>

class QThread;

// Runs calls on the engine's thread for code living on another one (the server's thread): the
// engine itself is not thread-safe and stays so. A call on the engine's own thread (tests, a
// server on the main thread) runs directly. From elsewhere it is queued and the caller waits for
// its result: the engine's thread runs the queue from its event loop (one posted drain per call)
// or, while it waits for the other thread itself (start and stop, runOn), from that wait, so the
// two threads never wait for each other.
//
// Shutdown: close() makes every call() that has not started return at once, unavailable
// (std::nullopt: the server answers 503 shutting_down), and later ones too; a call that has
// started is waited for (it ends: the engine's thread runs it). callAlways() calls (attaching
// and detaching the server: trackers, drivers) still run; runOn() serves them.
class EngineCall final
{
public:
    explicit EngineCall(QObject *engine);
    ~EngineCall();
    EngineCall(const EngineCall &) = delete;
    EngineCall &operator=(const EngineCall &) = delete;

    // True on the engine's thread: calls run directly.
    bool isDirect() const;

    // f() on the engine's thread; nullopt (f never ran) once closed. For void f: true if it ran.
    template<class F> auto call(F &&f)
    {
        using R = std::invoke_result_t<F &>;
        if constexpr (std::is_void_v<R>) {
            return run([&f] { f(); }, false);
        } else {
            std::optional<R> result;
            run([&f, &result] { result.emplace(f()); }, false);
            return result;
        }
    }
    // f() on the engine's thread, closed or not (setting up and tearing down the server).
    template<class F> auto callAlways(F &&f) -> std::invoke_result_t<F &>
    {
        using R = std::invoke_result_t<F &>;
        if constexpr (std::is_void_v<R>) {
            run([&f] { f(); }, true);
        } else {
            std::optional<R> result;
            run([&f, &result] { result.emplace(f()); }, true);
            return std::move(*result);
        }
    }
    // f() on the engine's thread later, in order with the calls; the caller does not wait
    // (progress reports). Runs at once on the engine's thread; dropped once closed.
    void post(std::function<void()> f);

    // Engine's thread: calls not yet started return unavailable from now on.
    void close();
    bool isClosed() const;
    // Calls and posts waiting for the engine's thread (tests wait for a call to be queued).
    qsizetype queuedCount() const;

    // Engine's thread: runs `work` on `context`'s thread and returns once it has returned,
    // running this object's calls meanwhile (`work` may make some: building or destroying the
    // server attaches it to the engine or detaches it).
    void runOn(QObject *context, const std::function<void()> &work);

private:
    struct State;
    struct Job;
    // False when the call was not run (closed).
    bool run(const std::function<void()> &f, bool always);
    void schedule(); // posts a drain of the queue to the engine's thread

    QPointer<QObject> m_engine;
    QThread *m_engineThread;
    std::shared_ptr<State> m_state;
};
