#pragma once

#include "app/progress/progressoptions.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
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

#ifdef HEADWAY_BINARY
struct HeadwayRun
{
    int status = -1;
    QByteArray out;
    QByteArray err;
};

// `headway ARGS` fed `input` then EOF, to its end.
inline HeadwayRun runHeadway(const QProcessEnvironment &env, const QStringList &args,
                             const QByteArray &input = {})
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(HEADWAY_BINARY), args);
    if (!p.waitForStarted())
        return {};
    p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(60000);
    return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
             p.readAllStandardError() };
}
#endif

// A manifest for `headway run`, in dir; its path, empty when it cannot be written.
inline QString writeManifest(const QTemporaryDir &dir, const QString &name, const QByteArray &json)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(json);
    return path;
}
