#pragma once

#include <mutex>

// A queued call posted from another thread (QMetaObject::invokeMethod with
// Qt::QueuedConnection), made visible to ThreadSanitizer. Qt's event queue runs the call after
// the post, but under a lock inside Debian's Qt, which is not built with TSan, and the call's
// functor and Qt's event are allocated inside the post itself, after anything the poster could
// release before it. So, in TSan builds, the poster holds the gate across the post and the call
// passes through the gate first thing (before it reads anything it captured): TSan then sees all
// the poster did, the allocation included, happen before the call. One gate per posting site (a
// static beside it); elsewhere both are empty and cost nothing.
class TsanPostGate final
{
public:
    TsanPostGate() = default;
    TsanPostGate(const TsanPostGate &) = delete;
    TsanPostGate &operator=(const TsanPostGate &) = delete;

    // Held by the posting thread until QMetaObject::invokeMethod has returned.
    [[nodiscard]] std::unique_lock<std::mutex> post()
    {
#if defined(__SANITIZE_THREAD__)
        return std::unique_lock(m_mutex);
#else
        return {};
#endif
    }

    // First thing in the queued call: returns once the post has finished.
    void pass()
    {
#if defined(__SANITIZE_THREAD__)
        const std::lock_guard passed(m_mutex);
#endif
    }

private:
#if defined(__SANITIZE_THREAD__)
    std::mutex m_mutex;
#endif
};
