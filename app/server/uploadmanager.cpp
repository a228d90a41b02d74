#include "uploadmanager.h"

#include "app/core/taskengine.h"
#include "app/core/tasksnapshot.h"
#include "app/core/taskspec.h"
#include "app/core/tasktyperegistry.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>
#include <QStorageInfo>
#include <QUuid>

#include <algorithm>
#include <cerrno>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {
const QString TypeName = u"upload"_s;

bool isPartName(const QString &name)
{
    static const QRegularExpression re(u"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.part$"_s);
    return re.match(name).hasMatch();
}
} // namespace

UploadManager::UploadManager(TaskEngine &engine, const QString &dataDir, QObject *parent)
    : QObject(parent), m_engine(engine), m_engineAlive(&engine),
      m_dir(QDir(dataDir).filePath(u"uploads"_s))
{
    m_clock.start();
    QDir().mkpath(m_dir);
    removeOrphans();
    m_engine.setExternalDriver(TypeName, this);
    connect(&m_expiryTimer, &QTimer::timeout, this, [this] { expireIdle(); });
    rearmTimer();
}

UploadManager::~UploadManager()
{
    if (m_engineAlive)
        m_engine.setExternalDriver(TypeName, nullptr);
}

void UploadManager::setOptions(Options options)
{
    m_options = std::move(options);
    rearmTimer();
}

void UploadManager::rearmTimer()
{
    // Often enough that an upload lives at most ~1.25 x the expiry, at most once a minute.
    const qint64 expiry = m_options.expiry.count();
    m_expiryTimer.start(int(std::clamp<qint64>(expiry / 4, 50, 60'000)));
}

// Partial files from an earlier run cannot be resumed (their state was in memory): remove them.
void UploadManager::removeOrphans()
{
    const QDir dir(m_dir);
    const QStringList parts = dir.entryList({u"*.part"_s}, QDir::Files | QDir::Hidden);
    for (const QString &name : parts) {
        if (isPartName(name))
            QFile::remove(dir.filePath(name));
    }
}

QString UploadManager::partPath(const QString &id) const
{
    return QDir(m_dir).filePath(id + u".part"_s);
}

QString UploadManager::sanitizeFilename(const QString &name)
{
    QString base = name;
    // Only the last component of any path, whichever separator the client's system uses.
    const qsizetype cut = std::max(base.lastIndexOf(u'/'), base.lastIndexOf(u'\\'));
    if (cut >= 0)
        base = base.mid(cut + 1);
    QString clean;
    clean.reserve(base.size());
    for (const QChar c : std::as_const(base)) {
        const char16_t u = c.unicode();
        if (u < 0x20 || u == 0x7f || (u >= 0x80 && u < 0xa0) || c.category() == QChar::Other_Format)
            continue; // control and invisible formatting characters
        if (u == u':' || u == u'*' || u == u'?' || u == u'"' || u == u'<' || u == u'>' || u == u'|')
            clean.append(u'_');
        else
            clean.append(c);
    }
    while (clean.contains(u".."))
        clean.replace(u".."_s, u"."_s);
    clean = clean.trimmed();
    while (clean.startsWith(u'.'))
        clean.remove(0, 1); // no hidden files, nothing that looks like "." or ".."
    // File systems allow 255 bytes per name.
    while (clean.toUtf8().size() > 200)
        clean.chop(1);
    if (clean.isEmpty())
        clean = u"upload"_s;
    if (isPartName(clean))
        clean.prepend(u"upload-"_s); // never mistaken for a partial file
    return clean;
}

QString UploadManager::uniqueTarget(const QString &filename) const
{
    const QDir dir(m_dir);
    if (!QFileInfo::exists(dir.filePath(filename)))
        return dir.filePath(filename);
    const QFileInfo fi(filename);
    const QString stem = fi.completeBaseName();
    const QString suffix = fi.suffix().isEmpty() ? QString() : u'.' + fi.suffix();
    for (int i = 1;; ++i) {
        const QString candidate = dir.filePath(stem + u" ("_s + QString::number(i) + u')' + suffix);
        if (!QFileInfo::exists(candidate))
            return candidate;
    }
}

qint64 UploadManager::freeSpace() const
{
    if (m_options.freeSpace)
        return m_options.freeSpace();
    return QStorageInfo(m_dir).bytesAvailable();
}

std::optional<UploadManager::Info> UploadManager::create(qint64 length, const QString &filename,
                                                         const QByteArray &metadata,
                                                         const QByteArray &expectedSha256,
                                                         Error *error)
{
    if (length > m_options.maxSize) {
        *error = {413, u"payload_too_large"_s,
                  tr("The file is larger than this server accepts (%1 bytes at most).")
                      .arg(m_options.maxSize)};
        return std::nullopt;
    }
    const qint64 space = freeSpace();
    if (space >= 0 && length > space) {
        *error = {507, u"disk_full"_s,
                  tr("There is not enough free disk space for this file (%1 free).")
                      .arg(QLocale::c().formattedDataSize(space))};
        return std::nullopt;
    }
    auto upload = std::make_shared<Upload>();
    Info &info = upload->info;
    info.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    info.filename = sanitizeFilename(filename);
    info.length = length;
    info.metadata = metadata;
    upload->expectedSha256 = expectedSha256.toLower();
    upload->lastActivityMs = m_clock.elapsed();

    QFile part(partPath(info.id));
    if (!QDir().mkpath(m_dir) || !part.open(QIODevice::WriteOnly)) {
        *error = {500, u"io_error"_s, tr("Cannot create the upload file: %1").arg(part.errorString())};
        return std::nullopt;
    }
    part.close();

    if (m_engine.registry().find(TypeName)) {
        TaskSpec spec;
        spec.type = TypeName;
        spec.params = QJsonObject{{u"filename"_s, info.filename}, {u"size"_s, length}};
        const Result<TaskSnapshot> task = m_engine.submit(spec);
        if (task)
            info.taskId = task->id;
    }
    m_uploads.insert(info.id, upload);
    if (!info.taskId.isEmpty()) {
        ExternalUpdate running;
        running.state = TaskState::Running;
        updateTask(*upload, running);
    }
    reportProgress(*upload, 0, tr("Waiting for data"));
    if (length == 0)
        complete(*upload, error);
    if (*error)
        return std::nullopt;
    return upload->info;
}

std::optional<UploadManager::Info> UploadManager::info(const QString &id) const
{
    const auto it = m_uploads.constFind(id);
    if (it == m_uploads.cend())
        return std::nullopt;
    return (*it)->info;
}

std::optional<qint64> UploadManager::append(const QString &id, qint64 offset,
                                            const QByteArray &chunk, Error *error)
{
    const auto it = m_uploads.constFind(id);
    if (it == m_uploads.cend()) {
        *error = {404, u"not_found"_s, tr("There is no upload %1 (finished, canceled or expired).").arg(id)};
        return std::nullopt;
    }
    const std::shared_ptr<Upload> keep = *it; // fail() removes it from the table
    Upload &upload = *keep;
    Info &info = upload.info;
    if (offset != info.offset) {
        *error = {409, u"offset_mismatch"_s,
                  tr("Upload-Offset is %1 but the server has %2 bytes: resume from %2.")
                      .arg(offset).arg(info.offset)};
        return std::nullopt;
    }
    if (info.finished) {
        *error = {409, u"offset_mismatch"_s, tr("This upload is already complete.")};
        return std::nullopt;
    }
    if (chunk.size() > info.length - info.offset) {
        *error = {413, u"payload_too_large"_s,
                  tr("The chunk goes past the declared Upload-Length (%1 bytes).").arg(info.length)};
        return std::nullopt;
    }
    upload.lastActivityMs = m_clock.elapsed();
    if (chunk.isEmpty())
        return info.offset;

    const qint64 space = freeSpace();
    bool diskFull = space >= 0 && chunk.size() > space;
    QString ioError;
    if (!diskFull) {
        QFile part(partPath(id));
        if (!part.open(QIODevice::ReadWrite) || !part.seek(info.offset)) {
            ioError = part.errorString();
        } else {
            errno = 0;
            const qint64 written = part.write(chunk);
            const bool flushed = part.flush();
            diskFull = (written != chunk.size() || !flushed) && errno == ENOSPC;
            if (written != chunk.size() || !flushed)
                ioError = part.errorString();
        }
    }
    if (diskFull) {
        const QString message = tr("The disk is full: the upload was stopped and its partial file removed.");
        fail(upload, u"disk_full"_s, message);
        *error = {507, u"disk_full"_s, message};
        return std::nullopt;
    }
    if (!ioError.isEmpty()) {
        const QString message = tr("Cannot write the upload: %1").arg(ioError);
        fail(upload, u"io_error"_s, message);
        *error = {500, u"io_error"_s, message};
        return std::nullopt;
    }
    upload.hash->addData(chunk.constData(), chunk.size());
    info.offset += chunk.size();
    upload.speed.update(m_clock.elapsed(), info.offset);
    if (info.offset == info.length) {
        complete(upload, error);
        if (*error)
            return std::nullopt;
    } else {
        reportProgress(upload, 0, tr("Receiving"));
    }
    return info.offset;
}

void UploadManager::complete(Upload &upload, Error *error)
{
    Info &info = upload.info;
    reportProgress(upload, 1, tr("Verifying"));
    const QString part = partPath(info.id);
    {
        // Flush to the disk before the file appears under its real name.
        QFile file(part);
        if (file.open(QIODevice::ReadWrite)) {
            ::fsync(file.handle());
            file.close();
        }
    }
    const QByteArray digest = upload.hash->result().toHex();
    if (QFileInfo(part).size() != info.length) {
        const QString message = tr("The partial file has %1 bytes, not %2: it changed on disk.")
                                    .arg(QFileInfo(part).size()).arg(info.length);
        fail(upload, u"verify_failed"_s, message);
        *error = {500, u"verify_failed"_s, message};
        return;
    }
    if (!upload.expectedSha256.isEmpty() && upload.expectedSha256 != digest) {
        const QString message = tr("The SHA-256 of the received file (%1) is not the one announced (%2).")
                                    .arg(QString::fromLatin1(digest), QString::fromLatin1(upload.expectedSha256));
        fail(upload, u"checksum_mismatch"_s, message);
        *error = {460, u"checksum_mismatch"_s, message};
        return;
    }
    const QString target = uniqueTarget(info.filename);
    if (!QFile::rename(part, target)) {
        const QString message = tr("Cannot move the upload into place at %1.").arg(target);
        fail(upload, u"io_error"_s, message);
        *error = {500, u"io_error"_s, message};
        return;
    }
    info.finished = true;
    info.path = target;
    upload.lastActivityMs = m_clock.elapsed();
    TaskProgress p;
    p.percent = 100.0;
    p.processed = info.length;
    p.total = info.length;
    p.unit = u"bytes"_s;
    p.steps = QStringList{tr("Upload"), tr("Verify"), tr("Complete")};
    p.step = 2;
    p.eta = 0.0;
    p.speed = upload.speed.speed();
    p.message = tr("Saved as %1").arg(QFileInfo(target).fileName());
    ExternalUpdate done;
    done.progress = p;
    done.result = QJsonObject{{u"path"_s, target},
                              {u"filename"_s, QFileInfo(target).fileName()},
                              {u"bytes"_s, info.length},
                              {u"sha256"_s, QString::fromLatin1(digest)}};
    done.state = TaskState::Succeeded;
    updateTask(upload, done);
}

void UploadManager::fail(Upload &upload, const QString &code, const QString &message)
{
    const QString id = upload.info.id;
    QFile::remove(partPath(id));
    ExternalUpdate update;
    update.state = TaskState::Failed;
    update.error = TaskError{code, message, {}};
    updateTask(upload, update);
    m_uploads.remove(id);
}

void UploadManager::reportProgress(Upload &upload, int step, const QString &message)
{
    const Info &info = upload.info;
    TaskProgress p;
    p.processed = info.offset;
    p.total = info.length;
    p.unit = u"bytes"_s;
    p.percent = info.length > 0 ? 100.0 * double(info.offset) / double(info.length) : 0.0;
    p.speed = upload.speed.speed();
    p.eta = upload.speed.eta(info.length - info.offset);
    p.steps = QStringList{tr("Upload"), tr("Verify"), tr("Complete")};
    p.step = step;
    p.message = message;
    ExternalUpdate update;
    update.progress = p;
    updateTask(upload, update);
}

void UploadManager::updateTask(const Upload &upload, const ExternalUpdate &update)
{
    if (upload.info.taskId.isEmpty() || !m_engineAlive)
        return;
    const std::optional<TaskSnapshot> task = m_engine.task(upload.info.taskId);
    if (!task || isFinished(task->state))
        return; // removed or canceled by a user meanwhile
    m_engine.updateExternal(upload.info.taskId, update);
}

UploadManager::Error UploadManager::terminate(const QString &id)
{
    const auto it = m_uploads.constFind(id);
    if (it == m_uploads.cend())
        return {404, u"not_found"_s, tr("There is no upload %1 (finished, canceled or expired).").arg(id)};
    const std::shared_ptr<Upload> upload = *it;
    m_uploads.remove(id);
    if (!upload->info.finished) {
        QFile::remove(partPath(id));
        ExternalUpdate update;
        update.state = TaskState::Canceled;
        update.error = TaskError{u"terminated"_s, tr("The uploader canceled the upload."), {}};
        updateTask(*upload, update);
    }
    return {};
}

int UploadManager::expireIdle()
{
    const qint64 now = m_clock.elapsed();
    const qint64 expiry = m_options.expiry.count();
    QList<std::shared_ptr<Upload>> stale;
    for (const std::shared_ptr<Upload> &u : std::as_const(m_uploads)) {
        if (now - u->lastActivityMs > expiry)
            stale.append(u);
    }
    for (const std::shared_ptr<Upload> &u : std::as_const(stale)) {
        if (u->info.finished)
            m_uploads.remove(u->info.id);
        else
            fail(*u, u"expired"_s, tr("The upload was abandoned: nothing arrived for too long."));
    }
    return int(stale.size());
}

UploadManager::Upload *UploadManager::findByTask(const QString &taskId)
{
    for (const std::shared_ptr<Upload> &u : std::as_const(m_uploads)) {
        if (u->info.taskId == taskId)
            return u.get();
    }
    return nullptr;
}

void UploadManager::startTask(const TaskSnapshot &task)
{
    // Called inside submit(), before create() knows the task's id; and for uploads that
    // cannot run (restored after a restart, retried, or submitted through /api/v1/tasks).
    // Look again once the current call is done.
    const QString taskId = task.id;
    QTimer::singleShot(0, this, [this, taskId] {
        if (findByTask(taskId) || !m_engineAlive)
            return;
        const std::optional<TaskSnapshot> t = m_engine.task(taskId);
        if (!t || isFinished(t->state))
            return;
        ExternalUpdate update;
        update.state = TaskState::Failed;
        update.error = TaskError{u"not_resumable"_s,
                                 tr("Uploads are started by their sender (POST /api/v1/uploads): "
                                    "send the file again."),
                                 {}};
        m_engine.updateExternal(taskId, update);
    });
}

void UploadManager::cancelTask(const TaskSnapshot &task)
{
    Upload *upload = findByTask(task.id);
    if (!upload)
        return;
    const QString id = upload->info.id;
    const bool finished = upload->info.finished;
    m_uploads.remove(id);
    if (finished)
        return;
    QFile::remove(partPath(id));
    if (task.state == TaskState::Running || task.state == TaskState::Paused) {
        ExternalUpdate update;
        update.state = TaskState::Canceled;
        update.error = TaskError{u"canceled"_s, tr("The upload was canceled; its partial file was removed."), {}};
        m_engine.updateExternal(task.id, update);
    }
}
