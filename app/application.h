#pragma once

#include <QString>

// The composition root: parses the command line, then creates the registry, the store, the
// engine, the server and (unless headless) the main window, and hands each what it needs.
// Nothing else in Headway creates these: there are no singletons.
class Application final
{
public:
    static int run(int argc, char *argv[]);
};
