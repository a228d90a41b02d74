#include "uploaddriver.h"

#include "app/core/enginecall.h"
#include "app/core/privatedir.h"
#include "app/core/queuedtaskdriver.h"
#include "app/core/taskengine.h"
#include "app/core/tasksnapshot.h"
#include "app/core/taskspec.h"
#include "app/core/tasktyperegistry.h"
#include "app/core/tsanpostgate.h"
#include "app/core/uploadstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QUuid>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {
const QString TypeName = u"upload"_s;

Q_LOGGING_CATEGORY(lcUploads, "headway.uploads")

bool isSha256Hex(const QByteArray &hex)
{
    return hex.size() == 64 && QByteArray::fromHex(hex).toHex() == hex;
}
} // namespace

template<class F> auto UploadDriver::withEngine(F &&f) const
{
    return m_call->callAlways(std::forward<F>(f));
}

UploadDriver::UploadDriver(TaskEngine &engine, const QString &dataDir, Options options,
                           QObject *parent)
    : QObject(parent), m_engine(engine), m_engineAlive(&engine),
      m_call(options.engineCall ? options.engineCall : std::make_shared<EngineCall>(&engine)),
      m_driver(std::make_unique<QueuedTaskDriver>(this, this)),
      m_store(QDir(dataDir).filePath(u"uploads"_s)), m_options(std::move(options))
{
    m_clock.start();
    withEngine([this] { m_engine.setExternalDriver(TypeName, m_driver.get()); });
    // Someone else's uploads folder is not read (HeadwayServer::listen() refuses to serve).
    QString error;
    m_store.setFreeSpace(m_options.freeSpace);
    if (PrivateDir::prepare(dataDir, &error) && m_store.prepare(&error))
        restore();
    else
        qCWarning(lcUploads, "%s", qUtf8Printable(error));
    connect(&m_expiryTimer, &QTimer::timeout, this, [this] { expireIdle(); });
    rearmTimer();
}

UploadDriver::UploadDriver(TaskEngine &engine, const QString &dataDir, QObject *parent)
    : UploadDriver(engine, dataDir, Options(), parent)
{
}

UploadDriver::~UploadDriver()
{
    // Only our own registration: another manager may have taken the type over since. First:
    // the engine posts nothing to this object after it.
    withEngine([this] {
        if (m_engineAlive && m_engine.externalDriver(TypeName) == m_driver.get())
            m_engine.setExternalDriver(TypeName, nullptr);
    });
    // Re-hashing workers post back to this object: stop them and wait (each stops within a
    // block of 1 MiB).
    for (const std::shared_ptr<Upload> &u : std::as_const(m_uploads)) {
        if (u->rehash)
            u->rehash->cancel = true;
    }
    // Also the flushes of finished files: a quit right after an upload leaves it on the disk.
    for (std::future<void> &job : m_workers)
        job.wait();
}

void UploadDriver::postProgress(const QString &taskId, const TaskProgress &progress)
{
    TaskEngine *engine = &m_engine;
    QPointer<TaskEngine> alive = m_engineAlive;
    m_call->post([engine, alive, taskId, progress] {
        if (!alive)
            return;
        const std::optional<TaskSnapshot> task = engine->task(taskId);
        if (!task || isFinished(task->state))
            return; // removed or canceled by a user meanwhile
        ExternalUpdate update;
        update.progress = progress;
        engine->updateExternal(taskId, update);
    });
}

void UploadDriver::setOptions(Options options)
{
    m_options = std::move(options);
    m_store.setFreeSpace(m_options.freeSpace);
    rearmTimer();
}

void UploadDriver::rearmTimer()
{
    // Often enough that an upload lives at most ~1.25 x the expiry, at most once a minute.
    const qint64 expiry = m_options.expiry.count();
    m_expiryTimer.start(int(std::clamp<qint64>(expiry / 4, 50, 60'000)));
}

// Written once, at creation: what a restart cannot learn from the partial file. The offset is
// the partial file's size and the last activity its modification time, so a chunk costs no
// extra write.
bool UploadDriver::saveState(const Upload &upload, QString *error) const
{
    const Info &info = upload.info;
    const QJsonObject state {
        { u"task_id"_s, info.taskId },
        { u"filename"_s, info.filename },
        { u"length"_s, info.length },
        { u"metadata"_s, QString::fromLatin1(info.metadata) },
        { u"sha256"_s, QString::fromLatin1(upload.expectedSha256) },
        { u"created"_s, upload.created.toString(Qt::ISODateWithMs) },
        { u"last_activity"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) },
    };
    return m_store.saveState(info.id, state, error);
}

void UploadDriver::removeFiles(Upload &upload)
{
    upload.stream.reset();
    if (upload.rehash) {
        upload.rehash->cancel = true;
        upload.rehash.reset();
    }
    m_store.remove(upload.info.id);
}

// Brings back the uploads of an earlier run from their state files; removes what cannot come
// back (a partial file without state, a state without partial file, an unreadable state, an
// upload whose task is gone or finished).
void UploadDriver::restore()
{
    QList<std::shared_ptr<Upload>> restored;
    const QStringList saved = m_store.savedIds();
    for (const QString &id : saved) {
        if (std::shared_ptr<Upload> upload = load(id)) {
            m_uploads.insert(upload->info.id, upload);
            restored.append(upload);
        }
    }
    // Partial files without state: a crash between creating the two files, or a Headway from
    // before uploads were resumable.
    const QStringList unsaved = m_store.unsavedParts();
    for (const QString &id : unsaved) {
        qCInfo(lcUploads, "Removing %s.part: no saved state, it cannot be resumed",
               qUtf8Printable(id));
        m_store.remove(id);
    }

    for (const std::shared_ptr<Upload> &upload : std::as_const(restored)) {
        Info &info = upload->info;
        const bool keep
            = info.taskId.isEmpty() || withEngine([&] {
                  if (!m_engineAlive)
                      return true;
                  const std::optional<TaskSnapshot> task = m_engine.task(info.taskId);
                  // Only a user removes a task that has not succeeded (it must be finished first):
                  // take that as "drop it". A finished task is never brought back to life either.
                  if (!task || (task->state != TaskState::Interrupted && isFinished(task->state))) {
                      qCInfo(lcUploads, "Removing upload %s: its task is %s",
                             qUtf8Printable(info.id),
                             task ? qUtf8Printable(taskStateName(task->state)) : "gone");
                      return false;
                  }
                  // The byte count it will resume from, in every view (a progress-only update is
                  // allowed on an interrupted task).
                  ExternalUpdate update;
                  update.progress
                      = progress(*upload, 0,
                                 task->state == TaskState::Interrupted
                                     ? tr("Interrupted: resumes when the sender sends the rest")
                                     : tr("Waiting for data"));
                  m_engine.updateExternal(info.taskId, update);
                  return true;
              });
        if (!keep) {
            removeFiles(*upload);
            m_uploads.remove(info.id);
            continue;
        }
        if (info.offset > 0)
            startRehash(*upload);
        else if (info.length == 0)
            rehashDone(info.id, nullptr); // complete it now
    }
    failUnresumable();
    expireIdle();
}

// Reads one saved upload back; nullptr (after removing its files) if it cannot come back.
std::shared_ptr<UploadDriver::Upload> UploadDriver::load(const QString &id)
{
    const auto drop = [&](const QString &why) {
        qCWarning(lcUploads, "Ignoring the saved upload %s and removing its files: %s",
                  qUtf8Printable(id), qUtf8Printable(why));
        m_store.remove(id);
        return std::shared_ptr<Upload>();
    };
    QString why;
    const std::optional<QJsonObject> loaded = m_store.loadState(id, &why);
    if (!loaded)
        return drop(why);
    const QJsonObject &state = *loaded;
    const qint64 length = state.value(u"length"_s).toInteger(-1);
    const QByteArray sha256 = state.value(u"sha256"_s).toString().toLatin1();
    if (length < 0 || !state.value(u"filename"_s).isString()
        || (!sha256.isEmpty() && !isSha256Hex(sha256))) {
        return drop(u"the state file has a wrong length, file name or sha256"_s);
    }
    const QFileInfo partInfo(m_store.partPath(id));
    if (m_store.partSize(id) < 0)
        return drop(u"its partial file is missing"_s);
    if (partInfo.size() > length)
        return drop(
            u"its partial file is longer than the upload (%1 > %2 bytes)"_s.arg(partInfo.size())
                .arg(length));

    auto upload = std::make_shared<Upload>();
    Info &info = upload->info;
    info.id = id;
    info.taskId = state.value(u"task_id"_s).toString();
    info.filename = UploadStore::sanitizeFilename(state.value(u"filename"_s).toString());
    info.length = length;
    info.offset = partInfo.size(); // what reached the disk, whatever happened after
    info.metadata = state.value(u"metadata"_s).toString().toLatin1();
    upload->expectedSha256 = sha256;
    const QDateTime nowUtc = QDateTime::currentDateTimeUtc();
    upload->created
        = QDateTime::fromString(state.value(u"created"_s).toString(), Qt::ISODateWithMs);
    if (!upload->created.isValid())
        upload->created = nowUtc;
    // The last chunk's time is the partial file's modification time.
    QDateTime last = partInfo.lastModified().toUTC();
    const QDateTime saved
        = QDateTime::fromString(state.value(u"last_activity"_s).toString(), Qt::ISODateWithMs);
    if (!last.isValid() || (saved.isValid() && saved > last))
        last = saved;
    const qint64 idleMs = last.isValid() ? std::max<qint64>(0, last.msecsTo(nowUtc)) : 0;
    upload->lastActivityMs = m_clock.elapsed() - idleMs;
    return upload;
}

// Rebuilds the running SHA-256 of a restored partial file on a worker thread, so a large
// file does not hold up the event loop. Chunks that arrive meanwhile are written only; the
// worker reads on until it has caught up (rehashDone() starts it again if more came).
void UploadDriver::startRehash(Upload &upload)
{
    std::shared_ptr<Rehash> rehash = upload.rehash;
    if (!rehash) {
        rehash = std::make_shared<Rehash>();
        rehash->hash = std::move(upload.hash);
        if (!rehash->hash)
            rehash->hash = std::make_shared<Digest>(Digest::Algorithm::Sha256);
        rehash->path = m_store.partPath(upload.info.id);
        upload.rehash = rehash;
    }
    rehash->target = upload.info.offset;
    const QString id = upload.info.id;
    addWorker(std::async(std::launch::async, [this, id, rehash] {
        QFile file(rehash->path);
        if (!file.open(QIODevice::ReadOnly) || !file.seek(rehash->hashed)) {
            rehash->error = file.errorString();
        } else {
            QByteArray buffer(1024 * 1024, Qt::Uninitialized);
            qint64 target = 0;
            while (!rehash->cancel && rehash->hashed < (target = rehash->target.load())) {
                const qint64 n = file.read(
                    buffer.data(), std::min<qint64>(buffer.size(), target - rehash->hashed));
                if (n <= 0) {
                    rehash->error
                        = n < 0 ? file.errorString() : tr("the file is shorter than expected");
                    break;
                }
                rehash->hash->addData(buffer.constData(), n);
                rehash->hashed += n;
            }
        }
        static TsanPostGate gate; // from the worker to this object's thread
        const auto posting = gate.post();
        QMetaObject::invokeMethod(
            this,
            [this, id, rehash] {
                gate.pass();
                rehashDone(id, rehash);
            },
            Qt::QueuedConnection);
    }));
}

void UploadDriver::addWorker(std::future<void> job)
{
    std::erase_if(m_workers, [](const std::future<void> &f) {
        return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    });
    m_workers.push_back(std::move(job));
}

// A worker finished (rehash) or, with rehash null, a restored upload needs no hashing.
void UploadDriver::rehashDone(const QString &id, const std::shared_ptr<Rehash> &rehash)
{
    const auto it = m_uploads.constFind(id);
    if (it == m_uploads.cend() || (*it)->rehash != rehash)
        return; // dropped meanwhile
    const std::shared_ptr<Upload> keep = *it;
    Upload &upload = *keep;
    if (rehash) {
        if (!rehash->error.isEmpty()) {
            fail(upload, u"io_error"_s,
                 tr("Cannot read the partial file back after a restart: %1").arg(rehash->error));
            return;
        }
        if (rehash->hashed < upload.info.offset) {
            startRehash(upload); // chunks arrived while it read
            return;
        }
        qCDebug(lcUploads, "Upload %s: SHA-256 state rebuilt from %lld bytes", qUtf8Printable(id),
                rehash->hashed);
        upload.hash = std::move(rehash->hash);
        upload.rehash.reset();
    }
    if (!upload.info.finished && upload.info.offset == upload.info.length) {
        // Every byte had arrived before the restart: finish it (the sender believes it done).
        resumeTask(upload);
        UploadError error;
        complete(upload, &error);
    }
}

bool UploadDriver::hashReady(const QString &id) const
{
    const auto it = m_uploads.constFind(id);
    return it != m_uploads.cend() && !(*it)->rehash;
}

bool UploadDriver::taskGone(const Upload &upload) const
{
    const QString taskId = upload.info.taskId;
    return !taskId.isEmpty()
        && withEngine([this, &taskId] { return m_engineAlive && !m_engine.task(taskId); });
}

// An interrupted task (a restored upload) goes back to running through a retry, which hands
// it to startTask(). Done when its sender sends data again.
void UploadDriver::resumeTask(Upload &upload)
{
    const QString taskId = upload.info.taskId;
    if (taskId.isEmpty())
        return;
    withEngine([this, &taskId] {
        if (!m_engineAlive)
            return;
        const std::optional<TaskSnapshot> task = m_engine.task(taskId);
        if (task && task->state == TaskState::Interrupted)
            m_engine.retry(taskId);
    });
}

// An "upload" task with no upload behind it cannot run: only its sender can start it again.
void UploadDriver::failNotResumable(const QString &taskId, const QString &message)
{
    endTask(taskId, TaskState::Failed, TaskError { u"not_resumable"_s, message, {} });
}

// Ends the task in whatever state it is, interrupted included, with no retry in between; the
// engine refuses (and nothing happens) when a user ended or removed it meanwhile.
void UploadDriver::endTask(const QString &taskId, TaskState state, TaskError error)
{
    if (taskId.isEmpty())
        return;
    withEngine([&] {
        if (m_engineAlive)
            m_engine.endExternal(taskId, state, std::move(error));
    });
}

// Interrupted "upload" tasks whose upload did not come back (from a Headway that did not keep
// partial files, or whose files were damaged) fail at once with the reason, instead of being
// offered for a resume that cannot work.
void UploadDriver::failUnresumable()
{
    const QList<TaskSnapshot> tasks
        = withEngine([this] { return m_engineAlive ? m_engine.tasks() : QList<TaskSnapshot>(); });
    for (const TaskSnapshot &task : tasks) {
        if (task.type != TypeName || task.state != TaskState::Interrupted || findByTask(task.id))
            continue;
        failNotResumable(task.id,
                         tr("Headway stopped during this upload and its partial file was not kept: "
                            "send the file again."));
    }
}

std::optional<UploadDriver::Info> UploadDriver::create(qint64 length, const QString &filename,
                                                       const QByteArray &metadata,
                                                       const QByteArray &expectedSha256,
                                                       UploadError *error)
{
    if (length > m_options.maxSize) {
        *error = { UploadError::Kind::TooLarge,
                   tr("The file is larger than this server accepts (%1 bytes at most).")
                       .arg(m_options.maxSize) };
        return std::nullopt;
    }
    auto upload = std::make_shared<Upload>();
    Info &info = upload->info;
    info.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    info.filename = UploadStore::sanitizeFilename(filename);
    info.length = length;
    info.metadata = metadata;
    upload->expectedSha256 = expectedSha256.toLower();
    upload->lastActivityMs = m_clock.elapsed();
    upload->created = QDateTime::currentDateTimeUtc();

    if (const UploadError created = m_store.createPart(info.id, length)) {
        *error = created;
        return std::nullopt;
    }

    info.taskId = withEngine([&] {
        if (!m_engineAlive || !m_engine.registry().find(TypeName))
            return QString();
        TaskSpec spec;
        spec.type = TypeName;
        spec.params = QJsonObject { { u"filename"_s, info.filename }, { u"size"_s, length } };
        const Result<TaskSnapshot> task = m_engine.submit(spec);
        return task ? task->id : QString();
    });
    m_uploads.insert(info.id, upload);
    if (!info.taskId.isEmpty()) {
        ExternalUpdate running;
        running.state = TaskState::Running;
        updateTask(*upload, running);
    }
    QString saveError;
    if (!saveState(*upload, &saveError)) {
        const QString message = tr("Cannot save the upload's state: %1").arg(saveError);
        *error = { UploadError::Kind::Io, message };
        fail(*upload, *error);
        return std::nullopt;
    }
    reportProgress(*upload, 0, tr("Waiting for data"));
    if (length == 0)
        complete(*upload, error);
    if (*error)
        return std::nullopt;
    return upload->info;
}

std::optional<UploadDriver::Info> UploadDriver::info(const QString &id) const
{
    const auto it = m_uploads.constFind(id);
    if (it == m_uploads.cend() || taskGone(**it))
        return std::nullopt;
    return (*it)->info;
}

std::shared_ptr<UploadDriver::Upload> UploadDriver::findForAppend(const QString &id,
                                                                  UploadError *error)
{
    const auto it = m_uploads.constFind(id);
    if (it != m_uploads.cend() && taskGone(**it)) {
        // A user removed its (interrupted) task: the upload goes with it.
        removeFiles(**it);
        m_uploads.erase(it);
    } else if (it != m_uploads.cend()) {
        return *it;
    }
    *error = { UploadError::Kind::NotFound,
               tr("There is no upload %1 (finished, canceled or expired).").arg(id) };
    return nullptr;
}

bool UploadDriver::checkAppend(const Upload &upload, qint64 offset, qint64 size,
                               UploadError *error) const
{
    const Info &info = upload.info;
    if (offset != info.offset) {
        *error = { UploadError::Kind::OffsetMismatch,
                   tr("Upload-Offset is %1 but the server has %2 bytes: resume from %2.")
                       .arg(offset)
                       .arg(info.offset) };
        return false;
    }
    if (info.finished || upload.stream) {
        *error = { UploadError::Kind::OffsetMismatch,
                   info.finished ? tr("This upload is already complete.")
                                 : tr("Another request is sending this upload's data now.") };
        return false;
    }
    if (size > info.length - info.offset) {
        *error
            = { UploadError::Kind::TooLarge,
                tr("The chunk goes past the declared Upload-Length (%1 bytes).").arg(info.length) };
        return false;
    }
    return true;
}

std::optional<qint64> UploadDriver::append(const QString &id, qint64 offset,
                                           const QByteArray &chunk, UploadError *error)
{
    if (const std::shared_ptr<Upload> upload = findForAppend(id, error))
        return appendTo(upload, offset, chunk, error);
    return std::nullopt;
}

std::optional<qint64> UploadDriver::appendTo(std::shared_ptr<Upload> keep, qint64 offset,
                                             const QByteArray &chunk, UploadError *error)
{
    // keep: fail() removes the upload from the table
    Upload &upload = *keep;
    const QString id = upload.info.id;
    Info &info = upload.info;
    if (!checkAppend(upload, offset, chunk.size(), error))
        return std::nullopt;
    upload.lastActivityMs = m_clock.elapsed();
    resumeTask(upload); // a restored upload whose sender came back before any user did
    if (chunk.isEmpty())
        return info.offset;

    if (const UploadError written = m_store.writeAt(id, info.offset, chunk)) {
        *error = written;
        fail(upload, written);
        return std::nullopt;
    }
    info.offset += chunk.size();
    if (upload.rehash)
        upload.rehash->target = info.offset; // the worker hashes it from the file
    else
        m_hasher.add(upload.hash, chunk); // overlaps with receiving the next chunk
    upload.speed.update(m_clock.elapsed(), info.offset);
    return afterAppend(upload, error);
}

std::optional<qint64> UploadDriver::afterAppend(Upload &upload, UploadError *error)
{
    Info &info = upload.info;
    if (info.offset == info.length && upload.rehash) {
        // The SHA-256 of what came before a restart is still being rebuilt (at disk speed: it
        // may take a while for a large file). Waiting here would stall the event loop, and with
        // it the window: verify when the worker is done (rehashDone() completes the upload; a
        // mismatch then fails the task, seen by every viewer).
        reportProgress(upload, 1, tr("Verifying"));
    } else if (info.offset == info.length) {
        complete(upload, error);
        if (*error)
            return std::nullopt;
    } else {
        reportProgress(upload, 0, tr("Receiving"));
    }
    return info.offset;
}

std::optional<qint64> UploadDriver::beginStream(const QString &id, qint64 offset, qint64 bodyLength,
                                                UploadError *error)
{
    const std::shared_ptr<Upload> keep = findForAppend(id, error);
    if (!keep || !checkAppend(*keep, offset, bodyLength, error))
        return std::nullopt;
    Upload &upload = *keep;
    // The disk must hold the whole body, as for a buffered chunk (UploadStore::writeAt).
    const qint64 space = m_store.freeSpace();
    if (space >= 0 && bodyLength > space) {
        *error = { UploadError::Kind::DiskFull,
                   tr("The disk is full: the upload was stopped and its partial file removed.") };
        fail(upload, *error);
        return std::nullopt;
    }
    auto file = std::make_unique<QFile>(m_store.partPath(id));
    if (!file->open(QIODevice::ReadWrite | QIODevice::Unbuffered)) {
        *error
            = { UploadError::Kind::Io, tr("Cannot write the upload: %1").arg(file->errorString()) };
        fail(upload, *error);
        return std::nullopt;
    }
    upload.stream = std::move(file);
    upload.lastActivityMs = m_clock.elapsed();
    resumeTask(upload); // a restored upload whose sender came back before any user did
    return upload.info.offset;
}

bool UploadDriver::streamWrite(const QString &id, const QByteArray &piece, UploadError *error)
{
    const auto it = m_uploads.constFind(id);
    if (it == m_uploads.cend() || !(*it)->stream) {
        *error = { UploadError::Kind::NotFound,
                   tr("There is no upload %1 (finished, canceled or expired).").arg(id) };
        return false;
    }
    const std::shared_ptr<Upload> keep = *it;
    Upload &upload = *keep;
    Info &info = upload.info;
    if (piece.size() > info.length - info.offset) { // the guard holds the body to its length
        *error
            = { UploadError::Kind::TooLarge,
                tr("The chunk goes past the declared Upload-Length (%1 bytes).").arg(info.length) };
        return false;
    }
    errno = 0;
    // Straight to the file at the offset: what returns from here is in it (the offset never
    // runs ahead of the file's size, which is the offset after a restart).
    const qint64 written = ::pwrite(int(upload.stream->handle()), piece.constData(),
                                    size_t(piece.size()), off_t(info.offset));
    if (written > 0)
        info.offset += written;
    if (written != piece.size()) {
        const bool full = errno == ENOSPC;
        *error = full ? UploadError { UploadError::Kind::DiskFull,
                                      tr("The disk is full: the upload was stopped and its "
                                         "partial file removed.") }
                      : UploadError { UploadError::Kind::Io,
                                      tr("Cannot write the upload: %1")
                                          .arg(QString::fromLocal8Bit(std::strerror(errno))) };
        upload.stream.reset();
        fail(upload, *error);
        return false;
    }
    if (upload.rehash)
        upload.rehash->target = info.offset;
    else
        m_hasher.add(upload.hash, piece); // off the receiving path
    const qint64 nowMs = m_clock.elapsed();
    upload.lastActivityMs = nowMs;
    upload.speed.update(nowMs, info.offset);
    // Pieces come by the thousand: the task hears of them a few times a second.
    if (upload.lastReportMs < 0 || nowMs - upload.lastReportMs >= 100) {
        upload.lastReportMs = nowMs;
        reportProgress(upload, 0, tr("Receiving"));
    }
    return true;
}

std::optional<qint64> UploadDriver::endStream(const QString &id, UploadError *error)
{
    const auto it = m_uploads.constFind(id);
    if (it == m_uploads.cend()) {
        *error = { UploadError::Kind::NotFound,
                   tr("There is no upload %1 (finished, canceled or expired).").arg(id) };
        return std::nullopt;
    }
    const std::shared_ptr<Upload> keep = *it;
    keep->stream.reset();
    keep->lastReportMs = -1;
    return afterAppend(*keep, error);
}

void UploadDriver::complete(Upload &upload, UploadError *error)
{
    Info &info = upload.info;
    reportProgress(upload, 1, tr("Verifying"));
    m_hasher.wait(); // the last chunks may still be queued (one at most)
    const QByteArray digest = upload.hash->result().toHex();
    if (const qint64 size = m_store.partSize(info.id); size != info.length) {
        *error = { UploadError::Kind::VerifyFailed,
                   tr("The partial file has %1 bytes, not %2: it changed on disk.")
                       .arg(size)
                       .arg(info.length) };
        fail(upload, *error);
        return;
    }
    if (!upload.expectedSha256.isEmpty() && upload.expectedSha256 != digest) {
        *error
            = { UploadError::Kind::ChecksumMismatch,
                tr("The SHA-256 of the received file (%1) is not the one announced (%2).")
                    .arg(QString::fromLatin1(digest), QString::fromLatin1(upload.expectedSha256)) };
        fail(upload, *error);
        return;
    }
    // Never onto an existing entry (a planted dangling link would be written through), and
    // never a copy: the partial file lies in the same folder. A name taken meanwhile: the next.
    const std::optional<QString> placed = m_store.place(info.id, info.filename, error);
    if (!placed) {
        fail(upload, *error);
        return;
    }
    const QString target = *placed;
    // In place at once, as cp leaves a file; flushed to the disk by a worker right after.
    // fsync here took as long as the disk needs for the whole file (seconds for a large one
    // on a slow disk), all of it with the event loop, and so the window, stalled.
    addWorker(std::async(std::launch::async, [target] {
        QFile file(target);
        if (file.open(QIODevice::ReadOnly))
            ::fsync(file.handle());
    }));
    info.finished = true;
    info.path = target;
    upload.lastActivityMs = m_clock.elapsed();
    TaskProgress p;
    p.percent = 100.0;
    p.processed = info.length;
    p.total = info.length;
    p.unit = u"bytes"_s;
    p.steps = QStringList { tr("Upload"), tr("Verify"), tr("Complete") };
    p.step = 2;
    p.eta = 0.0;
    p.speed = upload.speed.speed();
    p.message = tr("Saved as %1").arg(QFileInfo(target).fileName());
    ExternalUpdate done;
    done.progress = p;
    done.result = QJsonObject { { u"path"_s, target },
                                { u"filename"_s, QFileInfo(target).fileName() },
                                { u"bytes"_s, info.length },
                                { u"sha256"_s, QString::fromLatin1(digest) } };
    done.state = TaskState::Succeeded;
    updateTask(upload, done);
    // Committed before the sender hears "complete" (the 204 after this) and before the state
    // goes: a kill -9 right after that answer used to find, on restart, the file in place, no
    // upload state and the task back at interrupted ("partial file was not kept").
    withEngine([this] {
        if (m_engineAlive)
            m_engine.publishTransitions();
    });
    m_store.remove(info.id); // its state: a finished upload is never brought back
}

void UploadDriver::fail(Upload &upload, const UploadError &error)
{
    fail(upload, error.code(), error.message);
}

void UploadDriver::fail(Upload &upload, const QString &code, const QString &message)
{
    const QString id = upload.info.id;
    removeFiles(upload);
    endTask(upload.info.taskId, TaskState::Failed, TaskError { code, message, {} });
    m_uploads.remove(id);
}

void UploadDriver::reportProgress(Upload &upload, int step, const QString &message)
{
    ExternalUpdate update;
    update.progress = progress(upload, step, message);
    updateTask(upload, update);
}

TaskProgress UploadDriver::progress(const Upload &upload, int step, const QString &message) const
{
    const Info &info = upload.info;
    TaskProgress p;
    p.processed = info.offset;
    p.total = info.length;
    p.unit = u"bytes"_s;
    p.percent = info.length > 0 ? 100.0 * double(info.offset) / double(info.length) : 0.0;
    p.speed = upload.speed.speed();
    p.eta = upload.speed.eta(info.length - info.offset);
    p.steps = QStringList { tr("Upload"), tr("Verify"), tr("Complete") };
    p.step = step;
    p.message = message;
    return p;
}

void UploadDriver::updateTask(const Upload &upload, const ExternalUpdate &update)
{
    const QString &taskId = upload.info.taskId;
    if (taskId.isEmpty())
        return;
    // Progress alone (what each chunk reports) is not waited for; the rest is, in order.
    if (update.progress && !update.state && !update.result && !update.error
        && update.output.isEmpty()) {
        postProgress(taskId, *update.progress);
        return;
    }
    withEngine([&] {
        if (!m_engineAlive)
            return;
        const std::optional<TaskSnapshot> task = m_engine.task(taskId);
        if (!task || isFinished(task->state))
            return; // removed or canceled by a user meanwhile
        m_engine.updateExternal(taskId, update);
    });
}

UploadError UploadDriver::terminate(const QString &id)
{
    const auto it = m_uploads.constFind(id);
    if (it == m_uploads.cend())
        return { UploadError::Kind::NotFound,
                 tr("There is no upload %1 (finished, canceled or expired).").arg(id) };
    const std::shared_ptr<Upload> upload = *it;
    if (!upload->info.finished) {
        removeFiles(*upload);
        m_uploads.remove(id);
        endTask(upload->info.taskId, TaskState::Canceled,
                TaskError { u"terminated"_s, tr("The uploader canceled the upload."), {} });
    } else {
        m_uploads.remove(id);
    }
    return {};
}

int UploadDriver::expireIdle()
{
    const qint64 now = m_clock.elapsed();
    const qint64 expiry = m_options.expiry.count();
    QList<std::shared_ptr<Upload>> stale;
    for (const std::shared_ptr<Upload> &u : std::as_const(m_uploads)) {
        if (now - u->lastActivityMs > expiry || taskGone(*u))
            stale.append(u);
    }
    for (const std::shared_ptr<Upload> &u : std::as_const(stale)) {
        if (u->info.finished) {
            m_uploads.remove(u->info.id);
        } else if (taskGone(*u)) {
            removeFiles(*u); // a user removed its task
            m_uploads.remove(u->info.id);
        } else
            fail(*u, u"expired"_s, tr("The upload was abandoned: nothing arrived for too long."));
    }
    return int(stale.size());
}

UploadDriver::Upload *UploadDriver::findByTask(const QString &taskId)
{
    for (const std::shared_ptr<Upload> &u : std::as_const(m_uploads)) {
        if (u->info.taskId == taskId)
            return u.get();
    }
    return nullptr;
}

void UploadDriver::startTask(const TaskSnapshot &task)
{
    if (Upload *upload = findByTask(task.id); upload && !upload->info.finished) {
        // A restored upload resumed by a user (retry) or by its sender's next chunk: running
        // again, waiting for the rest from the offset it has.
        upload->lastActivityMs = m_clock.elapsed(); // a fresh expiry period for the sender
        upload->speed.reset();
        upload->speed.update(m_clock.elapsed(), upload->info.offset);
        ExternalUpdate update;
        update.state = TaskState::Running;
        update.progress = progress(*upload, 0, tr("Waiting for data"));
        withEngine([&] {
            if (m_engineAlive)
                m_engine.updateExternal(task.id, update);
        });
        return;
    }
    // Called inside submit(), before create() knows the task's id; and for uploads that
    // cannot run (whose partial file was not kept, retried after they failed, or submitted
    // through /api/v1/tasks). Look again once the current call is done.
    const QString taskId = task.id;
    QTimer::singleShot(0, this, [this, taskId] {
        if (findByTask(taskId))
            return;
        const bool running = withEngine([this, &taskId] {
            const std::optional<TaskSnapshot> t
                = m_engineAlive ? m_engine.task(taskId) : std::nullopt;
            return t && !isFinished(t->state);
        });
        if (!running)
            return;
        failNotResumable(taskId,
                         tr("Uploads are started by their sender (POST /api/v1/uploads): "
                            "send the file again."));
    });
}

void UploadDriver::cancelTask(const TaskSnapshot &task)
{
    Upload *upload = findByTask(task.id);
    if (!upload)
        return;
    const QString id = upload->info.id;
    const bool finished = upload->info.finished;
    if (!finished)
        removeFiles(*upload);
    m_uploads.remove(id);
    if (finished)
        return;
    if (task.state == TaskState::Running || task.state == TaskState::Paused) {
        ExternalUpdate update;
        update.state = TaskState::Canceled;
        update.error = TaskError { u"canceled"_s,
                                   tr("The upload was canceled; its partial file was removed."),
                                   {} };
        withEngine([&] {
            if (m_engineAlive)
                m_engine.updateExternal(task.id, update);
        });
    }
}
