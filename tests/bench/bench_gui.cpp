// bench_gui: the longest main-thread stall of the desktop UI while 200 tasks update at once
// (issue 4: "no main-thread stall exceeds 16 ms"). A MainWindow over a real engine; a 1 ms
// precise timer on the main thread records the gaps between its ticks; a gap beyond the 1 ms
// interval is time the event loop could not run. Prints figures; never a timed assertion.
// Run under QT_QPA_PLATFORM=offscreen (run.sh does) or on a real display.
// --serve poll|upload (issue 18): the window and the web server in one process, as `headway`
// runs them; the stall while `wrk -c50` polls one task, or while a 1 GiB tus upload runs.

#include "app/core/taskengine.h"
#include "app/core/taskstore.h"
#include "app/core/tasktyperegistry.h"
#include "app/server/serverthread.h"
#include "historyfill.h"
#include "tusupload.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonObject>
#include <QListView>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

// Records the gaps between 1 ms ticks of the main thread's event loop.
class StallProbe
{
public:
    StallProbe()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            if (m_last >= 0) {
                m_gapsMs.push_back(double(now - m_last) / 1e6);
                m_atMs.push_back(double(m_last) / 1e6);
            }
            m_last = now;
        });
    }
    void start()
    {
        m_gapsMs.clear();
        m_atMs.clear();
        m_last = -1;
        m_clock.start();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    // Stall = gap beyond the 1 ms interval.
    std::vector<double> stalls() const
    {
        std::vector<double> s;
        s.reserve(m_gapsMs.size());
        for (double g : m_gapsMs)
            s.push_back(std::max(0.0, g - 1.0));
        std::sort(s.begin(), s.end());
        return s;
    }

    // "at+T ms: S ms" for the n longest stalls, T from start(): where to look.
    QString worst(int n) const
    {
        std::vector<size_t> idx(m_gapsMs.size());
        for (size_t i = 0; i < idx.size(); ++i)
            idx[i] = i;
        std::sort(idx.begin(), idx.end(),
                  [this](size_t a, size_t b) { return m_gapsMs[a] > m_gapsMs[b]; });
        QStringList out;
        for (size_t i = 0; i < std::min(idx.size(), size_t(n)); ++i)
            out << u"at+%1ms:%2ms"_s.arg(m_atMs[idx[i]], 0, 'f', 0)
                       .arg(m_gapsMs[idx[i]] - 1.0, 0, 'f', 1);
        return out.join(u' ');
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = -1;
    std::vector<double> m_gapsMs;
    std::vector<double> m_atMs;
};

void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

double percentile(const std::vector<double> &sorted, double p)
{
    if (sorted.empty())
        return 0;
    const size_t i = std::min(sorted.size() - 1, size_t(p / 100.0 * double(sorted.size())));
    return sorted[i];
}

void report(const char *phase, const std::vector<double> &s, double budgetMs)
{
    const auto over
        = std::count_if(s.begin(), s.end(), [budgetMs](double v) { return v > budgetMs; });
    std::printf(
        "%-28s ticks=%zu stall_max_ms=%.2f stall_p99_ms=%.2f stall_p999_ms=%.2f over_%.0fms=%td\n",
        phase, s.size(), s.empty() ? 0.0 : s.back(), percentile(s, 99), percentile(s, 99.9),
        budgetMs, over);
    std::fflush(stdout);
}

// --history N (issue 18, big histories): N finished tasks written through TaskStore, restored
// as the app does, then the window's task list scrolled from top to bottom in steps of a third
// of a page every 16 ms (a fast wheel) and back with page jumps; the longest stall is the figure.
int runHistory(int count, double budgetMs)
{
    QTemporaryDir dir;
    const QString file = dir.filePath(u"tasks.sqlite"_s);
    if (!fillHistory(file, count))
        return 1;
    TaskTypeRegistry registry;
    registerBuiltinTaskTypes(registry);
    TaskEngine engine(registry, EngineOptions {});
    TaskStore store;
    QString error;
    if (!store.open(file, &error)) {
        std::fprintf(stderr, "bench_gui: %s\n", qPrintable(error));
        return 1;
    }
    QElapsedTimer clock;
    clock.start();
    engine.restore(store.loadAll());
    const double restoreMs = double(clock.nsecsElapsed()) / 1e6;
    int rows = 0;
    {
        MainWindow window(engine);
        window.setQuitConfirmation([](int) { return true; });
        window.resize(1200, 800);
        clock.restart();
        window.show();
        auto *view = window.findChild<QListView *>();
        if (!view || !view->model()) {
            std::fprintf(stderr, "bench_gui: the window has no task list\n");
            return 1;
        }
        while (view->model()->rowCount() < count && clock.elapsed() < 60000)
            spin(5);
        const double shownMs = double(clock.nsecsElapsed()) / 1e6;
        spin(500); // first paint, style and fonts loaded
        rows = view->model()->rowCount();

        QScrollBar *bar = view->verticalScrollBar();
        StallProbe probe;
        // Scheduling noise of this machine at this moment, to read the scroll's figure against.
        probe.start();
        spin(5000);
        probe.stop();
        report("idle window, 5 s (baseline)", probe.stalls(), budgetMs);
        // What one frame of the list costs: the viewport painted whole, synchronously.
        std::vector<double> paints;
        for (int i = 0; i < 50; ++i) {
            QElapsedTimer paint;
            paint.start();
            view->viewport()->repaint();
            paints.push_back(double(paint.nsecsElapsed()) / 1e6);
        }
        std::sort(paints.begin(), paints.end());
        std::printf("the list's viewport (%dx%d) painted whole: median %.2f ms, max %.2f ms\n",
                    view->viewport()->width(), view->viewport()->height(), paints[25],
                    paints.back());
        QEventLoop loop;
        QTimer wheel;
        wheel.setTimerType(Qt::PreciseTimer);
        wheel.setInterval(16);
        int direction = 1;
        int steps = 0;
        QObject::connect(&wheel, &QTimer::timeout, &loop, [&] {
            ++steps;
            if (direction > 0) {
                bar->setValue(bar->value() + std::max(1, bar->pageStep() / 3));
                if (bar->value() >= bar->maximum())
                    direction = -1;
            } else {
                bar->setValue(bar->value() - 2 * bar->pageStep());
                if (bar->value() <= bar->minimum())
                    loop.quit();
            }
        });
        probe.start();
        wheel.start();
        QTimer::singleShot(120000, &loop, &QEventLoop::quit); // bounded
        loop.exec();
        wheel.stop();
        probe.stop();
        const auto s = probe.stalls();
        std::printf("history of %d finished tasks: restore %.0f ms (store read + engine), window "
                    "shows every row after %.0f ms\n",
                    count, restoreMs, shownMs);
        report("scrolling the list", s, budgetMs);
        const double longest = s.empty() ? 0.0 : s.back();
        std::printf("goal: no stall over %.0f ms while scrolling: %s (longest %.1f ms)\n", budgetMs,
                    longest <= budgetMs ? "met" : "NOT met", longest);
        std::printf("scroll steps: %d (scrollbar 0..%d, page %d); longest stalls: %s\n", steps,
                    bar->maximum(), bar->pageStep(), qPrintable(probe.worst(5)));
        std::printf(
            "RESULT history=%d rows=%d restore_ms=%.1f shown_ms=%.1f scroll_stall_max_ms=%.2f "
            "budget_ms=%.0f\n",
            count, rows, restoreMs, shownMs, s.empty() ? 0.0 : s.back(), budgetMs);
    }
    engine.shutdown();
    return rows == count ? 0 : 1;
}

// Shows the window, lets it settle (first paint, style and fonts) and reports a second of its
// idle stalls: the baseline to read the loaded figures against.
void showIdle(MainWindow &window, StallProbe &probe, const char *phase, double budgetMs)
{
    window.setQuitConfirmation([](int) { return true; });
    window.resize(1200, 800);
    window.show();
    spin(1000);
    probe.start();
    spin(1000);
    probe.stop();
    report(phase, probe.stalls(), budgetMs);
}

// Writes `bytes` of incompressible data (an upload the disk cannot shortcut).
bool writeSource(const QString &path, qint64 bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    QByteArray block(8 * 1024 * 1024, Qt::Uninitialized);
    QRandomGenerator rng(42);
    for (qint64 written = 0; written < bytes; written += block.size()) {
        rng.fillRange(reinterpret_cast<quint32 *>(block.data()), block.size() / 4);
        if (f.write(block.constData(), std::min<qint64>(block.size(), bytes - written)) < 0)
            return false;
    }
    return true;
}

// --serve poll|upload: MainWindow and the server (ServerThread) over one engine, as the app
// composes them; a load from outside the main thread (wrk in its own process, or a tus client
// on its own thread), and the main thread's stalls while it runs.
int runServe(const QString &mode, int seconds, qint64 uploadMiB, double budgetMs)
{
    QTemporaryDir dataDir;
    TaskTypeRegistry registry;
    registerBuiltinTaskTypes(registry);
    TaskEngine engine(registry, EngineOptions {});
    ServerOptions serverOptions;
    serverOptions.port = 0;
    serverOptions.dataDir = dataDir.path();
    ServerThread server(engine, serverOptions); // on its own thread, as in `headway`
    QString error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "bench_gui: %s\n", qPrintable(error));
        return 1;
    }
    const QByteArray token = server.token().toUtf8();
    const QByteArray origin = "http://127.0.0.1:" + QByteArray::number(server.port());
    bool ok = false;
    {
        MainWindow window(engine);
        StallProbe probe;
        showIdle(window, probe, "idle window + server", budgetMs);

        QEventLoop loop;
        QTimer::singleShot(600000, &loop, &QEventLoop::quit); // bounded
        QString figure;
        if (mode == u"poll") {
            TaskSpec spec;
            spec.type = u"demo"_s;
            spec.params = QJsonObject { { u"steps"_s, 100000 }, { u"delay_ms"_s, 10 } };
            const Result<TaskSnapshot> task = engine.submit(spec);
            const QString wrk = QStandardPaths::findExecutable(u"wrk"_s);
            if (!task || wrk.isEmpty()) {
                std::fprintf(stderr, "bench_gui: %s\n",
                             wrk.isEmpty() ? "wrk is missing (apt-get install wrk)"
                                           : "submit failed");
                return 1;
            }
            QProcess load;
            QObject::connect(&load, &QProcess::finished, &loop, &QEventLoop::quit);
            probe.start();
            load.start(wrk,
                       { u"-t2"_s, u"-c50"_s, u"-d%1s"_s.arg(seconds), u"--latency"_s, u"-H"_s,
                         u"Authorization: Bearer "_s + QString::fromUtf8(token),
                         QString::fromUtf8(origin) + u"/api/v1/tasks/"_s + task.value().id });
            loop.exec();
            probe.stop();
            const QString output = QString::fromUtf8(load.readAllStandardOutput());
            static const QRegularExpression rps(u"Requests/sec:\\s*([0-9.]+)"_s);
            const auto m = rps.match(output);
            ok = load.exitStatus() == QProcess::NormalExit && load.exitCode() == 0 && m.hasMatch();
            figure = u"wrk -t2 -c50 -d%1s GET /api/v1/tasks/ID: %2 req/s"_s.arg(seconds).arg(
                m.hasMatch() ? m.captured(1) : u"?"_s);
            engine.cancel(task.value().id);
        } else {
            const QString source = dataDir.filePath(u"source.bin"_s);
            const qint64 size = uploadMiB * 1024 * 1024;
            QFile in(source);
            if (!writeSource(source, size) || !in.open(QIODevice::ReadOnly)) {
                std::fprintf(stderr, "bench_gui: cannot write %s\n", qPrintable(source));
                return 1;
            }
            QString failure;
            QElapsedTimer clock;
            probe.start();
            clock.start();
            std::thread client([&] {
                try {
                    HttpConnection http(server.port(), 60000);
                    tusUpload(http, token, u"bench-gui.bin"_s, in, size, 64 * 1024 * 1024,
                              QDeadlineTimer(600000));
                } catch (const HttpConnection::Error &e) {
                    failure = e.message;
                }
                QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection);
            });
            loop.exec();
            client.join();
            probe.stop();
            const double secs = double(clock.nsecsElapsed()) / 1e9;
            ok = failure.isEmpty();
            figure = ok ? u"tus upload of %1 MiB (64 MiB PATCHes): %2 MB/s"_s.arg(uploadMiB).arg(
                         double(size) / 1e6 / secs, 0, 'f', 0)
                        : u"upload failed: "_s + failure;
        }
        const auto s = probe.stalls();
        const QByteArray phase = mode == u"poll" ? "while wrk -c50 polls" : "while uploading";
        report(phase.constData(), s, budgetMs);
        std::printf("%s\nlongest stalls: %s\n", qPrintable(figure), qPrintable(probe.worst(5)));
        const double longest = s.empty() ? 0.0 : s.back();
        std::printf("goal: no main-thread stall over %.0f ms %s: %s (longest %.1f ms)\n", budgetMs,
                    phase.constData(), longest <= budgetMs ? "met" : "NOT met", longest);
        std::printf("RESULT serve=%s stall_max_ms=%.2f stall_p99_ms=%.2f budget_ms=%.0f ok=%d\n",
                    qPrintable(mode), longest, percentile(s, 99), budgetMs, ok ? 1 : 0);
    }
    server.stop(); // before the engine ends, as the app does
    engine.shutdown();
    return ok ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts); // WebEngine in MainWindow
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"HeadwayBench"_s);
    QCoreApplication::setApplicationName(u"bench_gui"_s);
    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir settingsDir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());

    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption tasksOpt(u"tasks"_s, u"Tasks at once (200)."_s, u"n"_s, u"200"_s);
    const QCommandLineOption stepsOpt(u"steps"_s, u"Steps per task (100)."_s, u"n"_s, u"100"_s);
    const QCommandLineOption delayOpt(u"delay-ms"_s, u"Delay per step (20)."_s, u"ms"_s, u"20"_s);
    const QCommandLineOption secondsOpt(u"seconds"_s, u"Measured time (5)."_s, u"s"_s, u"5"_s);
    const QCommandLineOption historyOpt(
        u"history"_s, u"Only scroll the list over <n> finished tasks from the store."_s, u"n"_s);
    const QCommandLineOption serveOpt(
        u"serve"_s,
        u"With the web server in the process: <load> poll (wrk -c50 for --seconds) or upload "
        "(a tus upload of --upload-mib)."_s,
        u"load"_s);
    const QCommandLineOption uploadOpt(u"upload-mib"_s, u"Upload size for --serve upload (1024)."_s,
                                       u"n"_s, u"1024"_s);
    parser.addOptions(
        { tasksOpt, stepsOpt, delayOpt, secondsOpt, historyOpt, serveOpt, uploadOpt });
    parser.process(app);
    if (parser.isSet(historyOpt))
        return runHistory(parser.value(historyOpt).toInt(), 16);
    if (parser.isSet(serveOpt)) {
        const QString load = parser.value(serveOpt);
        if (load != u"poll" && load != u"upload") {
            std::fprintf(stderr, "bench_gui: --serve takes poll or upload\n");
            return 2;
        }
        return runServe(load, parser.value(secondsOpt).toInt(),
                        parser.value(uploadOpt).toLongLong(), 16);
    }
    const int nTasks = parser.value(tasksOpt).toInt();
    const int seconds = parser.value(secondsOpt).toInt();
    constexpr double BudgetMs = 16;

    TaskTypeRegistry registry;
    registerBuiltinTaskTypes(registry);
    EngineOptions options;
    options.concurrency = nTasks;
    TaskEngine engine(registry, options);
    int succeeded = 0;
    {
        MainWindow window(engine);
        StallProbe probe;
        showIdle(window, probe, "idle window (baseline)", BudgetMs);

        TaskSpec spec;
        spec.type = u"demo"_s;
        spec.params = QJsonObject { { u"steps"_s, parser.value(stepsOpt).toInt() },
                                    { u"delay_ms"_s, parser.value(delayOpt).toInt() } };
        QElapsedTimer submitClock;
        submitClock.start();
        for (int i = 0; i < nTasks; ++i) {
            spec.title = u"Task %1"_s.arg(i + 1);
            if (!engine.submit(spec)) {
                std::fprintf(stderr, "bench_gui: submit failed\n");
                return 1;
            }
        }
        const double submitMs = double(submitClock.nsecsElapsed()) / 1e6;
        probe.start(); // measures from the first tick after the bench's own submit loop
        spin(seconds * 1000);
        probe.stop();
        std::printf("submitting %d tasks (bench code, not the UI) took %.1f ms\n", nTasks,
                    submitMs);
        const auto s = probe.stalls();
        report("200 tasks updating", s, BudgetMs);
        std::printf("longest stalls: %s\n", qPrintable(probe.worst(5)));
        for (const TaskSnapshot &t : engine.tasks())
            succeeded += t.state == TaskState::Succeeded ? 1 : 0;
        std::printf("tasks succeeded during the run: %d/%d\n", succeeded, nTasks);
        std::printf("RESULT tasks=%d steps=%d delay_ms=%d seconds=%d stall_max_ms=%.2f "
                    "stall_p99_ms=%.2f budget_ms=%.0f\n",
                    nTasks, parser.value(stepsOpt).toInt(), parser.value(delayOpt).toInt(), seconds,
                    s.empty() ? 0.0 : s.back(), percentile(s, 99), BudgetMs);
    }
    engine.shutdown();
    return succeeded == nTasks ? 0 : 1;
}
