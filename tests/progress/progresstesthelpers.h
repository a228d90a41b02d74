#pragma once

#include "app/progress/progressoptions.h"

#include <QtGlobal>

#include <cerrno>
#include <csignal>

// What the tests of `headway progress` (tests/progress, tests/ui) share.
inline ProgressOptions progressOptions(const QStringList &args)
{
    QString error;
    std::optional<ProgressOptions> o = ProgressOptions::parse(args, &error);
    if (!o)
        qFatal("bad options: %s", qPrintable(error));
    return *o;
}

inline bool processGone(qint64 pid)
{
    return ::kill(pid_t(pid), 0) != 0 && errno == ESRCH;
}
