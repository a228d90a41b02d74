#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

// A private Celery cluster for tests and the benchmark: a redis-server on a free 127.0.0.1
// port without persistence, and real workers (`/usr/bin/python3 -m celery -A tasks worker -E`)
// running tests/cluster/tasks.py. Everything is stopped by the destructor.
class ClusterFixture final
{
public:
    ClusterFixture();
    ~ClusterFixture();
    Q_DISABLE_COPY_MOVE(ClusterFixture)

    // Why the cluster cannot run here (redis-server or python3-celery missing), or empty.
    static QString unavailableReason();

    bool startRedis(QString *error);
    void stopRedis();
    QUrl brokerUrl() const;
    quint16 port() const { return m_port; }

    // A worker named "<name>@headway-test"; waits until it says ready.
    bool startWorker(const QString &name, QString *error, int concurrency = 2);
    void stopWorker(); // SIGTERM: warm shutdown, the worker says worker-offline
    QString workerHost(const QString &name) const { return name + QStringLiteral("@headway-test"); }
    QString workerLog() const;
    QString tasksDir() const;

private:
    // Output goes to files, not pipes: a process whose pipe nobody drains (the event loop
    // blocked in a benchmark) would stall on its next log line.
    static bool waitFor(QProcess &process, const QString &logFile, const QByteArray &needle,
                        int timeoutMs);
    static QByteArray readLog(const QString &logFile);

    QTemporaryDir m_dir;

    quint16 m_port = 0;
    std::unique_ptr<QProcess> m_redis;
    std::unique_ptr<QProcess> m_worker;
    int m_workers = 0;
};
