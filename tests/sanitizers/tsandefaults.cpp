// Linked into every executable of a TSan build (see CMakeLists.txt), nowhere else: options that
// TSan reads before TSAN_OPTIONS (which may still override them).
//
// ignore_noninstrumented_modules=1: a libc function that TSan intercepts (malloc, free, memcpy,
// memmove, ...) called from a library that is not built with TSan does not count as an access.
// Debian's Qt, glib, SQLite and OpenSSL are such libraries. TSan sees none of their own loads and
// stores nor the locks inside them (QMutex, the event queue's mutex, QThreadPool's, QThread::wait),
// but it did see the memory they handled through those libc functions: every hand-over inside Qt
// (QNetworkAccessManager's HTTP thread, posted events, the thread pool, a QByteArray whose last
// reference Qt drops) then looked like a race, with no name on Qt's frames (its internal symbols
// are stripped) for a suppression to match. Headway's own code is built with TSan: each of its
// accesses, and each intercepted call it makes, is still checked. It is the mode TSan uses by
// default where system libraries are never instrumented (macOS).
extern "C" const char *__tsan_default_options()
{
    return "ignore_noninstrumented_modules=1";
}
