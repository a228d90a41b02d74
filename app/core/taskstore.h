#pragma once

#include "taskstorewriter.h"
#include "tasktracker.h"

#include <QList>
#include <QString>

#include <memory>

class QSqlDatabase;
class QThread;

// Task history in one SQLite file: a tracker the engine feeds (addTracker(&store, 1): state
// changes always, progress at most once a second per task), written by a TaskStoreWriter
// thread in batched transactions, read back at start-up (engine.restore(store.loadAll())).
// New tasks, transitions and removals are committed before tasksChanged() returns (add the
// store as the first tracker: clients never see a state the disk does not have); progress is
// written in the background.
// On open, tasks left running or paused by a process that died become interrupted, keeping
// their last progress, so they can be retried.
//
// Threads: open(), close() and loadAll() belong to the thread that owns the store;
// tasksChanged() and flush() may be called from any thread while the store is open.
class TaskStore final : public TaskTracker
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TaskStore)

public:
    explicit TaskStore(QObject *parent = nullptr);
    ~TaskStore() override; // flushes and stops the writer

    static constexpr int SchemaVersion = 1;

    // <AppDataLocation>/tasks.sqlite, the file the app uses unless told otherwise.
    static QString defaultFilePath();

    // Creates missing folders, migrates the schema (PRAGMA user_version), switches to WAL,
    // turns running/paused rows into interrupted ones and starts the writer thread.
    // Fails with a readable message, without changing the file, when it is not a database,
    // was written by a newer Headway, or cannot be opened.
    bool open(const QString &filePath, QString *errorMessage = nullptr);
    bool isOpen() const;

    // Every stored task in creation order. Waits for what was handed over to be committed, then
    // reads through the store's own reader connection. Rows that cannot be parsed are skipped
    // with a warning.
    QList<TaskSnapshot> loadAll() const;

    // Added/StateChanged/Progress upsert the task, Removed deletes it. Only hands the batch to
    // the writer thread (a mutex, no disk access).
    void tasksChanged(const TaskEvents &events) override;

    // Blocks until everything handed over so far is committed (tests, shutdown).
    void flush();
    // Flushes, stops the writer and closes the connections. Idempotent.
    void close();

    QString filePath() const;
    // How many tasks the last open() turned from running/paused into interrupted.
    int interruptedOnOpen() const;
    TaskStoreWriter::Stats stats() const;

Q_SIGNALS:
    // A batch could not be committed (disk full, file removed...); the message is for people.
    void writeFailed(const QString &message);

private:
    bool prepareDatabase(QSqlDatabase &db, QString *error);
    bool migrate(QSqlDatabase &db, int fromVersion, QString *error);
    bool recoverInterrupted(QSqlDatabase &db, QString *error);
    void removeReaderConnection();

    QString m_filePath;
    QString m_readerConnection;
    QThread *m_readerThread = nullptr;
    std::unique_ptr<TaskStoreWriter> m_writer;
    int m_interruptedOnOpen = 0;
};
