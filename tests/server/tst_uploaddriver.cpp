// Tests of UploadDriver's persistence (the protocol is tst_uploadapi's): each upload's state
// file beside its partial file, uploads coming back after a restart linked to their
// interrupted task, resuming by a user or by the sender, the SHA-256 rebuilt on a worker
// thread, and what is dropped at start (expired, corrupted, task removed or finished).
#include "app/core/taskengine.h"
#include "app/core/tasktyperegistry.h"
#include "app/server/uploaddriver.h"
#include "app/server/uploadtasktype.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>
#include <sys/stat.h>

using namespace Qt::StringLiterals;

namespace {
QByteArray randomBytes(qsizetype size)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator generator(7 + quint32(size));
    generator.fillRange(reinterpret_cast<quint32 *>(data.data()), data.size() / 4);
    return data;
}

QByteArray sha256Hex(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}
} // namespace

class tst_UploadDriver : public QObject
{
    Q_OBJECT

private:
    using Edit = std::function<void(QList<TaskSnapshot> &)>;

    QString uploadsDir() const { return QDir(m_dir->path()).filePath(u"uploads"_s); }
    QString partOf(const QString &id) const { return QDir(uploadsDir()).filePath(id + u".part"_s); }
    QString stateOf(const QString &id) const
    {
        return QDir(uploadsDir()).filePath(id + u".json"_s);
    }

    void startEngine(const QList<TaskSnapshot> &tasks = {})
    {
        EngineOptions options;
        options.concurrency = 1;
        options.dataDir = m_dir->path();
        m_engine = std::make_unique<TaskEngine>(*m_registry, options);
        m_engine->restore(tasks);
        m_manager = std::make_unique<UploadDriver>(*m_engine, m_dir->path());
    }

    // Stops like the application (the tasks as the store would keep them) and starts again.
    void restart(const Edit &edit = {})
    {
        m_manager.reset();
        m_engine->shutdown();
        QList<TaskSnapshot> tasks = m_engine->tasks();
        m_engine.reset();
        if (edit)
            edit(tasks);
        startEngine(tasks);
    }

    UploadDriver::Info create(qint64 length, const QByteArray &sha256 = {})
    {
        UploadError error;
        const auto info
            = m_manager->create(length, u"file.bin"_s, "filename ZmlsZS5iaW4=", sha256, &error);
        if (!info)
            qWarning() << error.message;
        return info.value_or(UploadDriver::Info {});
    }

    bool append(const QString &id, qint64 offset, const QByteArray &chunk)
    {
        UploadError error;
        const auto result = m_manager->append(id, offset, chunk, &error);
        if (!result)
            qWarning() << error.code() << error.message;
        return result.has_value();
    }

    // Appends in chunks of at most the chunk limit.
    bool appendAll(const QString &id, qint64 offset, const QByteArray &data)
    {
        for (qsizetype at = 0; at < data.size(); at += UploadDriver::ChunkLimit) {
            if (!append(id, offset + at, data.mid(at, UploadDriver::ChunkLimit)))
                return false;
        }
        return true;
    }

    TaskSnapshot task(const QString &id) const
    {
        return m_engine->task(id).value_or(TaskSnapshot {});
    }

    QByteArray readFile(const QString &name) const
    {
        QFile f(QDir(uploadsDir()).filePath(name));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TaskTypeRegistry> m_registry;
    std::unique_ptr<TaskEngine> m_engine;
    std::unique_ptr<UploadDriver> m_manager;

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_registry = std::make_unique<TaskTypeRegistry>();
        registerBuiltinTaskTypes(*m_registry);
        registerUploadTaskType(*m_registry);
        startEngine();
    }

    void cleanup()
    {
        m_manager.reset();
        m_engine.reset();
        m_registry.reset();
        m_dir.reset();
    }

    void stateFileWrittenAtCreation()
    {
        const QByteArray sha = QByteArray(64, 'a');
        const UploadDriver::Info info = create(100, sha);
        QVERIFY(!info.id.isEmpty());
        QFile f(stateOf(info.id));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject state = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(state.value(u"version"_s).toInt(), 1);
        QCOMPARE(state.value(u"id"_s).toString(), info.id);
        QCOMPARE(state.value(u"task_id"_s).toString(), info.taskId);
        QCOMPARE(state.value(u"filename"_s).toString(), u"file.bin"_s);
        QCOMPARE(state.value(u"length"_s).toInteger(), 100);
        QCOMPARE(state.value(u"metadata"_s).toString(), u"filename ZmlsZS5iaW4="_s);
        QCOMPARE(state.value(u"sha256"_s).toString().toLatin1(), sha);
        QVERIFY(QDateTime::fromString(state.value(u"created"_s).toString(), Qt::ISODateWithMs)
                    .isValid());
        // Done: the state goes with the partial file.
        QVERIFY(append(info.id, 0, QByteArray(100, 'x')) == false); // wrong checksum: failed
        QVERIFY(!QFile::exists(stateOf(info.id)));
        QVERIFY(!QFile::exists(partOf(info.id)));
        const UploadDriver::Info ok = create(3);
        QVERIFY(append(ok.id, 0, "abc"));
        QCOMPARE(QDir(uploadsDir()).entryList(QDir::Files), QStringList { u"file.bin"_s });
    }

    void plantedLinkIsNeverFollowed_data()
    {
        QTest::addColumn<bool>("dangling");
        QTest::newRow("dangling link") << true;
        QTest::newRow("link to a file") << false;
    }
    void plantedLinkIsNeverFollowed()
    {
        // Issue 15, W6: uploads/file.bin -> elsewhere; the upload must not write through it.
        QFETCH(bool, dangling);
        const QString elsewhere = QDir(m_dir->path()).filePath(u"elsewhere.bin"_s);
        if (!dangling) {
            QFile target(elsewhere);
            QVERIFY(target.open(QIODevice::WriteOnly));
            target.write("mine");
        }
        QVERIFY(QFile::link(elsewhere, QDir(uploadsDir()).filePath(u"file.bin"_s)));
        const UploadDriver::Info info = create(3);
        QVERIFY(append(info.id, 0, "abc"));
        QCOMPARE(QFileInfo::exists(elsewhere), !dangling);
        if (!dangling) {
            QFile target(elsewhere);
            QVERIFY(target.open(QIODevice::ReadOnly));
            QCOMPARE(target.readAll(), QByteArray("mine"));
        }
        QCOMPARE(readFile(u"file (1).bin"_s), QByteArray("abc"));
        QVERIFY(QFileInfo(QDir(uploadsDir()).filePath(u"file.bin"_s)).isSymLink());
        QTRY_COMPARE(task(info.taskId).result.toObject().value(u"filename"_s).toString(),
                     u"file (1).bin"_s);
    }

    void filesArePrivateWhateverTheUmask()
    {
        const mode_t old = ::umask(0);
        const UploadDriver::Info info = create(6);
        const auto mode = [](const QString &path) {
            struct stat st = {};
            return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 0777)
                                                                         : -1;
        };
        const int dirMode = mode(uploadsDir());
        const int partMode = mode(partOf(info.id));
        const int stateMode = mode(stateOf(info.id));
        const bool appended = append(info.id, 0, "abcdef");
        ::umask(old);
        QCOMPARE(dirMode, 0700);
        QCOMPARE(partMode, 0600);
        QCOMPARE(stateMode, 0600);
        QVERIFY(appended);
        QCOMPARE(mode(QDir(uploadsDir()).filePath(u"file.bin"_s)), 0600);
    }

    void terminateRemovesBothFiles_data()
    {
        QTest::addColumn<bool>("afterRestart");
        QTest::newRow("running") << false;
        QTest::newRow("interrupted") << true;
    }

    void terminateRemovesBothFiles()
    {
        QFETCH(bool, afterRestart);
        const UploadDriver::Info info = create(1000);
        QVERIFY(append(info.id, 0, QByteArray(10, 'a')));
        if (afterRestart) {
            restart();
            QCOMPARE(task(info.taskId).state, TaskState::Interrupted);
        }
        QVERIFY(QFile::exists(partOf(info.id)));
        QVERIFY(QFile::exists(stateOf(info.id)));
        QVERIFY(!m_manager->terminate(info.id));
        QVERIFY(!QFile::exists(partOf(info.id)));
        QVERIFY(!QFile::exists(stateOf(info.id)));
        QCOMPARE(task(info.taskId).state, TaskState::Canceled);
        QCOMPARE(task(info.taskId).error->code, u"terminated"_s);
        // Ended where it was, interrupted or not: no retry (a new attempt) to be allowed to.
        QCOMPARE(task(info.taskId).attempt, 1);
        QCOMPARE(m_manager->count(), 0);
        restart();
        QCOMPARE(m_manager->count(), 0);
    }

    void cancelingRemovesBothFiles()
    {
        const UploadDriver::Info info = create(1000);
        QVERIFY(append(info.id, 0, QByteArray(10, 'a')));
        QVERIFY(!m_engine->cancel(info.taskId));
        QTRY_COMPARE(task(info.taskId).state, TaskState::Canceled);
        QVERIFY(QDir(uploadsDir()).isEmpty());
    }

    // A user resumes the interrupted task (Retry): it waits for data at the offset it has.
    void userResumeWaitsForData()
    {
        const QByteArray data = randomBytes(300000);
        const UploadDriver::Info info = create(data.size(), sha256Hex(data));
        QVERIFY(append(info.id, 0, data.left(100000)));
        restart();
        TaskSnapshot t = task(info.taskId);
        QCOMPARE(t.state, TaskState::Interrupted);
        QCOMPARE(t.progress.processed, 100000);
        QCOMPARE(t.progress.total, data.size());
        QCOMPARE(t.progress.step, 0);
        QCOMPARE(t.progress.steps.size(), 3);
        QCOMPARE(m_manager->info(info.id)->offset, 100000);

        QVERIFY(!m_engine->retry(info.taskId));
        t = task(info.taskId);
        QCOMPARE(t.state, TaskState::Running);
        QCOMPARE(t.progress.processed, 100000);
        QCOMPARE(t.progress.message, u"Waiting for data"_s);

        QVERIFY(append(info.id, 100000, data.mid(100000)));
        // Verified once the SHA-256 of the first 100000 bytes is rebuilt (in the background).
        QTRY_COMPARE(task(info.taskId).state, TaskState::Succeeded);
        t = task(info.taskId);
        QCOMPARE(t.result.toObject().value(u"sha256"_s).toString().toLatin1(), sha256Hex(data));
        QCOMPARE(readFile(u"file.bin"_s), data);
        QCOMPARE(QDir(uploadsDir()).entryList(QDir::Files), QStringList { u"file.bin"_s });
    }

    // 40 MiB to re-hash: chunks that arrive before the worker is done (the constructor returned,
    // the event loop has not run) are written and hashed from the file; the result is right
    // whether the last chunk comes before or after the worker finished.
    void rehashInBackground_data()
    {
        QTest::addColumn<bool>("waitForWorker");
        QTest::newRow("last chunk while hashing") << false;
        QTest::newRow("last chunk after hashing") << true;
    }

    void rehashInBackground()
    {
        QFETCH(bool, waitForWorker);
        const QByteArray data = randomBytes(48 * 1024 * 1024 + 11);
        const qint64 first = 40 * 1024 * 1024;
        const UploadDriver::Info info = create(data.size(), sha256Hex(data));
        QVERIFY(appendAll(info.id, 0, data.left(first)));
        restart();
        QCOMPARE(m_manager->info(info.id)->offset, first);
        const qint64 second = first + 3 * 1024 * 1024;
        QVERIFY(append(info.id, first, data.mid(first, second - first))); // before the worker ends
        QCOMPARE(task(info.taskId).state, TaskState::Running);
        if (waitForWorker) {
            // The worker finishes and catches up with the chunk written meanwhile.
            QTRY_VERIFY_WITH_TIMEOUT(m_manager->hashReady(info.id), 30000);
        } else {
            QVERIFY(!m_manager->hashReady(info.id)); // 40 MiB take longer than one chunk
        }
        QVERIFY(appendAll(info.id, second, data.mid(second)));
        // The last chunk never waits for the worker (the event loop must not stall): the
        // upload is verified when the worker is done.
        QTRY_COMPARE_WITH_TIMEOUT(task(info.taskId).state, TaskState::Succeeded, 30000);
        const TaskSnapshot t = task(info.taskId);
        QCOMPARE(t.result.toObject().value(u"sha256"_s).toString().toLatin1(), sha256Hex(data));
        QCOMPARE(readFile(u"file.bin"_s).size(), data.size());
    }

    // Every byte was on disk when Headway stopped, but it had not verified and moved the file:
    // that happens at the next start.
    void completeBeforeStopFinishesAtStart()
    {
        const QByteArray data = randomBytes(5000);
        const UploadDriver::Info info = create(data.size(), sha256Hex(data));
        QVERIFY(append(info.id, 0, data.left(1000)));
        m_manager.reset();
        {
            QFile part(partOf(info.id));
            QVERIFY(part.open(QIODevice::Append));
            QCOMPARE(part.write(data.mid(1000)), data.size() - 1000);
        }
        m_engine->shutdown();
        const QList<TaskSnapshot> tasks = m_engine->tasks();
        m_engine.reset();
        startEngine(tasks);
        QTRY_COMPARE(task(info.taskId).state, TaskState::Succeeded);
        QCOMPARE(readFile(u"file.bin"_s), data);
        QCOMPARE(QDir(uploadsDir()).entryList(QDir::Files), QStringList { u"file.bin"_s });
    }

    void expiredUploadRemovedAtStart()
    {
        const UploadDriver::Info info = create(1000);
        QVERIFY(append(info.id, 0, QByteArray(10, 'a')));
        const UploadDriver::Info fresh = create(1000);
        QVERIFY(append(fresh.id, 0, QByteArray(10, 'a')));
        m_manager.reset();
        // Two days without a chunk (the default expiry is a day).
        const QDateTime old = QDateTime::currentDateTimeUtc().addDays(-2);
        {
            QFile state(stateOf(info.id));
            QVERIFY(state.open(QIODevice::ReadOnly));
            QJsonObject o = QJsonDocument::fromJson(state.readAll()).object();
            state.close();
            o.insert(u"last_activity"_s, old.toString(Qt::ISODateWithMs));
            QVERIFY(state.open(QIODevice::WriteOnly | QIODevice::Truncate));
            state.write(QJsonDocument(o).toJson());
            state.close();
            QFile part(partOf(info.id));
            QVERIFY(part.open(QIODevice::ReadWrite));
            QVERIFY(part.setFileTime(old.toLocalTime(), QFileDevice::FileModificationTime));
        }
        restart();
        QCOMPARE(m_manager->count(), 1);
        QVERIFY(!m_manager->info(info.id));
        QVERIFY(!QFile::exists(partOf(info.id)));
        QVERIFY(!QFile::exists(stateOf(info.id)));
        QCOMPARE(task(info.taskId).state, TaskState::Failed);
        QCOMPARE(task(info.taskId).error->code, u"expired"_s);
        QCOMPARE(task(info.taskId).attempt, 1); // failed from interrupted, no retry between
        QVERIFY(m_manager->info(fresh.id));
        QCOMPARE(task(fresh.taskId).state, TaskState::Interrupted);
    }

    void corruptedStateIgnored_data()
    {
        QTest::addColumn<QByteArray>("state"); // %ID% is replaced by the upload's id
        QTest::addColumn<qint64>("partSize"); // -1: no partial file
        const QByteArray good
            = R"({"version":1,"id":"%ID%","task_id":"","filename":"x.bin","length":100,"metadata":"","sha256":""})";
        QTest::newRow("not JSON") << QByteArray("{\"version\":1,") << qint64(10);
        QTest::newRow("empty") << QByteArray() << qint64(10);
        QTest::newRow("an array") << QByteArray("[1,2]") << qint64(10);
        QTest::newRow("other id") << QByteArray(good).replace(
            "%ID%", "0b7b4f5c-1d8e-4f3a-9c1b-123456789abc")
                                  << qint64(10);
        QTest::newRow("newer version")
            << QByteArray(good).replace("\"version\":1", "\"version\":9") << qint64(10);
        QTest::newRow("negative length") << QByteArray(good).replace("100", "-1") << qint64(0);
        QTest::newRow("bad sha256")
            << QByteArray(good).replace("\"sha256\":\"\"", "\"sha256\":\"zz\"") << qint64(10);
        QTest::newRow("no partial file") << good << qint64(-1);
        QTest::newRow("partial file too long") << good << qint64(101);
    }

    void corruptedStateIgnored()
    {
        QFETCH(QByteArray, state);
        QFETCH(qint64, partSize);
        // A good upload beside the damaged one comes back.
        const UploadDriver::Info good = create(1000);
        QVERIFY(append(good.id, 0, QByteArray(10, 'a')));
        const QString id = u"6f1d2c3b-4a59-4e68-8f7a-9b0c1d2e3f40"_s;
        {
            QFile f(stateOf(id));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(state).replace("%ID%", id.toLatin1()));
        }
        if (partSize >= 0) {
            QFile f(partOf(id));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(partSize, 'p'));
        }
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(u"^Ignoring the saved upload "_s + id));
        restart();
        QCOMPARE(m_manager->count(), 1);
        QVERIFY(m_manager->info(good.id));
        QVERIFY(!m_manager->info(id));
        QVERIFY(!QFile::exists(stateOf(id)));
        QVERIFY(!QFile::exists(partOf(id)));
    }

    // The task is gone (a user removed it) or ended: the upload is not brought back.
    void droppedWhenTaskEnded_data()
    {
        QTest::addColumn<int>("state"); // -1: the task was removed
        QTest::newRow("removed") << -1;
        QTest::newRow("succeeded") << int(TaskState::Succeeded);
        QTest::newRow("failed") << int(TaskState::Failed);
        QTest::newRow("canceled") << int(TaskState::Canceled);
    }

    void droppedWhenTaskEnded()
    {
        QFETCH(int, state);
        const UploadDriver::Info info = create(1000);
        QVERIFY(append(info.id, 0, QByteArray(10, 'a')));
        restart([&](QList<TaskSnapshot> &tasks) {
            QCOMPARE(tasks.size(), 1);
            if (state < 0)
                tasks.clear();
            else
                tasks.first().state = TaskState(state);
        });
        QCOMPARE(m_manager->count(), 0);
        QVERIFY(QDir(uploadsDir()).isEmpty());
        if (state >= 0)
            QCOMPARE(int(task(info.taskId).state), state);
    }

    // Removing the interrupted task while Headway runs drops the upload too.
    void removingInterruptedTaskDropsUpload()
    {
        const UploadDriver::Info info = create(1000);
        QVERIFY(append(info.id, 0, QByteArray(10, 'a')));
        restart();
        QVERIFY(m_manager->info(info.id));
        QVERIFY(!m_engine->remove(info.taskId));
        QVERIFY(!m_manager->info(info.id));
        UploadError error;
        QVERIFY(!m_manager->append(info.id, 10, "b", &error));
        QCOMPARE(error.kind, UploadError::Kind::NotFound);
        QVERIFY(QDir(uploadsDir()).isEmpty());
    }

    // An interrupted upload task whose partial file was not kept fails at start with the reason
    // rather than being offered for a resume that cannot work.
    void unresumableTaskFailsAtStart()
    {
        TaskSnapshot t;
        t.id = u"a-lost-upload"_s;
        t.type = u"upload"_s;
        t.title = u"Upload lost.bin"_s;
        t.params = QJsonObject { { u"filename"_s, u"lost.bin"_s }, { u"size"_s, 10 } };
        t.state = TaskState::Running;
        t.created = QDateTime::currentDateTimeUtc();
        m_manager.reset();
        m_engine.reset();
        startEngine({ t });
        const TaskSnapshot lost = task(t.id);
        QCOMPARE(lost.state, TaskState::Failed);
        QCOMPARE(lost.error->code, u"not_resumable"_s);
        // Why, in so many words; and failed from interrupted with no retry (a new attempt) first.
        QVERIFY2(lost.error->message.contains(u"partial file was not kept: send the file again"),
                 qPrintable(lost.error->message));
        QCOMPARE(lost.attempt, 1);
    }
};

QTEST_MAIN(tst_UploadDriver)
#include "tst_uploaddriver.moc"
