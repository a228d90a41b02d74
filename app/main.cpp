#include "app/application.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int main(int argc, char *argv[])
{
#if defined(__GLIBC__)
    // Buffers of a megabyte and more (a full update of a big history, its WebSocket frames, an
    // upload chunk) are mapped and unmapped on their own: glibc's moving threshold would
    // otherwise serve them from the heap after the first one, which keeps them as RSS.
    mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
#endif
    return Application::run(argc, argv);
}
