#pragma once

// Debian's Qt is not built with ThreadSanitizer: it cannot see that QThread::wait() joins a
// thread (Qt waits on its own uninstrumented condition). Our own threads say it themselves in
// TSan builds: the thread releases a token as it ends, the joiner acquires it after wait().
// Elsewhere these are empty inline functions.
#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void *addr);
extern "C" void __tsan_release(void *addr);
#endif

namespace TsanHandover {
inline void release([[maybe_unused]] void *token)
{
#if defined(__SANITIZE_THREAD__)
    __tsan_release(token);
#endif
}

inline void acquire([[maybe_unused]] void *token)
{
#if defined(__SANITIZE_THREAD__)
    __tsan_acquire(token);
#endif
}
} // namespace TsanHandover
