#include "taskstore.h"

#include "app/core/privatedir.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QThread>

#include <algorithm>
#include <atomic>

using namespace Qt::StringLiterals;

namespace {
std::atomic<quint64> s_connectionCount { 0 };

QString sqlErrorText(const QSqlError &error)
{
    return error.databaseText().isEmpty() ? error.text() : error.databaseText();
}

bool exec(QSqlQuery &query, const QString &sql, QString *error)
{
    if (query.exec(sql))
        return true;
    *error = sqlErrorText(query.lastError());
    return false;
}

// Why one JSON column plus a few indexed ones rather than a column per field:
// TaskSnapshot::toJson() already is the one representation every reader (API, sync, UI)
// uses, so storing it whole means a new snapshot field needs no migration and the store can
// never disagree with the API. The columns that queries filter or sort on (state, type,
// created) are kept beside it and indexed. `snapshot` is TEXT (not BLOB) so that SQLite's
// json_extract() works on it from the sqlite3 shell.
struct Migration
{
    int toVersion;
    QList<const char *> statements;
};

const QList<Migration> &migrations()
{
    static const QList<Migration> all {
        { 1,
          {
              "CREATE TABLE tasks ("
              " id TEXT PRIMARY KEY NOT NULL," // UUID without braces
              " state TEXT NOT NULL," // taskStateName()
              " type TEXT NOT NULL,"
              " created INTEGER," // ms since the epoch (UTC), NULL if unknown
              " snapshot TEXT NOT NULL)", // TaskSnapshot::toJson(), compact
              "CREATE INDEX tasks_state ON tasks (state)",
              "CREATE INDEX tasks_type ON tasks (type)",
              "CREATE INDEX tasks_created ON tasks (created)",
          } },
    };
    return all;
}

std::optional<TaskSnapshot> parseSnapshot(const QString &text)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (!doc.isObject())
        return std::nullopt;
    return TaskSnapshot::fromJson(doc.object());
}

QString toJsonText(const TaskSnapshot &task)
{
    return QString::fromUtf8(QJsonDocument(task.toJson()).toJson(QJsonDocument::Compact));
}

// Lists the stored tasks through `db`, in creation order (rowid breaks ties: upserts keep it).
QList<TaskSnapshot> readAll(QSqlDatabase &db, const QString &filePath)
{
    QList<TaskSnapshot> tasks;
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.exec(u"SELECT id, snapshot FROM tasks ORDER BY created, rowid"_s)) {
        qWarning("Cannot read the task store %s: %s", qUtf8Printable(filePath),
                 qUtf8Printable(sqlErrorText(query.lastError())));
        return tasks;
    }
    while (query.next()) {
        if (auto task = parseSnapshot(query.value(1).toString()))
            tasks.append(std::move(*task));
        else
            qWarning("Skipping unreadable task %s in %s", qUtf8Printable(query.value(0).toString()),
                     qUtf8Printable(filePath));
    }
    return tasks;
}
} // namespace

TaskStore::TaskStore(QObject *parent) : TaskTracker(parent) { }

TaskStore::~TaskStore()
{
    close();
}

QString TaskStore::defaultFilePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/tasks.sqlite"_s;
}

bool TaskStore::open(const QString &filePath, QString *errorMessage)
{
    close();
    m_interruptedOnOpen = 0;
    const auto fail = [&](const QString &message) {
        if (errorMessage)
            *errorMessage = message;
        return false;
    };

    if (filePath.trimmed().isEmpty())
        return fail(tr("No file was given for the task store."));
    if (!QSqlDatabase::isDriverAvailable(u"QSQLITE"_s))
        return fail(
            tr("Cannot open the task store: Qt's SQLite driver (QSQLITE) is not installed."));

    QString error;
    const QFileInfo info(filePath);
    const QString path = info.absoluteFilePath();
    const QString shown = QDir::toNativeSeparators(path);
    if (info.isDir())
        return fail(tr("Cannot open the task store %1: it is a folder, not a file.").arg(shown));
    if (!QDir().mkpath(info.absolutePath()))
        return fail(tr("Cannot open the task store %1: cannot create the folder %2.")
                        .arg(shown, QDir::toNativeSeparators(info.absolutePath())));
    if (info.exists() && (!info.isReadable() || !info.isWritable()))
        return fail(
            tr("Cannot open the task store %1: the file is not readable and writable.").arg(shown));
    // Never through a link, never someone else's file; a new store is made 0600 before SQLite
    // opens it, and SQLite gives its -wal and -shm files the mode of the store.
    for (const QString &suffix : { u""_s, u"-wal"_s, u"-shm"_s, u"-journal"_s }) {
        if (!PrivateDir::checkFile(path + suffix, &error))
            return fail(error);
    }
    if (!PrivateDir::createFile(path, &error))
        return fail(error);

    m_readerConnection = u"headway-taskstore-reader-%1"_s.arg(++s_connectionCount);
    m_readerThread = QThread::currentThread();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_readerConnection);
        db.setDatabaseName(path);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (!db.open())
            error = sqlErrorText(db.lastError());
        else
            prepareDatabase(db, &error);
    }
    if (!error.isEmpty()) {
        removeReaderConnection();
        return fail(tr("Cannot open the task store %1: %2").arg(shown, error));
    }

    m_writer = std::make_unique<TaskStoreWriter>(path);
    connect(m_writer.get(), &TaskStoreWriter::writeFailed, this, &TaskStore::writeFailed);
    if (!m_writer->startWriting(&error)) {
        m_writer.reset();
        removeReaderConnection();
        return fail(error);
    }
    m_filePath = path;
    return true;
}

bool TaskStore::prepareDatabase(QSqlDatabase &db, QString *error)
{
    QSqlQuery query(db);
    // The first read also tells a file that is not an SQLite database.
    if (!exec(query, u"PRAGMA user_version"_s, error) || !query.next()) {
        if (error->isEmpty())
            *error = tr("cannot read the schema version.");
        return false;
    }
    const int version = query.value(0).toInt();
    query.finish();
    if (version > SchemaVersion) {
        *error = tr("it was written by a newer version of Headway (schema version %1; this version "
                    "understands up to %2). The file was left unchanged: use a newer Headway or "
                    "another file.")
                     .arg(version)
                     .arg(SchemaVersion);
        return false;
    }
    if (version < 0) {
        *error
            = tr("its schema version %1 is not valid. The file was left unchanged.").arg(version);
        return false;
    }
    // Migrate before switching to WAL, so a failed migration leaves the file as it was.
    if (version < SchemaVersion && !migrate(db, version, error))
        return false;

    // The schema this version writes to must really be there (a hand-made file may lie).
    if (!exec(query, u"PRAGMA table_info(tasks)"_s, error))
        return false;
    QSet<QString> columns;
    while (query.next())
        columns.insert(query.value(1).toString());
    query.finish();
    for (const QString &column : { u"id"_s, u"state"_s, u"type"_s, u"created"_s, u"snapshot"_s }) {
        if (!columns.contains(column)) {
            *error = tr("its table \"tasks\" has no column \"%1\" (schema version %2). The file "
                        "was left unchanged.")
                         .arg(column)
                         .arg(version);
            return false;
        }
    }

    // WAL: the writer commits without blocking readers. The mode is stored in the file.
    if (!exec(query, u"PRAGMA journal_mode = WAL"_s, error))
        return false;
    if (query.next() && query.value(0).toString().compare(u"wal"_s, Qt::CaseInsensitive) != 0)
        qWarning("The task store %s cannot use WAL (journal mode %s); writes will be slower",
                 qUtf8Printable(db.databaseName()), qUtf8Printable(query.value(0).toString()));
    query.finish();
    if (!exec(query, u"PRAGMA synchronous = NORMAL"_s, error))
        return false;

    return recoverInterrupted(db, error);
}

bool TaskStore::migrate(QSqlDatabase &db, int fromVersion, QString *error)
{
    if (!db.transaction()) {
        *error = sqlErrorText(db.lastError());
        return false;
    }
    QSqlQuery query(db);
    int version = fromVersion;
    for (const Migration &migration : migrations()) {
        if (migration.toVersion <= version)
            continue;
        for (const char *statement : migration.statements) {
            if (!exec(query, QLatin1String(statement), error)) {
                *error = tr("cannot upgrade it from schema version %1 to %2 (%3). The file was "
                            "left unchanged.")
                             .arg(version)
                             .arg(migration.toVersion)
                             .arg(*error);
                query.finish();
                db.rollback();
                return false;
            }
        }
        version = migration.toVersion;
    }
    // user_version lives in the file header and is part of the transaction.
    if (!exec(query, u"PRAGMA user_version = %1"_s.arg(version), error) || !db.commit()) {
        if (error->isEmpty())
            *error = sqlErrorText(db.lastError());
        query.finish();
        db.rollback();
        return false;
    }
    return true;
}

bool TaskStore::recoverInterrupted(QSqlDatabase &db, QString *error)
{
    if (!db.transaction()) {
        *error = sqlErrorText(db.lastError());
        return false;
    }
    QList<TaskSnapshot> leftRunning;
    {
        QSqlQuery select(db);
        select.setForwardOnly(true);
        if (!exec(select, u"SELECT id, snapshot FROM tasks WHERE state IN ('running', 'paused')"_s,
                  error)) {
            db.rollback();
            return false;
        }
        while (select.next()) {
            if (auto task = parseSnapshot(select.value(1).toString()))
                leftRunning.append(std::move(*task));
            else
                qWarning("Skipping unreadable task %s in %s",
                         qUtf8Printable(select.value(0).toString()),
                         qUtf8Printable(db.databaseName()));
        }
    }
    QSqlQuery update(db);
    if (!update.prepare(u"UPDATE tasks SET state = ?, snapshot = ? WHERE id = ?"_s)) {
        *error = sqlErrorText(update.lastError());
        db.rollback();
        return false;
    }
    for (TaskSnapshot &task : leftRunning) {
        // The last progress stays as it was stored: that is what the user last saw.
        task.state = TaskState::Interrupted;
        task.error = TaskError { u"interrupted"_s,
                                 tr("Headway stopped while this task was running."),
                                 {} };
        update.bindValue(0, taskStateName(task.state));
        update.bindValue(1, toJsonText(task));
        update.bindValue(2, task.id);
        if (!update.exec()) {
            *error = sqlErrorText(update.lastError());
            update.finish();
            db.rollback();
            return false;
        }
    }
    update.finish();
    if (!db.commit()) {
        *error = sqlErrorText(db.lastError());
        db.rollback();
        return false;
    }
    m_interruptedOnOpen = int(leftRunning.size());
    return true;
}

bool TaskStore::isOpen() const
{
    return m_writer != nullptr;
}

QList<TaskSnapshot> TaskStore::loadAll() const
{
    if (!m_writer)
        return {};
    m_writer->flush();
    if (QThread::currentThread() == m_readerThread) {
        QSqlDatabase db = QSqlDatabase::database(m_readerConnection, false);
        return readAll(db, m_filePath);
    }
    // A connection may only be used by the thread that made it: other threads get their own.
    const QString name = u"headway-taskstore-reader-%1"_s.arg(++s_connectionCount);
    QList<TaskSnapshot> tasks;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(m_filePath);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000;QSQLITE_OPEN_READONLY"_s);
        if (db.open())
            tasks = readAll(db, m_filePath);
        else
            qWarning("Cannot read the task store %s: %s", qUtf8Printable(m_filePath),
                     qUtf8Printable(sqlErrorText(db.lastError())));
    }
    QSqlDatabase::removeDatabase(name);
    return tasks;
}

void TaskStore::tasksChanged(const TaskEvents &events)
{
    if (m_writer) {
        m_writer->enqueue(events);
        // A new task, a transition or a removal is committed before this returns, so before
        // the trackers added after the store (the server's push) hand it to clients: what a
        // client was told survives a kill -9 (tests/faults). Progress stays asynchronous.
        if (std::any_of(events.cbegin(), events.cend(),
                        [](const TaskEvent &e) { return e.kind != TaskEvent::Kind::Progress; }))
            m_writer->flush();
    } else if (!events.isEmpty())
        qWarning("TaskStore: %lld task change(s) ignored, the store is not open",
                 qlonglong(events.size()));
}

void TaskStore::flush()
{
    if (m_writer)
        m_writer->flush();
}

void TaskStore::close()
{
    if (m_writer) {
        m_writer->stop(); // writes everything pending first
        m_writer.reset();
    }
    removeReaderConnection();
    m_filePath.clear();
}

void TaskStore::removeReaderConnection()
{
    if (m_readerConnection.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_readerConnection, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_readerConnection);
    m_readerConnection.clear();
    m_readerThread = nullptr;
}

QString TaskStore::filePath() const
{
    return m_filePath;
}

int TaskStore::interruptedOnOpen() const
{
    return m_interruptedOnOpen;
}

TaskStoreWriter::Stats TaskStore::stats() const
{
    return m_writer ? m_writer->stats() : TaskStoreWriter::Stats {};
}
