// Linked into every executable of a TSan build (see CMakeLists.txt), nowhere else.
//
// Qt 6.4's QProcess starts a program with forkfd's vforkfd: clone(CLONE_VM | CLONE_VFORK), the
// child sharing the parent's memory until it calls execve(). gcc 12's libtsan intercepts clone()
// as if it were fork(): in the child it runs its after-fork code, which with CLONE_VM writes into
// the parent's own memory. The parent then believes it is a child forked from a multi-threaded
// process: the thread that started the program ignores every access and every synchronisation
// from then on (no report can come from it any more), and the next thread the process starts
// kills it ("starting new threads after multi-threaded fork is not supported").
//
// Newer Qt releases stop using vfork under the sanitizers for this reason. Here the same: a
// vfork-like clone goes to libtsan as a fork-like one (the child gets its own copy of the memory
// and Qt's child code, written for either, reports a failed exec through its pipe as with
// fork). Thread-creating clones pass unchanged.
#include <cstdarg>
#include <sched.h>

extern "C" int __interceptor_clone(int (*fn)(void *), void *stack, int flags, void *arg,
                                   int *parentTid, void *tls, int *childTid);

extern "C" int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...) noexcept
{
    va_list more;
    va_start(more, arg);
    auto *parentTid = va_arg(more, int *);
    auto *tls = va_arg(more, void *);
    auto *childTid = va_arg(more, int *);
    va_end(more);
    constexpr int vforkLike = CLONE_VM | CLONE_VFORK;
    if ((flags & vforkLike) == vforkLike && !(flags & CLONE_THREAD))
        flags &= ~vforkLike;
    return __interceptor_clone(fn, stack, flags, arg, parentTid, tls, childTid);
}
