#include "clusterfixture.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTcpServer>

using namespace Qt::StringLiterals;

namespace {
const QString kPython = u"/usr/bin/python3"_s; // Debian's: sees python3-celery
}

ClusterFixture::ClusterFixture() = default;

ClusterFixture::~ClusterFixture()
{
    stopWorker();
    stopRedis();
}

QString ClusterFixture::unavailableReason()
{
    if (QStandardPaths::findExecutable(u"redis-server"_s).isEmpty())
        return u"redis-server is not installed (apt-get install redis-server)"_s;
    if (!QFileInfo::exists(kPython))
        return u"/usr/bin/python3 is missing"_s;
    QProcess p;
    p.start(kPython, { u"-c"_s, u"import celery, redis"_s });
    if (!p.waitForFinished(20000) || p.exitCode() != 0)
        return u"python3-celery/python3-redis are not installed (apt-get install python3-celery python3-redis)"_s;
    return {};
}

QString ClusterFixture::tasksDir() const
{
    return QStringLiteral(HEADWAY_CLUSTER_TASKS_DIR);
}

QByteArray ClusterFixture::readLog(const QString &logFile)
{
    QFile f(logFile);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool ClusterFixture::waitFor(QProcess &process, const QString &logFile, const QByteArray &needle,
                             int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!readLog(logFile).contains(needle)) {
        if (process.state() == QProcess::NotRunning || deadline.hasExpired())
            return false;
        process.waitForFinished(50); // a bounded wait for the log line, not a sync sleep
    }
    return true;
}

bool ClusterFixture::startRedis(QString *error)
{
    if (m_port == 0) {
        // A free port: bind, read it, close. redis-server binds it right after.
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0)) {
            *error = u"no free port"_s;
            return false;
        }
        m_port = probe.serverPort();
    }
    m_redis = std::make_unique<QProcess>();
    const QString log = m_dir.filePath(u"redis.log"_s);
    QFile::remove(log);
    m_redis->setProcessChannelMode(QProcess::MergedChannels);
    m_redis->setStandardOutputFile(log);
    m_redis->start(u"redis-server"_s,
                   { u"--bind"_s, u"127.0.0.1"_s, u"--port"_s, QString::number(m_port), u"--save"_s,
                     u""_s, u"--appendonly"_s, u"no"_s });
    if (!waitFor(*m_redis, log, "Ready to accept connections", 10000)) {
        *error = u"redis-server did not start: "_s + QString::fromUtf8(readLog(log).right(2000));
        return false;
    }
    return true;
}

void ClusterFixture::stopRedis()
{
    if (!m_redis)
        return;
    m_redis->terminate();
    if (!m_redis->waitForFinished(5000))
        m_redis->kill();
    m_redis->waitForFinished(2000);
    m_redis.reset();
}

QUrl ClusterFixture::brokerUrl() const
{
    return QUrl(u"redis://127.0.0.1:%1/0"_s.arg(m_port));
}

bool ClusterFixture::startWorker(const QString &name, QString *error, int concurrency)
{
    m_worker = std::make_unique<QProcess>();
    const QString log = m_dir.filePath(u"worker%1.log"_s.arg(++m_workers));
    m_worker->setProcessChannelMode(QProcess::MergedChannels);
    m_worker->setStandardOutputFile(log);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"PYTHONPATH"_s, tasksDir());
    env.insert(u"HEADWAY_BROKER_URL"_s, brokerUrl().toString());
    env.insert(u"PYTHONUNBUFFERED"_s, u"1"_s);
    m_worker->setProcessEnvironment(env);
    m_worker->setWorkingDirectory(tasksDir());
    m_worker->start(kPython,
                    { u"-m"_s, u"celery"_s, u"-A"_s, u"tasks"_s, u"worker"_s, u"-E"_s,
                      u"--concurrency=%1"_s.arg(concurrency), u"--loglevel=info"_s, u"-n"_s,
                      workerHost(name), u"--without-mingle"_s, u"--without-gossip"_s });
    if (!waitFor(*m_worker, log, " ready.", 30000)) {
        *error
            = u"the Celery worker did not start: "_s + QString::fromUtf8(readLog(log).right(3000));
        return false;
    }
    return true;
}

void ClusterFixture::stopWorker()
{
    if (!m_worker)
        return;
    m_worker->terminate();
    if (!m_worker->waitForFinished(15000))
        m_worker->kill();
    m_worker->waitForFinished(2000);
    m_worker.reset();
}

QString ClusterFixture::workerLog() const
{
    return QString::fromUtf8(readLog(m_dir.filePath(u"worker%1.log"_s.arg(m_workers))));
}
