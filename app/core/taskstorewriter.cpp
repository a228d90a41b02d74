#include "taskstorewriter.h"

#include "tsanhandover.h"

#include <QJsonDocument>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <atomic>

using namespace Qt::StringLiterals;

namespace {
std::atomic<quint64> s_writerCount { 0 };

QString sqlErrorText(const QSqlError &error)
{
    return error.databaseText().isEmpty() ? error.text() : error.databaseText();
}

// Only state and snapshot change after a row is created: updating just those leaves the type
// and created indexes untouched, which keeps each progress/state write to two index updates.
constexpr auto kUpsertSql
    = "INSERT INTO tasks (id, state, type, created, snapshot) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT(id) DO UPDATE SET state = excluded.state, snapshot = excluded.snapshot";
constexpr auto kDeleteSql = "DELETE FROM tasks WHERE id = ?";
} // namespace

TaskStoreWriter::TaskStoreWriter(const QString &filePath, QObject *parent)
    : QThread(parent), m_filePath(filePath),
      m_connectionName(u"headway-taskstore-writer-%1"_s.arg(++s_writerCount))
{
    setObjectName(u"TaskStoreWriter"_s);
}

TaskStoreWriter::~TaskStoreWriter()
{
    stop();
}

bool TaskStoreWriter::startWriting(QString *errorMessage)
{
    {
        std::unique_lock lock(m_mutex);
        m_stopRequested = false;
        m_startResult.reset();
        m_running = true;
    }
    start();
    std::unique_lock lock(m_mutex);
    while (!m_startResult)
        m_batchDone.wait(lock);
    if (!*m_startResult && errorMessage)
        *errorMessage = m_startError;
    const bool ok = *m_startResult;
    lock.unlock();
    if (!ok) {
        wait();
        TsanHandover::acquire(this);
    }
    return ok;
}

void TaskStoreWriter::enqueue(const TaskEvents &events)
{
    if (events.isEmpty())
        return;
    std::unique_lock lock(m_mutex);
    if (!m_running || m_stopRequested)
        return;
    for (const TaskEvent &event : events) {
        const QString &id = event.task.id;
        if (id.isEmpty())
            continue;
        std::optional<TaskSnapshot> snapshot;
        if (event.kind != TaskEvent::Kind::Removed)
            snapshot = event.task;
        // Latest wins: an upsert replaces an earlier one, a removal replaces both.
        const auto it = m_pendingIndex.constFind(id);
        if (it != m_pendingIndex.constEnd()) {
            m_pending[*it].snapshot = std::move(snapshot);
        } else {
            m_pendingIndex.insert(id, m_pending.size());
            m_pending.append(PendingWrite { id, std::move(snapshot) });
        }
    }
    m_stats.events += events.size();
    ++m_handedOver;
    m_wakeWriter.notify_one();
}

void TaskStoreWriter::flush()
{
    std::unique_lock lock(m_mutex);
    const quint64 target = m_handedOver;
    while (m_running && m_written < target)
        m_batchDone.wait(lock);
}

void TaskStoreWriter::stop()
{
    {
        std::unique_lock lock(m_mutex);
        if (!m_running)
            return;
        m_stopRequested = true;
        m_wakeWriter.notify_one();
    }
    wait();
    TsanHandover::acquire(this); // the thread released it as it ended
}

TaskStoreWriter::Stats TaskStoreWriter::stats() const
{
    std::unique_lock lock(m_mutex);
    return m_stats;
}

void TaskStoreWriter::reportStarted(bool ok, const QString &error)
{
    std::unique_lock lock(m_mutex);
    m_startResult = ok;
    m_startError = error;
    if (!ok)
        m_running = false;
    m_batchDone.notify_all();
}

void TaskStoreWriter::run()
{
    // Last of all, however run() ends: the joiner (wait()) acquires it.
    const auto joined = qScopeGuard([this] { TsanHandover::release(this); });
    // The connection is created, used and destroyed in this thread only (a Qt Sql rule).
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
        db.setDatabaseName(m_filePath);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
        QSqlQuery upsert(db);
        QSqlQuery remove(db);
        QString error;
        if (!db.open()) {
            error = sqlErrorText(db.lastError());
        } else {
            QSqlQuery pragma(db);
            // WAL is persistent in the file (set at open); synchronous is per connection.
            // NORMAL in WAL mode: a commit survives a crash of the process, and only a power
            // loss can lose the last commits, never corrupt the file.
            if (!pragma.exec(u"PRAGMA synchronous = NORMAL"_s))
                error = sqlErrorText(pragma.lastError());
            else if (!upsert.prepare(QLatin1String(kUpsertSql)))
                error = sqlErrorText(upsert.lastError());
            else if (!remove.prepare(QLatin1String(kDeleteSql)))
                error = sqlErrorText(remove.lastError());
        }
        if (!error.isEmpty()) {
            upsert = QSqlQuery();
            remove = QSqlQuery();
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(m_connectionName);
            reportStarted(false,
                          tr("Cannot start writing the task store %1: %2").arg(m_filePath, error));
            return;
        }
        reportStarted(true, {});

        for (;;) {
            QList<PendingWrite> batch;
            quint64 generation = 0;
            {
                std::unique_lock lock(m_mutex);
                while (m_pending.isEmpty() && !m_stopRequested)
                    m_wakeWriter.wait(lock);
                if (m_pending.isEmpty())
                    break; // stop requested and everything written
                batch.swap(m_pending);
                m_pendingIndex.clear();
                generation = m_handedOver;
            }

            qint64 upserts = 0;
            qint64 deletes = 0;
            error.clear();
            if (!db.transaction()) {
                error = sqlErrorText(db.lastError());
            } else {
                for (const PendingWrite &write : std::as_const(batch)) {
                    if (write.snapshot) {
                        const TaskSnapshot &task = *write.snapshot;
                        upsert.bindValue(0, task.id);
                        upsert.bindValue(1, taskStateName(task.state));
                        upsert.bindValue(2, task.type);
                        upsert.bindValue(3,
                                         task.created.isValid()
                                             ? QVariant(task.created.toMSecsSinceEpoch())
                                             : QVariant(QMetaType::fromType<qint64>()));
                        upsert.bindValue(
                            4,
                            QString::fromUtf8(
                                QJsonDocument(task.toJson()).toJson(QJsonDocument::Compact)));
                        if (!upsert.exec()) {
                            error = sqlErrorText(upsert.lastError());
                            break;
                        }
                        ++upserts;
                    } else {
                        remove.bindValue(0, write.id);
                        if (!remove.exec()) {
                            error = sqlErrorText(remove.lastError());
                            break;
                        }
                        ++deletes;
                    }
                }
                if (error.isEmpty() && !db.commit())
                    error = sqlErrorText(db.lastError());
                if (!error.isEmpty())
                    db.rollback();
            }

            {
                std::unique_lock lock(m_mutex);
                m_written = generation;
                if (error.isEmpty()) {
                    ++m_stats.batches;
                    m_stats.upserts += upserts;
                    m_stats.deletes += deletes;
                } else {
                    ++m_stats.failures;
                }
                m_batchDone.notify_all();
            }
            if (!error.isEmpty()) {
                // The batch is dropped rather than retried forever; the next batches still
                // carry the latest snapshot of every task that changes again.
                const QString message
                    = tr("Could not save %n task change(s) to %1: %2", nullptr, int(batch.size()))
                          .arg(m_filePath, error);
                qWarning("%s", qUtf8Printable(message));
                Q_EMIT writeFailed(message);
            }
        }
        upsert.finish();
        remove.finish();
    }
    QSqlDatabase::removeDatabase(m_connectionName);

    std::unique_lock lock(m_mutex);
    m_running = false;
    m_batchDone.notify_all();
}
