// Benchmark (not a ctest test): N short Celery tasks submitted and followed to completion
// through Headway (TaskEngine + CeleryDriver), beside Python's own apply_async + result polling
// in the same run against the same private redis-server and worker. Prints Headway's overhead
// per task. Usage: bench_celery [N=1000]
#include "app/cluster/celerydriver.h"
#include "app/cluster/celerytasktype.h"
#include "app/core/taskengine.h"
#include "app/core/tasktyperegistry.h"
#include "clusterfixture.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

// Submits n tasks.noop and runs the event loop until all have succeeded; seconds or -1.
double runHeadway(TaskEngine &engine, int n)
{
    QElapsedTimer timer;
    timer.start();
    QList<QString> ids;
    ids.reserve(n);
    for (int i = 0; i < n; ++i) {
        TaskSpec spec;
        spec.type = u"celery"_s;
        spec.params = QJsonObject { { u"task"_s, u"tasks.noop"_s } };
        const Result<TaskSnapshot> r = engine.submit(spec);
        if (!r.ok()) {
            std::fprintf(stderr, "submit failed: %s\n", qPrintable(r.error().message));
            return -1;
        }
        ids.append(r->id);
    }
    QEventLoop loop;
    QObject::connect(&engine, &TaskEngine::idle, &loop, &QEventLoop::quit);
    QTimer::singleShot(300000, &loop, &QEventLoop::quit);
    if (engine.activeCount() > 0)
        loop.exec();
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    int ok = 0;
    for (const QString &id : ids)
        ok += engine.task(id) && engine.task(id)->state == TaskState::Succeeded;
    if (ok != n) {
        std::fprintf(stderr, "only %d of %d tasks succeeded\n", ok, n);
        return -1;
    }
    return seconds;
}

double runPython(const ClusterFixture &cluster, int n)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"PYTHONPATH"_s, cluster.tasksDir());
    env.insert(u"HEADWAY_BROKER_URL"_s, cluster.brokerUrl().toString());
    p.setProcessEnvironment(env);
    p.start(u"/usr/bin/python3"_s,
            { cluster.tasksDir() + u"/bench_celery_python.py"_s, QString::number(n) });
    if (!p.waitForFinished(300000) || p.exitCode() != 0) {
        std::fprintf(stderr, "python failed: %s\n", p.readAllStandardError().constData());
        return -1;
    }
    const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
    return QJsonDocument::fromJson(lines.last()).object().value(u"seconds"_s).toDouble(-1);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? std::max(1, QByteArray(argv[1]).toInt()) : 1000;
    const QString reason = ClusterFixture::unavailableReason();
    if (!reason.isEmpty()) {
        std::fprintf(stderr, "bench_celery: %s\n", qPrintable(reason));
        return 2;
    }
    ClusterFixture cluster;
    QString error;
    if (!cluster.startRedis(&error) || !cluster.startWorker(u"bench"_s, &error)) {
        std::fprintf(stderr, "bench_celery: %s\n", qPrintable(error));
        return 1;
    }

    TaskTypeRegistry registry;
    registerCeleryTaskType(registry);
    TaskEngine engine(registry);
    CeleryDriver driver(engine);
    driver.setMonitorMode(false); // Python's tasks are not ours to follow
    if (!driver.start(cluster.brokerUrl(), &error)) {
        std::fprintf(stderr, "bench_celery: %s\n", qPrintable(error));
        return 1;
    }
    QEventLoop wait;
    QObject::connect(&driver, &CeleryDriver::connectionChanged, &wait, &QEventLoop::quit);
    QTimer::singleShot(10000, &wait, &QEventLoop::quit);
    if (!driver.isConnected())
        wait.exec();
    if (!driver.isConnected()) {
        std::fprintf(stderr, "bench_celery: could not connect to Redis\n");
        return 1;
    }

    runHeadway(engine, 20); // warm-up: connections, worker pool
    const double py = runPython(cluster, n);
    const double hw = runHeadway(engine, n);
    if (py < 0 || hw < 0)
        return 1;
    std::printf(
        "Celery benchmark: %d short tasks (tasks.noop), 1 worker, concurrency 2, events on\n", n);
    std::printf("  Python apply_async + result polling: %8.1f ms total, %7.3f ms/task\n", py * 1000,
                py * 1000 / n);
    std::printf("  Headway submit + follow:             %8.1f ms total, %7.3f ms/task\n", hw * 1000,
                hw * 1000 / n);
    std::printf("  Headway overhead per task:           %+7.3f ms\n", (hw - py) * 1000 / n);
    return 0;
}
