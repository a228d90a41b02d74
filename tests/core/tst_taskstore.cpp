#include "app/core/taskstore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QUuid>

#include <cstdlib>
#include <future>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(TaskSnapshot)
Q_DECLARE_METATYPE(TaskState)

namespace {
const QString kInterruptedMessage = u"Headway stopped while this task was running."_s;
const char *const kCrashChildEnv = "TST_TASKSTORE_CRASH_CHILD";

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// A fixed, millisecond-precise instant (the store keeps ms, like the JSON does).
QDateTime at(int secondsAfter)
{
    return QDateTime(QDate(2024, 5, 17), QTime(9, 30, 0, 125), Qt::UTC).addSecs(secondsAfter);
}

TaskSnapshot makeTask(TaskState state = TaskState::Queued, int createdOffset = 0)
{
    TaskSnapshot t;
    t.id = newId();
    t.type = u"demo"_s;
    t.title = u"Demo task"_s;
    t.params = QJsonObject { { u"steps"_s, 3 }, { u"delay_ms"_s, 10 } };
    t.state = state;
    t.created = at(createdOffset);
    return t;
}

TaskEvent ev(TaskEvent::Kind kind, const TaskSnapshot &task, TaskState previous = TaskState::Queued)
{
    TaskEvent e;
    e.kind = kind;
    e.task = task;
    e.previousState = previous;
    return e;
}

TaskEvent removed(const QString &id)
{
    TaskSnapshot t;
    t.id = id;
    return ev(TaskEvent::Kind::Removed, t);
}

QByteArray json(const TaskSnapshot &t)
{
    return QJsonDocument(t.toJson()).toJson(QJsonDocument::Compact);
}

// Runs `fn` with a raw connection of its own to `path` (what another process would see).
template<typename Fn> void withRawDb(const QString &path, Fn fn)
{
    static int count = 0;
    const QString name = u"tst-raw-%1"_s.arg(++count);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));
        fn(db);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

QVariant scalar(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        return {};
    return q.value(0);
}

void execAll(QSqlDatabase &db, const QStringList &statements)
{
    QSqlQuery q(db);
    for (const QString &sql : statements)
        QVERIFY2(q.exec(sql), qPrintable(sql + u": "_s + q.lastError().text()));
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(data), data.size());
}

TaskSnapshot findById(const QList<TaskSnapshot> &tasks, const QString &id)
{
    for (const TaskSnapshot &t : tasks) {
        if (t.id == id)
            return t;
    }
    return {};
}
} // namespace

class TestTaskStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void openCreatesFoldersAndSchema();
    void roundTrip_data();
    void roundTrip();
    void creationOrder();
    void latestWins();
    void latestWinsAcrossBatches();
    void removal();
    void reopenKeepsData();
    void crashRecovery_data();
    void crashRecovery();
    void crashRecoveryAfterKill();
    void migrateEmptyFile();
    void migrateHandMadeV0();
    void migrationConflictLeavesFileUnchanged();
    void handMadeV1MissingColumn();
    void refuseNewerSchema();
    void corruptFile_data();
    void corruptFile();
    void unparsableRowIsSkipped();
    void flushSemantics();
    void notOpen();
    void reopenAnotherFile();
    void loadAllFromAnotherThread();
    void twoStoresConcurrently();
    void writeFailureIsReported();
    void throughput_data();
    void throughput();

private:
    QTemporaryDir m_dir;
    int m_fileCount = 0;
    QString newPath() { return m_dir.filePath(u"store-%1/tasks.sqlite"_s.arg(++m_fileCount)); }
};

void TestTaskStore::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QSqlDatabase::isDriverAvailable(u"QSQLITE"_s));
}

void TestTaskStore::openCreatesFoldersAndSchema()
{
    const QString path = m_dir.filePath(u"a/b/c/tasks.sqlite"_s);
    TaskStore store;
    QVERIFY(!store.isOpen());
    QString error;
    QVERIFY2(store.open(path, &error), qPrintable(error));
    QVERIFY(store.isOpen());
    QCOMPARE(store.filePath(), QFileInfo(path).absoluteFilePath());
    QVERIFY(QFileInfo::exists(path));
    QCOMPARE(store.loadAll().size(), 0);
    QCOMPARE(store.interruptedOnOpen(), 0);
    withRawDb(path, [](QSqlDatabase &db) {
        QCOMPARE(scalar(db, u"PRAGMA user_version"_s).toInt(), TaskStore::SchemaVersion);
        QCOMPARE(scalar(db, u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
        QCOMPARE(
            scalar(
                db,
                u"SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE 'tasks_%'"_s)
                .toInt(),
            3);
    });
    store.close();
    QVERIFY(!store.isOpen());
    QVERIFY(store.filePath().isEmpty());
    store.close(); // idempotent
}

void TestTaskStore::roundTrip_data()
{
    QTest::addColumn<TaskSnapshot>("task");

    QTest::newRow("queued, minimal") << makeTask();

    TaskSnapshot running = makeTask(TaskState::Running);
    running.started = at(2);
    running.priority = 7;
    running.progress.percent = 42.5;
    running.progress.processed = 4'250'000'000LL; // beyond 32 bits
    running.progress.total = 10'000'000'000LL;
    running.progress.unit = u"bytes"_s;
    running.progress.speed = 123456.75;
    running.progress.eta = 47.25;
    running.progress.step = 1;
    running.progress.steps = { u"Copy payload"_s, u"Verify checksum"_s, u"Post-install"_s };
    running.progress.message = u"Copying 3 of 12 files: ünïcødé ✓"_s;
    running.maxRetries = 3;
    running.backoffMs = 250;
    running.timeoutMs = 60000;
    QTest::newRow("running, full progress") << running;

    TaskSnapshot indeterminate = makeTask(TaskState::Paused);
    indeterminate.progress.processed = 5;
    indeterminate.progress.unit = u"items"_s;
    indeterminate.progress.message = u"Waiting"_s;
    QTest::newRow("paused, indeterminate") << indeterminate;

    TaskSnapshot failed = makeTask(TaskState::Failed);
    failed.type = u"command"_s;
    failed.params = QJsonObject { { u"program"_s, u"/bin/false"_s },
                                  { u"arguments"_s, QJsonArray { u"-x"_s } } };
    failed.started = at(1);
    failed.finished = at(3);
    failed.attempt = 2;
    failed.error
        = TaskError { u"exit_code"_s, u"The program exited with code 1."_s,
                      QJsonObject { { u"exit_code"_s, 1 }, { u"output_tail"_s, u"boom\n"_s } } };
    failed.output = u"line 1\nline 2\nboom\n"_s;
    QTest::newRow("failed, error with details and output") << failed;

    TaskSnapshot succeeded = makeTask(TaskState::Succeeded);
    succeeded.type = u"checksum"_s;
    succeeded.started = at(1);
    succeeded.finished = at(9);
    succeeded.progress.percent = 100;
    succeeded.result
        = QJsonObject { { u"digest"_s, u"e3b0c44298fc1c149afbf4c8996fb924"_s }, { u"bytes"_s, 0 } };
    QTest::newRow("succeeded, object result") << succeeded;

    TaskSnapshot arrayResult = makeTask(TaskState::Succeeded);
    arrayResult.result = QJsonArray { 1, u"two"_s, 3.5, QJsonValue() };
    QTest::newRow("succeeded, array result") << arrayResult;

    TaskSnapshot retrying = makeTask(TaskState::Retrying);
    retrying.attempt = 3;
    retrying.maxRetries = 5;
    retrying.retryAt = at(30);
    retrying.error = TaskError { u"io"_s, u"Disk busy"_s, {} };
    QTest::newRow("retrying, retry_at") << retrying;

    TaskSnapshot noCreated = makeTask(TaskState::Canceled);
    noCreated.created = QDateTime();
    noCreated.title = QString();
    noCreated.params = QJsonObject();
    QTest::newRow("canceled, no timestamps") << noCreated;
}

void TestTaskStore::roundTrip()
{
    QFETCH(TaskSnapshot, task);
    const QString path = newPath();
    {
        TaskStore store;
        QVERIFY(store.open(path));
        store.tasksChanged({ ev(TaskEvent::Kind::Added, task) });
        const QList<TaskSnapshot> loaded = store.loadAll();
        QCOMPARE(loaded.size(), 1);
        QCOMPARE(json(loaded.first()), json(task));
        QCOMPARE(loaded.first().created, task.created);
        QCOMPARE(loaded.first().progress, task.progress);
        QCOMPARE(loaded.first().error, task.error);
        QCOMPARE(loaded.first().result, task.result);
        QCOMPARE(loaded.first().output, task.output);
    }
    if (task.state == TaskState::Running || task.state == TaskState::Paused)
        return; // reopening turns these into interrupted: crashRecovery() covers that
    TaskStore reopened;
    QVERIFY(reopened.open(path));
    const QList<TaskSnapshot> loaded = reopened.loadAll();
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(json(loaded.first()), json(task));
}

void TestTaskStore::creationOrder()
{
    TaskStore store;
    QVERIFY(store.open(newPath()));
    // Handed over out of creation order, and two with the same instant (insertion order wins).
    const TaskSnapshot c = makeTask(TaskState::Queued, 30);
    const TaskSnapshot a = makeTask(TaskState::Queued, 10);
    const TaskSnapshot b1 = makeTask(TaskState::Queued, 20);
    const TaskSnapshot b2 = makeTask(TaskState::Queued, 20);
    store.tasksChanged({ ev(TaskEvent::Kind::Added, c), ev(TaskEvent::Kind::Added, a) });
    store.flush();
    store.tasksChanged({ ev(TaskEvent::Kind::Added, b1), ev(TaskEvent::Kind::Added, b2) });
    // A later update must not move a task.
    TaskSnapshot a2 = a;
    a2.state = TaskState::Running;
    store.tasksChanged({ ev(TaskEvent::Kind::StateChanged, a2) });
    const QList<TaskSnapshot> loaded = store.loadAll();
    QStringList ids;
    for (const TaskSnapshot &t : loaded)
        ids << t.id;
    QCOMPARE(ids, (QStringList { a.id, b1.id, b2.id, c.id }));
}

void TestTaskStore::latestWins()
{
    TaskStore store;
    QVERIFY(store.open(newPath()));
    TaskSnapshot t = makeTask();
    TaskEvents events { ev(TaskEvent::Kind::Added, t) };
    t.state = TaskState::Running;
    events << ev(TaskEvent::Kind::StateChanged, t, TaskState::Queued);
    for (int i = 1; i <= 1000; ++i) {
        t.progress.percent = i / 10.0;
        t.progress.processed = i;
        events << ev(TaskEvent::Kind::Progress, t);
    }
    t.state = TaskState::Succeeded;
    t.result = QJsonObject { { u"ok"_s, true } };
    events << ev(TaskEvent::Kind::StateChanged, t, TaskState::Running);
    store.tasksChanged(events); // one hand-over: one write of the task
    store.flush();
    const auto stats = store.stats();
    QCOMPARE(stats.events, qint64(events.size()));
    QCOMPARE(stats.upserts, 1);
    QCOMPARE(stats.batches, 1);
    const QList<TaskSnapshot> loaded = store.loadAll();
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(json(loaded.first()), json(t));
    QCOMPARE(loaded.first().progress.processed, 1000);
}

void TestTaskStore::latestWinsAcrossBatches()
{
    TaskStore store;
    QVERIFY(store.open(newPath()));
    QList<TaskSnapshot> tasks;
    for (int i = 0; i < 50; ++i)
        tasks << makeTask(TaskState::Queued, i);
    for (const TaskSnapshot &t : std::as_const(tasks))
        store.tasksChanged({ ev(TaskEvent::Kind::Added, t) });
    for (int round = 1; round <= 20; ++round) {
        TaskEvents events;
        for (TaskSnapshot &t : tasks) {
            t.state = TaskState::Running;
            t.progress.processed = round;
            events << ev(TaskEvent::Kind::Progress, t);
        }
        store.tasksChanged(events);
    }
    const QList<TaskSnapshot> loaded = store.loadAll();
    QCOMPARE(loaded.size(), tasks.size());
    for (qsizetype i = 0; i < tasks.size(); ++i)
        QCOMPARE(json(loaded.at(i)), json(tasks.at(i)));
    const auto stats = store.stats();
    QVERIFY2(stats.upserts <= 21 * 50, qPrintable(QString::number(stats.upserts)));
    qInfo("%lld events written as %lld upserts in %lld transactions", stats.events, stats.upserts,
          stats.batches);
}

void TestTaskStore::removal()
{
    TaskStore store;
    QVERIFY(store.open(newPath()));
    const TaskSnapshot keep = makeTask(TaskState::Succeeded, 1);
    const TaskSnapshot drop = makeTask(TaskState::Failed, 2);
    const TaskSnapshot transient = makeTask(TaskState::Queued, 3);
    const TaskSnapshot readded = makeTask(TaskState::Queued, 4);
    store.tasksChanged({ ev(TaskEvent::Kind::Added, keep), ev(TaskEvent::Kind::Added, drop),
                         ev(TaskEvent::Kind::Added, readded) });
    store.flush();
    QCOMPARE(store.loadAll().size(), 3);

    TaskSnapshot readded2 = readded;
    readded2.title = u"Again"_s;
    // Removed after upserts in one batch deletes; added-then-removed never lands; removing an
    // unknown id is harmless; removed then added again keeps the new one.
    store.tasksChanged({ removed(drop.id), ev(TaskEvent::Kind::Added, transient),
                         ev(TaskEvent::Kind::Progress, transient), removed(transient.id),
                         removed(newId()), removed(readded.id),
                         ev(TaskEvent::Kind::Added, readded2) });
    const QList<TaskSnapshot> loaded = store.loadAll();
    QCOMPARE(loaded.size(), 2);
    QCOMPARE(loaded.at(0).id, keep.id);
    QCOMPARE(loaded.at(1).id, readded.id);
    QCOMPARE(loaded.at(1).title, u"Again"_s);
    QCOMPARE(store.stats().failures, 0);

    // Clearing finished history = a Removed per task.
    store.tasksChanged({ removed(keep.id), removed(readded.id) });
    QCOMPARE(store.loadAll().size(), 0);
}

void TestTaskStore::reopenKeepsData()
{
    const QString path = newPath();
    QList<TaskSnapshot> tasks;
    for (int i = 0; i < 200; ++i) {
        TaskSnapshot t = makeTask(i % 3 ? TaskState::Succeeded : TaskState::Failed, i);
        t.title = u"Task %1"_s.arg(i);
        if (t.state == TaskState::Failed)
            t.error = TaskError { u"x"_s, u"Failed %1"_s.arg(i), {} };
        tasks << t;
    }
    {
        TaskStore store;
        QVERIFY(store.open(path));
        TaskEvents events;
        for (const TaskSnapshot &t : std::as_const(tasks))
            events << ev(TaskEvent::Kind::Added, t);
        store.tasksChanged(events);
        // no flush: the destructor must write everything handed over
    }
    for (int pass = 0; pass < 2; ++pass) {
        TaskStore store;
        QVERIFY(store.open(path));
        QCOMPARE(store.interruptedOnOpen(), 0);
        const QList<TaskSnapshot> loaded = store.loadAll();
        QCOMPARE(loaded.size(), tasks.size());
        for (qsizetype i = 0; i < tasks.size(); ++i)
            QCOMPARE(json(loaded.at(i)), json(tasks.at(i)));
    }
}

void TestTaskStore::crashRecovery_data()
{
    QTest::addColumn<TaskState>("stored");
    QTest::addColumn<TaskState>("expected");
    QTest::newRow("running") << TaskState::Running << TaskState::Interrupted;
    QTest::newRow("paused") << TaskState::Paused << TaskState::Interrupted;
    QTest::newRow("queued") << TaskState::Queued << TaskState::Queued;
    QTest::newRow("retrying") << TaskState::Retrying << TaskState::Retrying;
    QTest::newRow("succeeded") << TaskState::Succeeded << TaskState::Succeeded;
    QTest::newRow("failed") << TaskState::Failed << TaskState::Failed;
    QTest::newRow("canceled") << TaskState::Canceled << TaskState::Canceled;
    QTest::newRow("interrupted") << TaskState::Interrupted << TaskState::Interrupted;
}

void TestTaskStore::crashRecovery()
{
    QFETCH(TaskState, stored);
    QFETCH(TaskState, expected);
    const QString path = newPath();
    TaskSnapshot t = makeTask(stored);
    t.started = at(1);
    t.progress.percent = 37.5;
    t.progress.processed = 375;
    t.progress.total = 1000;
    t.progress.unit = u"files"_s;
    t.progress.message = u"Copying foo.txt"_s;
    {
        TaskStore store;
        QVERIFY(store.open(path));
        store.tasksChanged({ ev(TaskEvent::Kind::Added, t) });
        // Closing without ever saying the task stopped: the next open sees what a crash leaves.
    }
    TaskStore store;
    QVERIFY(store.open(path));
    const bool interrupted = expected == TaskState::Interrupted && stored != expected;
    QCOMPARE(store.interruptedOnOpen(), interrupted ? 1 : 0);
    const QList<TaskSnapshot> loaded = store.loadAll();
    QCOMPARE(loaded.size(), 1);
    const TaskSnapshot &r = loaded.first();
    QCOMPARE(r.state, expected);
    QCOMPARE(r.progress, t.progress); // the last progress is kept
    QCOMPARE(r.started, t.started);
    if (interrupted) {
        QVERIFY(r.error.has_value());
        QCOMPARE(r.error->code, u"interrupted"_s);
        QCOMPARE(r.error->message, kInterruptedMessage);
        QVERIFY(isRetryable(r.state));
        withRawDb(path, [&](QSqlDatabase &db) { // the indexed column follows the snapshot
            QCOMPARE(scalar(db, u"SELECT state FROM tasks WHERE id = '%1'"_s.arg(t.id)).toString(),
                     u"interrupted"_s);
        });
    } else {
        QCOMPARE(json(r), json(t));
    }
}

// A child process (this binary, see main()) writes running tasks and dies without closing
// anything; the WAL still holds the commits, and a new store must recover them.
void TestTaskStore::crashRecoveryAfterKill()
{
    const QString path = newPath();
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QString::fromLatin1(kCrashChildEnv), path);
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(child.waitForFinished(30000));
    QCOMPARE(child.exitStatus(), QProcess::NormalExit);
    QCOMPARE(child.exitCode(), 42); // left through _Exit() without any clean-up
    QVERIFY(QFileInfo::exists(path + u"-wal"_s));

    TaskStore store;
    QString error;
    QVERIFY2(store.open(path, &error), qPrintable(error));
    QCOMPARE(store.interruptedOnOpen(), 2);
    const QList<TaskSnapshot> loaded = store.loadAll();
    QCOMPARE(loaded.size(), 3);
    QCOMPARE(loaded.at(0).state, TaskState::Interrupted);
    QCOMPARE(loaded.at(0).progress.processed, 999);
    QCOMPARE(loaded.at(0).progress.percent, 99.9);
    QCOMPARE(loaded.at(0).error->code, u"interrupted"_s);
    QCOMPARE(loaded.at(1).state, TaskState::Interrupted);
    QCOMPARE(loaded.at(1).progress.processed, 5);
    QCOMPARE(loaded.at(2).state, TaskState::Succeeded);
    QVERIFY(!loaded.at(2).error);
}

void TestTaskStore::migrateEmptyFile()
{
    const QString path = newPath();
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    writeFile(path, {});
    TaskStore store;
    QString error;
    QVERIFY2(store.open(path, &error), qPrintable(error));
    const TaskSnapshot t = makeTask();
    store.tasksChanged({ ev(TaskEvent::Kind::Added, t) });
    QCOMPARE(store.loadAll().size(), 1);
    withRawDb(path, [](QSqlDatabase &db) {
        QCOMPARE(scalar(db, u"PRAGMA user_version"_s).toInt(), 1);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM tasks"_s).toInt(), 1);
    });
}

void TestTaskStore::migrateHandMadeV0()
{
    // A v0 file someone made by hand, with a table of their own: migration adds ours and
    // leaves theirs alone.
    const QString path = newPath();
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    withRawDb(path, [](QSqlDatabase &db) {
        execAll(db,
                { u"CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)"_s,
                  u"INSERT INTO notes (text) VALUES ('keep me')"_s });
        QCOMPARE(scalar(db, u"PRAGMA user_version"_s).toInt(), 0);
    });
    TaskStore store;
    QString error;
    QVERIFY2(store.open(path, &error), qPrintable(error));
    QCOMPARE(store.loadAll().size(), 0);
    store.tasksChanged({ ev(TaskEvent::Kind::Added, makeTask()) });
    store.flush();
    withRawDb(path, [](QSqlDatabase &db) {
        QCOMPARE(scalar(db, u"PRAGMA user_version"_s).toInt(), 1);
        QCOMPARE(scalar(db, u"SELECT text FROM notes"_s).toString(), u"keep me"_s);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM tasks"_s).toInt(), 1);
        // The JSON column is queryable with SQLite's own JSON functions.
        QCOMPARE(scalar(db, u"SELECT json_extract(snapshot, '$.type') FROM tasks"_s).toString(),
                 u"demo"_s);
    });
}

void TestTaskStore::migrationConflictLeavesFileUnchanged()
{
    const QString path = newPath();
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    withRawDb(path, [](QSqlDatabase &db) {
        execAll(db,
                { u"CREATE TABLE tasks (name TEXT)"_s, u"INSERT INTO tasks VALUES ('mine')"_s });
    });
    const QByteArray before = readFile(path);
    TaskStore store;
    QString error;
    QVERIFY(!store.open(path, &error));
    QVERIFY(!store.isOpen());
    qInfo("open() said: %s", qUtf8Printable(error));
    QVERIFY2(error.contains(u"schema version 0 to 1"_s), qPrintable(error));
    QVERIFY2(error.contains(u"left unchanged"_s), qPrintable(error));
    QCOMPARE(readFile(path), before);
    withRawDb(path, [](QSqlDatabase &db) {
        QCOMPARE(scalar(db, u"SELECT name FROM tasks"_s).toString(), u"mine"_s);
        QCOMPARE(scalar(db, u"PRAGMA user_version"_s).toInt(), 0);
    });
}

void TestTaskStore::handMadeV1MissingColumn()
{
    const QString path = newPath();
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    withRawDb(path, [](QSqlDatabase &db) {
        execAll(
            db,
            { u"CREATE TABLE tasks (id TEXT PRIMARY KEY, state TEXT, type TEXT, created INTEGER)"_s,
              u"PRAGMA user_version = 1"_s });
    });
    TaskStore store;
    QString error;
    QVERIFY(!store.open(path, &error));
    QVERIFY2(error.contains(u"\"snapshot\""_s), qPrintable(error));
}

void TestTaskStore::refuseNewerSchema()
{
    const QString path = newPath();
    const TaskSnapshot t = makeTask(TaskState::Succeeded);
    {
        TaskStore store;
        QVERIFY(store.open(path));
        store.tasksChanged({ ev(TaskEvent::Kind::Added, t) });
    }
    withRawDb(path, [](QSqlDatabase &db) { execAll(db, { u"PRAGMA user_version = 7"_s }); });
    const QByteArray before = readFile(path);

    TaskStore store;
    QString error;
    QVERIFY(!store.open(path, &error));
    QVERIFY(!store.isOpen());
    qInfo("open() said: %s", qUtf8Printable(error));
    QVERIFY2(error.contains(u"newer version of Headway"_s), qPrintable(error));
    QVERIFY2(error.contains(u"schema version 7"_s), qPrintable(error));
    QVERIFY2(error.contains(QDir::toNativeSeparators(QFileInfo(path).absoluteFilePath())),
             qPrintable(error));
    QCOMPARE(readFile(path), before);
    withRawDb(path, [&](QSqlDatabase &db) {
        QCOMPARE(scalar(db, u"PRAGMA user_version"_s).toInt(), 7);
        QCOMPARE(scalar(db, u"SELECT id FROM tasks"_s).toString(), t.id);
    });
}

void TestTaskStore::corruptFile_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<bool>("directory");
    QTest::newRow("text file") << QByteArray("this is not a database\n").repeated(100) << false;
    QTest::newRow("binary garbage") << QByteArray(8192, '\xA5') << false;
    QByteArray header("SQLite format 3");
    header.append('\0');
    QTest::newRow("truncated header") << header << false;
    QByteArray badPages = header + QByteArray(4096 * 3 - header.size(), '\x7F');
    QTest::newRow("header then garbage") << badPages << false;
    QTest::newRow("a folder") << QByteArray() << true;
}

void TestTaskStore::corruptFile()
{
    QFETCH(QByteArray, content);
    QFETCH(bool, directory);
    const QString path = newPath();
    if (directory) {
        QVERIFY(QDir().mkpath(path));
    } else {
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        writeFile(path, content);
    }
    TaskStore store;
    QString error;
    QVERIFY(!store.open(path, &error));
    QVERIFY(!store.isOpen());
    qInfo("open() said: %s", qUtf8Printable(error));
    QVERIFY2(error.startsWith(u"Cannot open the task store "_s), qPrintable(error));
    QVERIFY(error.size() > 40);
    if (!directory)
        QCOMPARE(readFile(path), content); // never destroyed
    QCOMPARE(store.loadAll().size(), 0);
    // The store is still usable with another file.
    QVERIFY(store.open(newPath()));
}

void TestTaskStore::unparsableRowIsSkipped()
{
    const QString path = newPath();
    const TaskSnapshot good = makeTask(TaskState::Succeeded, 1);
    {
        TaskStore store;
        QVERIFY(store.open(path));
        store.tasksChanged({ ev(TaskEvent::Kind::Added, good) });
    }
    withRawDb(path, [](QSqlDatabase &db) {
        execAll(
            db,
            { u"INSERT INTO tasks VALUES ('bad-1', 'succeeded', 'demo', 5, '{not json')"_s,
              u"INSERT INTO tasks VALUES ('bad-2', 'running', 'demo', 6, '{\"state\":\"nope\"}')"_s });
    });
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"Skipping unreadable task bad-2"_s));
    TaskStore store;
    QVERIFY(store.open(path)); // recovery skips bad-2 and keeps going
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"Skipping unreadable task bad-1"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"Skipping unreadable task bad-2"_s));
    const QList<TaskSnapshot> loaded = store.loadAll();
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(loaded.first().id, good.id);
}

void TestTaskStore::flushSemantics()
{
    const QString path = newPath();
    TaskStore store;
    store.flush(); // not open: returns at once
    QVERIFY(store.open(path));
    store.flush(); // nothing pending: returns at once
    QCOMPARE(store.stats().batches, 0);

    TaskEvents events;
    for (int i = 0; i < 500; ++i)
        events << ev(TaskEvent::Kind::Added, makeTask(TaskState::Queued, i));
    for (int round = 0; round < 10; ++round) {
        store.tasksChanged(events.mid(round * 50, 50));
    }
    store.flush();
    // After flush() another connection (another process) sees every row.
    withRawDb(path, [](QSqlDatabase &db) {
        QCOMPARE(scalar(db, u"SELECT count(*) FROM tasks"_s).toInt(), 500);
    });
    const auto stats = store.stats();
    QCOMPARE(stats.upserts, 500);
    QVERIFY(stats.batches >= 1 && stats.batches <= 10);
    QCOMPARE(stats.failures, 0);

    // flush() from another thread while this one keeps handing over. Other threads in this
    // file are std::async's: ThreadSanitizer sees them start and end (Qt's thread pool hands
    // work over under its own locks, inside Debian's uninstrumented Qt).
    const QString lateId = newId();
    auto future = std::async(std::launch::async, [&store] { store.flush(); });
    TaskSnapshot late = makeTask();
    late.id = lateId;
    store.tasksChanged({ ev(TaskEvent::Kind::Added, late) });
    future.wait();
    store.flush();
    QCOMPARE(findById(store.loadAll(), lateId).id, lateId);

    store.close();
    store.flush(); // closed: returns at once
}

void TestTaskStore::notOpen()
{
    TaskStore store;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"ignored, the store is not open"_s));
    store.tasksChanged({ ev(TaskEvent::Kind::Added, makeTask()) });
    QCOMPARE(store.loadAll().size(), 0);
    QString error;
    QVERIFY(!store.open(QString(), &error));
    QVERIFY(!error.isEmpty());
    // A path whose parent is a file cannot be created.
    const QString blocker = m_dir.filePath(u"blocker"_s);
    writeFile(blocker, "x");
    QVERIFY(!store.open(blocker + u"/sub/tasks.sqlite"_s, &error));
    QVERIFY2(error.contains(u"cannot create the folder"_s), qPrintable(error));
}

void TestTaskStore::reopenAnotherFile()
{
    const QString first = newPath();
    const QString second = newPath();
    TaskStore store;
    QVERIFY(store.open(first));
    const TaskSnapshot a = makeTask();
    store.tasksChanged({ ev(TaskEvent::Kind::Added, a) });
    QVERIFY(store.open(second)); // closes (and writes) the first
    QCOMPARE(store.loadAll().size(), 0);
    QVERIFY(store.open(first));
    QCOMPARE(store.loadAll().size(), 1);
    QCOMPARE(store.loadAll().first().id, a.id);
}

void TestTaskStore::loadAllFromAnotherThread()
{
    TaskStore store;
    QVERIFY(store.open(newPath()));
    const TaskSnapshot t = makeTask();
    store.tasksChanged({ ev(TaskEvent::Kind::Added, t) });
    const QList<TaskSnapshot> loaded
        = std::async(std::launch::async, [&store] { return store.loadAll(); }).get();
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(loaded.first().id, t.id);
}

void TestTaskStore::twoStoresConcurrently()
{
    constexpr int kTasks = 3000;
    TaskStore one;
    TaskStore two;
    QVERIFY(one.open(newPath()));
    QVERIFY(two.open(newPath()));
    QCOMPARE_NE(one.filePath(), two.filePath());

    const auto feed = [](TaskStore *store, const QString &type) {
        QList<TaskSnapshot> tasks;
        for (int i = 0; i < kTasks; ++i) {
            TaskSnapshot t = makeTask(TaskState::Queued, i);
            t.type = type;
            tasks << t;
        }
        for (int start = 0; start < kTasks; start += 100) {
            TaskEvents events;
            for (int i = start; i < start + 100; ++i) {
                TaskSnapshot &t = tasks[i];
                events << ev(TaskEvent::Kind::Added, t);
                t.state = TaskState::Running;
                events << ev(TaskEvent::Kind::StateChanged, t);
                t.state = i % 7 ? TaskState::Succeeded : TaskState::Failed;
                events << ev(TaskEvent::Kind::StateChanged, t, TaskState::Running);
            }
            store->tasksChanged(events);
        }
        return tasks;
    };
    auto f1 = std::async(std::launch::async, feed, &one, u"one"_s);
    auto f2 = std::async(std::launch::async, feed, &two, u"two"_s);
    const QList<TaskSnapshot> fed1 = f1.get();
    const QList<TaskSnapshot> fed2 = f2.get();

    for (const auto &[store, fed, type] :
         { std::tuple { &one, &fed1, u"one"_s }, std::tuple { &two, &fed2, u"two"_s } }) {
        const QList<TaskSnapshot> loaded = store->loadAll();
        QCOMPARE(loaded.size(), kTasks);
        for (int i = 0; i < kTasks; ++i) {
            QCOMPARE(loaded.at(i).type, type);
            QCOMPARE(json(loaded.at(i)), json(fed->at(i)));
        }
        QCOMPARE(store->stats().failures, 0);
    }
}

void TestTaskStore::writeFailureIsReported()
{
    const QString path = newPath();
    TaskStore store;
    QVERIFY(store.open(path));
    QSignalSpy spy(&store, &TaskStore::writeFailed);
    // Someone drops the table under the store: the next batch fails, loudly, without a crash.
    withRawDb(path, [](QSqlDatabase &db) { execAll(db, { u"DROP TABLE tasks"_s }); });
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"Could not save 1 task change"_s));
    store.tasksChanged({ ev(TaskEvent::Kind::Added, makeTask()) });
    store.flush();
    QCOMPARE(store.stats().failures, 1);
    QTRY_COMPARE(spy.count(), 1);
    qInfo("writeFailed: %s", qUtf8Printable(spy.first().first().toString()));
    QVERIFY(spy.first().first().toString().contains(u"tasks"_s));
}

void TestTaskStore::throughput_data()
{
    QTest::addColumn<int>("tasks");
    QTest::addColumn<int>("eventsPerHandOver");
    QTest::addColumn<bool>("flushEachHandOver");
    QTest::addColumn<bool>("phases");
    // Like the engine: ~3 state events per trivial task, handed over in batches.
    QTest::newRow("20k tasks, 600 events per hand-over") << 20000 << 600 << false << false;
    QTest::newRow("20k tasks, 30 events per hand-over") << 20000 << 30 << false << false;
    // Every hand-over committed on its own (no coalescing across hand-overs).
    QTest::newRow("20k tasks, 30 events, flush each") << 20000 << 30 << true << false;
    // Worst case: all Added, then all running, then all succeeded, each hand-over committed on
    // its own: every event is one row write.
    QTest::newRow("20k tasks in 3 phases, flush each") << 20000 << 300 << true << true;
}

void TestTaskStore::throughput()
{
    QFETCH(int, tasks);
    QFETCH(int, eventsPerHandOver);
    QFETCH(bool, flushEachHandOver);
    QFETCH(bool, phases);

    TaskEvents all;
    all.reserve(tasks * 3);
    for (int i = 0; i < tasks; ++i) {
        TaskSnapshot t = makeTask(TaskState::Queued, i);
        all << ev(TaskEvent::Kind::Added, t);
        t.state = TaskState::Running;
        t.started = at(i);
        all << ev(TaskEvent::Kind::StateChanged, t);
        t.state = TaskState::Succeeded;
        t.finished = at(i);
        t.progress.percent = 100;
        t.result = QJsonObject { { u"steps"_s, 0 } };
        all << ev(TaskEvent::Kind::StateChanged, t, TaskState::Running);
    }
    if (phases) {
        TaskEvents byPhase;
        byPhase.reserve(all.size());
        for (int phase = 0; phase < 3; ++phase) {
            for (qsizetype i = phase; i < all.size(); i += 3)
                byPhase << all.at(i);
        }
        all = byPhase;
    }

    TaskStore store;
    QVERIFY(store.open(newPath()));
    QElapsedTimer handOver;
    QElapsedTimer total;
    qint64 handOverNs = 0;
    total.start();
    for (qsizetype start = 0; start < all.size(); start += eventsPerHandOver) {
        const TaskEvents events = all.mid(start, eventsPerHandOver);
        handOver.start();
        store.tasksChanged(events);
        handOverNs += handOver.nsecsElapsed();
        if (flushEachHandOver)
            store.flush();
    }
    store.flush();
    const double seconds = total.nsecsElapsed() / 1e9;
    const auto stats = store.stats();
    QCOMPARE(stats.failures, 0);
    QCOMPARE(store.loadAll().size(), tasks);
    qInfo("throughput: %d tasks (%lld events) stored in %.3f s = %.0f tasks/s, %.0f upserts/s "
          "(%lld upserts, %lld transactions); tasksChanged() cost %.2f us per hand-over",
          tasks, qlonglong(all.size()), seconds, tasks / seconds, stats.upserts / seconds,
          stats.upserts, stats.batches,
          handOverNs / 1e3 / ((all.size() + eventsPerHandOver - 1) / eventsPerHandOver));
}

// The child half of crashRecoveryAfterKill(): write, commit, then vanish without clean-up.
static int crashChild(const QString &path)
{
    TaskStore store;
    if (!store.open(path))
        return 1;
    TaskSnapshot running = makeTask(TaskState::Running, 1);
    TaskSnapshot paused = makeTask(TaskState::Paused, 2);
    TaskSnapshot done = makeTask(TaskState::Succeeded, 3);
    paused.progress.processed = 5;
    TaskEvents events { ev(TaskEvent::Kind::Added, running), ev(TaskEvent::Kind::Added, paused),
                        ev(TaskEvent::Kind::Added, done) };
    for (int i = 1; i <= 999; ++i) {
        running.progress.processed = i;
        running.progress.percent = i / 10.0;
        events << ev(TaskEvent::Kind::Progress, running);
    }
    store.tasksChanged(events);
    store.flush();
    std::_Exit(42); // no destructors, no close: what a crash leaves behind
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(kCrashChildEnv))
        return crashChild(qEnvironmentVariable(kCrashChildEnv));
    TestTaskStore test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_taskstore.moc"
