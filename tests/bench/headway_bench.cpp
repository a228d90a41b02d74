// headway_bench: the task engine's benchmark figures (issue 2), printed, never asserted.
//   1. trivial tasks/s through the engine with the SQLite store on
//   2. progress-reporting overhead: 10^7 TaskContext::setProcessed() vs the same loop without
//   3. checksum MB/s of the real `checksum` task beside `sha256sum` on the same file
// --quick uses tiny sizes (the bench_smoke test); the exit code is non-zero only when a
// measurement could not be made (tasks lost, digests differ), never because of a time.

#include "app/core/taskcontext.h"
#include "app/core/taskengine.h"
#include "app/core/taskrunner.h"
#include "app/core/taskstore.h"
#include "app/core/tasktracker.h"
#include "app/core/tasktyperegistry.h"
#include "historyfill.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <cstdio>
#include <random>

using namespace Qt::StringLiterals;

namespace {

constexpr double TargetTasksPerSecond = 14000;
constexpr double CeleryTasksPerSecond = 1427; // ../shared/peers/RESULTS.md, section d
constexpr double TargetOverhead = 1.05;
constexpr double TargetChecksumRatio = 0.95;

// The cheapest possible task: it ends at once.
class NoopTask final : public TaskRunner
{
public:
    TaskOutcome run(TaskContext &) override { return TaskOutcome::success(); }
};

void registerNoopType(TaskTypeRegistry &registry)
{
    TaskType t;
    t.name = u"bench_noop"_s;
    t.title = u"No-op"_s;
    t.schema = QJsonObject { { u"type"_s, u"object"_s }, { u"properties"_s, QJsonObject() } };
    t.create = [](const QJsonObject &) -> std::unique_ptr<TaskRunner> {
        return std::make_unique<NoopTask>();
    };
    registry.add(std::move(t));
}

// Counts tasks whose success has been delivered to trackers. Added after the store, it is told
// of each batch right after the store, so when it has seen them all the store has too.
class FinishedCounter final : public TaskTracker
{
public:
    void tasksChanged(const TaskEvents &events) override
    {
        for (const TaskEvent &e : events)
            if (e.kind == TaskEvent::Kind::StateChanged && isFinished(e.task.state))
                ++finished;
    }
    int finished = 0;
};

// Runs the event loop until the engine reports idle (or the deadline passes).
bool waitIdle(TaskEngine &engine, int timeoutMs)
{
    if (engine.activeCount() == 0)
        return true;
    QEventLoop loop;
    QObject::connect(&engine, &TaskEngine::idle, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return engine.activeCount() == 0;
}

void line(const char *name, const QString &value, const QString &target)
{
    std::printf("%-44s %-52s %s\n", name, qPrintable(value), qPrintable(target));
    std::fflush(stdout);
}

// ---- 1. tasks/s with the store on ----
bool benchThroughput(int count)
{
    QTemporaryDir dir;
    TaskStore store;
    QString error;
    if (!dir.isValid() || !store.open(dir.filePath(u"tasks.sqlite"_s), &error)) {
        std::fprintf(stderr, "cannot open the store: %s\n", qPrintable(error));
        return false;
    }
    TaskTypeRegistry registry;
    registerNoopType(registry);
    EngineOptions options;
    options.dataDir = dir.path();
    TaskEngine engine(registry, options);
    engine.addTracker(&store, 1);
    FinishedCounter counter;
    engine.addTracker(&counter, 1);

    TaskSpec spec;
    spec.type = u"bench_noop"_s;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < count; ++i) {
        if (!engine.submit(spec)) {
            std::fprintf(stderr, "submit failed\n");
            return false;
        }
    }
    const qint64 submitNs = timer.nsecsElapsed();
    const bool idle = waitIdle(engine, 120000);
    // The engine is idle; its last events are still on their way to the trackers.
    QElapsedTimer guard;
    guard.start();
    while (counter.finished < count && guard.elapsed() < 60000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    store.flush(); // committed to SQLite
    const double seconds = double(timer.nsecsElapsed()) / 1e9;

    int succeeded = 0;
    for (const TaskSnapshot &t : engine.tasks())
        succeeded += t.state == TaskState::Succeeded ? 1 : 0;
    const int stored = int(store.loadAll().size());
    const double rate = succeeded / seconds;
    line("engine+store: trivial tasks/s",
         u"%1 /s (%2 tasks in %3 s)"_s.arg(rate, 0, 'f', 0).arg(succeeded).arg(seconds, 0, 'f', 3),
         u"target >= %1; Celery peer (recorded) %2; x%3 of Celery"_s
             .arg(TargetTasksPerSecond, 0, 'f', 0)
             .arg(CeleryTasksPerSecond, 0, 'f', 0)
             .arg(rate / CeleryTasksPerSecond, 0, 'f', 1));
    line("  (submit alone; rows in store)",
         u"%1 /s; %2 rows"_s.arg(count / (double(submitNs) / 1e9), 0, 'f', 0).arg(stored),
         QString());
    engine.shutdown();
    return idle && succeeded == count && stored == count;
}

// ---- 2. progress-reporting overhead ----
// A small fixed piece of work per iteration; the asm barrier keeps the compiler from folding
// or deleting the loop, and keeps both variants the same shape.
template<bool Report>
__attribute__((noinline)) quint64 workLoop(TaskContext *context, qint64 iterations)
{
    quint64 x = 0x9E3779B97F4A7C15ull;
    for (qint64 i = 0; i < iterations; ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x += quint64(i);
        asm volatile("" : "+r"(x));
        if constexpr (Report)
            context->setProcessed(i);
    }
    return x;
}

double bestNs(int repeats, const std::function<void()> &fn)
{
    double best = 1e300;
    for (int r = 0; r < repeats; ++r) {
        QElapsedTimer t;
        t.start();
        fn();
        best = std::min(best, double(t.nsecsElapsed()));
    }
    return best;
}

bool benchProgressOverhead(qint64 iterations)
{
    TaskContext context;
    TaskContext *volatile ctx = &context; // opaque to the optimizer
    volatile quint64 sink = 0;
    // Warm up, then alternate best-of-5 so frequency changes hit both alike.
    sink = sink + workLoop<false>(ctx, iterations / 10) + workLoop<true>(ctx, iterations / 10);
    double plain = 1e300, reported = 1e300;
    for (int r = 0; r < 5; ++r) {
        plain = std::min(plain, bestNs(1, [&] { sink = sink + workLoop<false>(ctx, iterations); }));
        reported
            = std::min(reported, bestNs(1, [&] { sink = sink + workLoop<true>(ctx, iterations); }));
    }
    const double ratio = reported / plain;
    line("progress overhead (setProcessed per iter)",
         u"x%1 (%2 ms vs %3 ms, %4 iterations)"_s.arg(ratio, 0, 'f', 3)
             .arg(reported / 1e6, 0, 'f', 1)
             .arg(plain / 1e6, 0, 'f', 1)
             .arg(iterations),
         u"target <= x%1"_s.arg(TargetOverhead, 0, 'f', 2));
    line("  (ns per report)", u"%1 ns"_s.arg((reported - plain) / double(iterations), 0, 'f', 2),
         QString());
    return context.processed() == iterations - 1;
}

// ---- 3. checksum vs sha256sum ----
bool writeFile(const QString &path, qint64 bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    std::mt19937_64 rng(42);
    QByteArray block(1 << 20, Qt::Uninitialized);
    auto *words = reinterpret_cast<quint64 *>(block.data());
    for (qint64 written = 0; written < bytes;) {
        for (qsizetype i = 0; i < block.size() / 8; ++i)
            words[i] = rng();
        const qint64 n = std::min<qint64>(block.size(), bytes - written);
        if (file.write(block.constData(), n) != n)
            return false;
        written += n;
    }
    return file.flush();
}

bool benchChecksum(qint64 bytes)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"data.bin"_s);
    if (!dir.isValid() || !writeFile(path, bytes)) {
        std::fprintf(stderr, "cannot write the test file\n");
        return false;
    }
    const QString sha256sum = QStandardPaths::findExecutable(u"sha256sum"_s);

    TaskTypeRegistry registry;
    registerBuiltinTaskTypes(registry);
    TaskEngine engine(registry);
    TaskSpec spec;
    spec.type = u"checksum"_s;
    spec.params = QJsonObject { { u"path"_s, path }, { u"algorithm"_s, u"sha256"_s } };

    QString ourDigest, theirDigest;
    auto runOurs = [&] {
        const auto submitted = engine.submit(spec);
        if (!submitted || !waitIdle(engine, 300000))
            return;
        const auto task = engine.task(submitted.value().id);
        if (task && task->state == TaskState::Succeeded)
            ourDigest = task->result.toObject().value(u"digest"_s).toString();
    };
    auto runTheirs = [&] {
        QProcess p;
        p.start(sha256sum, { path });
        p.waitForFinished(300000);
        theirDigest = QString::fromLatin1(p.readAllStandardOutput()).section(u' ', 0, 0);
    };
    if (!sha256sum.isEmpty())
        runTheirs(); // warms the page cache for both
    const double oursNs = bestNs(3, runOurs);
    const double theirsNs = sha256sum.isEmpty() ? 0 : bestNs(3, runTheirs);
    const double mb = double(bytes) / 1e6;
    const double ours = mb / (oursNs / 1e9);
    if (sha256sum.isEmpty()) {
        line("checksum sha256 MB/s", u"%1 MB/s (no sha256sum to compare)"_s.arg(ours, 0, 'f', 0),
             QString());
        return !ourDigest.isEmpty();
    }
    const double theirs = mb / (theirsNs / 1e9);
    line("checksum sha256 MB/s vs sha256sum",
         u"%1 vs %2 MB/s = x%3 (%4 MiB, best of 3)"_s.arg(ours, 0, 'f', 0)
             .arg(theirs, 0, 'f', 0)
             .arg(ours / theirs, 0, 'f', 3)
             .arg(bytes >> 20),
         u"target >= x%1"_s.arg(TargetChecksumRatio, 0, 'f', 2));
    if (ourDigest != theirDigest) {
        std::fprintf(stderr, "digests differ: %s vs %s\n", qPrintable(ourDigest),
                     qPrintable(theirDigest));
        return false;
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Headway engine benchmarks (figures, not assertions)."_s);
    parser.addHelpOption();
    const QCommandLineOption quick(u"quick"_s, u"Tiny sizes: a smoke run."_s);
    const QCommandLineOption tasks(u"tasks"_s, u"Trivial tasks to run (default 50000)."_s, u"n"_s);
    const QCommandLineOption mib(u"mib"_s, u"Checksum file size in MiB (default 512)."_s, u"n"_s);
    const QCommandLineOption fill(u"fill-store"_s,
                                  u"Only write <n> finished tasks into the store FILE (the "
                                  u"positional argument) and exit."_s,
                                  u"n"_s);
    parser.addOptions({ quick, tasks, mib, fill });
    parser.process(app);
    if (parser.isSet(fill)) {
        if (parser.positionalArguments().size() != 1) {
            std::fprintf(stderr, "usage: headway_bench --fill-store N FILE\n");
            return 2;
        }
        return fillHistory(parser.positionalArguments().constFirst(), parser.value(fill).toInt())
            ? 0
            : 1;
    }

    const bool q = parser.isSet(quick);
    const int taskCount = parser.isSet(tasks) ? parser.value(tasks).toInt() : (q ? 2000 : 50000);
    const qint64 iterations = q ? 1000000 : 10000000;
    const qint64 fileBytes = qint64(parser.isSet(mib) ? parser.value(mib).toInt() : (q ? 8 : 512))
        << 20;

    std::printf("%-44s %-52s %s\n", "benchmark", "measured", "goal / reference");
    bool ok = benchThroughput(taskCount);
    ok = benchProgressOverhead(iterations) && ok;
    ok = benchChecksum(fileBytes) && ok;
    return ok ? 0 : 1;
}
