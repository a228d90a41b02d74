// Tests of UploadApi and UploadDriver (tus 1.0 under /api/v1/uploads) against a real server on
// an ephemeral loopback port: every header and error, resume at an offset, concurrent uploads,
// sanitized names, the chunk limit enforced before buffering, disk full, expiry, the
// "upload" task every viewer sees, and resuming after Headway restarts.
#include "app/core/taskengine.h"
#include "app/core/taskstore.h"
#include "app/core/tasktyperegistry.h"
#include "app/core/uploadstore.h"
#include "app/server/headwayserver.h"
#include "app/server/uploaddriver.h"
#include "app/server/uploadtasktype.h"
#include "tests/server/serverclient.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
using Headers = QList<std::pair<QByteArray, QByteArray>>;

using ServerClient::Answer;

QByteArray randomBytes(qsizetype size)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator generator(42 + quint32(size));
    for (qsizetype i = 0; i < size; ++i)
        data[i] = char(generator.generate() & 0xff);
    return data;
}

QByteArray b64(const QByteArray &value)
{
    return value.toBase64();
}

qint64 rssKiB()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}
} // namespace

class tst_UploadApi : public QObject
{
    Q_OBJECT

private:
    QUrl url(const QString &path) const
    {
        return QUrl(u"http://127.0.0.1:"_s + QString::number(m_server->port()) + path);
    }

    QNetworkReply *send(const QByteArray &method, const QString &path, const QByteArray &body,
                        const Headers &headers, bool tus = true)
    {
        QNetworkRequest request(url(path));
        request.setRawHeader("Authorization", "Bearer " + m_server->token().toLatin1());
        if (tus)
            request.setRawHeader("Tus-Resumable", "1.0.0");
        for (const auto &[k, v] : headers)
            request.setRawHeader(k, v);
        return m_nam->sendCustomRequest(request, method, body);
    }

    static Answer finish(QNetworkReply *reply) { return ServerClient::finish(reply, 20000); }

    Answer call(const QByteArray &method, const QString &path, const QByteArray &body = {},
                const Headers &headers = {}, bool tus = true)
    {
        return finish(send(method, path, body, headers, tus));
    }

    // POST: returns the upload's path ("/api/v1/uploads/ID") or empty.
    QString create(qint64 length, const QByteArray &filename = "file.bin", Answer *answer = nullptr,
                   const QByteArray &extraMetadata = {})
    {
        QByteArray metadata = "filename " + b64(filename);
        if (!extraMetadata.isEmpty())
            metadata += ',' + extraMetadata;
        const Answer a = call(
            "POST", u"/api/v1/uploads"_s, {},
            { { "Upload-Length", QByteArray::number(length) }, { "Upload-Metadata", metadata } });
        if (answer)
            *answer = a;
        if (a.status != 201)
            return {};
        return QString::fromLatin1(a.header("Location"));
    }

    Answer patch(const QString &path, qint64 offset, const QByteArray &chunk, Headers extra = {})
    {
        extra.prepend({ "Content-Type", "application/offset+octet-stream" });
        extra.prepend({ "Upload-Offset", QByteArray::number(offset) });
        return call("PATCH", path, chunk, extra);
    }

    QString uploadsDir() const { return QDir(m_dir->path()).filePath(u"uploads"_s); }
    QString partOf(const QString &path) const
    {
        return QDir(uploadsDir()).filePath(path.section(u'/', -1) + u".part"_s);
    }
    std::optional<TaskSnapshot> taskOf(const Answer &created) const
    {
        return m_engine->task(QString::fromLatin1(created.header("Headway-Task-Id")));
    }

    // A raw request (for what QNetworkAccessManager will not send).
    QByteArray raw(const QByteArray &request, int timeoutMs = 5000)
    {
        return ServerClient::exchange(
            m_server->port(), request, timeoutMs,
            [](const QByteArray &data) { return data.contains("\r\n\r\n"); });
    }

    // A new engine (restored from store, when given) and a server on the test's data dir.
    void startEngine(TaskStore *store = nullptr)
    {
        EngineOptions options;
        options.concurrency = 1;
        options.dataDir = m_dir->path();
        m_engine = std::make_unique<TaskEngine>(*m_registry, options);
        if (store) {
            m_engine->restore(store->loadAll());
            m_engine->addTracker(store, 1);
        }
        startServer();
    }

    // A new server over the current engine (what a restart of the server alone does).
    void startServer(std::chrono::milliseconds uploadExpiry = std::chrono::hours(24))
    {
        ServerOptions serverOptions;
        serverOptions.port = 0;
        serverOptions.dataDir = m_dir->path();
        serverOptions.uploadExpiry = uploadExpiry;
        m_server = std::make_unique<HeadwayServer>(*m_engine, serverOptions);
        QString error;
        QVERIFY2(m_server->listen(&error), qPrintable(error));
        QVERIFY(m_server->uploads());
        m_nam = std::make_unique<QNetworkAccessManager>();
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TaskTypeRegistry> m_registry;
    std::unique_ptr<TaskEngine> m_engine;
    std::unique_ptr<HeadwayServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_registry = std::make_unique<TaskTypeRegistry>();
        registerBuiltinTaskTypes(*m_registry);
        registerUploadTaskType(*m_registry);
        startEngine();
    }

    void cleanup()
    {
        m_nam.reset();
        m_server.reset();
        m_engine.reset();
        m_registry.reset();
        m_dir.reset();
    }

    void optionsAdvertisesTus()
    {
        const Answer a = call("OPTIONS", u"/api/v1/uploads"_s, {}, {}, false);
        QCOMPARE(a.status, 204);
        QCOMPARE(a.header("Tus-Resumable"), "1.0.0");
        QCOMPARE(a.header("Tus-Version"), "1.0.0");
        QCOMPARE(a.header("Tus-Extension"), "creation,termination,checksum");
        QCOMPARE(a.header("Tus-Checksum-Algorithm"), "sha1,sha256,md5");
        QCOMPARE(a.header("Tus-Max-Size").toLongLong(), m_server->uploads()->options().maxSize);
    }

    void uploadWithResume()
    {
        const QByteArray data = randomBytes(3 * 1024 * 1024 + 17);
        Answer created;
        const QString path = create(data.size(), "report.pdf", &created);
        QVERIFY(!path.isEmpty());
        QVERIFY(path.startsWith(u"/api/v1/uploads/"));
        QCOMPARE(created.header("Tus-Resumable"), "1.0.0");
        QCOMPARE(created.header("Upload-Offset"), "0");
        const std::optional<TaskSnapshot> task = taskOf(created);
        QVERIFY(task);
        QCOMPARE(task->type, u"upload"_s);
        QCOMPARE(task->state, TaskState::Running);
        QCOMPARE(task->params.value(u"size"_s).toInteger(), data.size());
        QVERIFY(QFile::exists(partOf(path)));

        // First part, then the client "drops" and asks where to resume.
        const qint64 first = 1024 * 1024 + 5;
        Answer a = patch(path, 0, data.left(first));
        QCOMPARE(a.status, 204);
        QCOMPARE(a.header("Upload-Offset").toLongLong(), first);
        QCOMPARE(a.header("Tus-Resumable"), "1.0.0");
        QCOMPARE(m_engine->task(task->id)->progress.processed, first);
        QCOMPARE(m_engine->task(task->id)->progress.step, 0);
        QCOMPARE(m_engine->task(task->id)->progress.steps,
                 (QStringList { u"Upload"_s, u"Verify"_s, u"Complete"_s }));

        a = call("HEAD", path);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.header("Upload-Offset").toLongLong(), first);
        QCOMPARE(a.header("Upload-Length").toLongLong(), data.size());
        QCOMPARE(a.header("Cache-Control"), "no-store");
        QCOMPARE(a.header("Tus-Resumable"), "1.0.0");
        QVERIFY(a.header("Upload-Metadata").contains(b64("report.pdf")));
        QVERIFY(a.body.isEmpty());

        // Resume from the server's offset, with a checksum on the last chunk.
        const QByteArray rest = data.mid(first);
        a = patch(
            path, first, rest,
            { { "Upload-Checksum",
                "sha256 "
                    + QCryptographicHash::hash(rest, QCryptographicHash::Sha256).toBase64() } });
        QCOMPARE(a.status, 204);
        QCOMPARE(a.header("Upload-Offset").toLongLong(), data.size());

        const QString target = QDir(uploadsDir()).filePath(u"report.pdf"_s);
        QFile file(target);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), data);
        QVERIFY(!QFile::exists(partOf(path)));
        const TaskSnapshot done = *m_engine->task(task->id);
        QCOMPARE(done.state, TaskState::Succeeded);
        QCOMPARE(done.progress.step, 2);
        QCOMPARE(done.progress.processed, data.size());
        const QJsonObject result = done.result.toObject();
        QCOMPARE(result.value(u"path"_s).toString(), target);
        QCOMPARE(result.value(u"bytes"_s).toInteger(), data.size());
        QCOMPARE(result.value(u"sha256"_s).toString().toLatin1(),
                 QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());

        // A finished upload still answers HEAD (a client may check before resuming).
        a = call("HEAD", path);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.header("Upload-Offset").toLongLong(), data.size());
        // More data is refused.
        QCOMPARE(patch(path, data.size(), "x").status, 409);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<bool>(
            "useUpload"); // the path of a fresh 100-byte upload, else an unknown id
        QTest::addColumn<bool>("tus");
        QTest::addColumn<QList<QByteArray>>("headers"); // name, value, name, value...
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");

        using L = QList<QByteArray>;
        const QByteArray octets = "application/offset+octet-stream";
        QTest::newRow("no Tus-Resumable")
            << QByteArray("PATCH") << true << false
            << L { "Upload-Offset", "0", "Content-Type", octets } << QByteArray("abc") << 412
            << u"unsupported_tus_version"_s;
        QTest::newRow("HEAD without Tus-Resumable")
            << QByteArray("HEAD") << true << false << L {} << QByteArray() << 412 << QString();
        QTest::newRow("wrong content type")
            << QByteArray("PATCH") << true << true
            << L { "Upload-Offset", "0", "Content-Type", "application/octet-stream" }
            << QByteArray("abc") << 415 << u"unsupported_media_type"_s;
        QTest::newRow("offset mismatch") << QByteArray("PATCH") << true << true
                                         << L { "Upload-Offset", "7", "Content-Type", octets }
                                         << QByteArray("abc") << 409 << u"offset_mismatch"_s;
        QTest::newRow("bad offset") << QByteArray("PATCH") << true << true
                                    << L { "Upload-Offset", "-1", "Content-Type", octets }
                                    << QByteArray("abc") << 400 << u"invalid_request"_s;
        QTest::newRow("no offset")
            << QByteArray("PATCH") << true << true << L { "Content-Type", octets }
            << QByteArray("abc") << 400 << u"invalid_request"_s;
        QTest::newRow("past Upload-Length")
            << QByteArray("PATCH") << true << true
            << L { "Upload-Offset", "0", "Content-Type", octets } << QByteArray(101, 'x') << 413
            << u"payload_too_large"_s;
        QTest::newRow("checksum mismatch")
            << QByteArray("PATCH") << true << true
            << L { "Upload-Offset",
                   "0",
                   "Content-Type",
                   octets,
                   "Upload-Checksum",
                   "sha1 " + QCryptographicHash::hash("abd", QCryptographicHash::Sha1).toBase64() }
            << QByteArray("abc") << 460 << u"checksum_mismatch"_s;
        QTest::newRow("unknown checksum algorithm")
            << QByteArray("PATCH") << true << true
            << L { "Upload-Offset", "0", "Content-Type", octets, "Upload-Checksum", "crc32 AAAA" }
            << QByteArray("abc") << 400 << u"unsupported_checksum"_s;
        QTest::newRow("checksum not base64")
            << QByteArray("PATCH") << true << true
            << L { "Upload-Offset", "0", "Content-Type", octets, "Upload-Checksum", "sha1 !!" }
            << QByteArray("abc") << 400 << u"unsupported_checksum"_s;
        // Found by fuzz_tusheaders: Qt decodes "2" as an empty digest, which never matches.
        QTest::newRow("checksum of the wrong length")
            << QByteArray("PATCH") << true << true
            << L { "Upload-Offset", "0", "Content-Type", octets, "Upload-Checksum", "sha1 2" }
            << QByteArray("abc") << 400 << u"unsupported_checksum"_s;
        QTest::newRow("PATCH unknown") << QByteArray("PATCH") << false << true
                                       << L { "Upload-Offset", "0", "Content-Type", octets }
                                       << QByteArray("abc") << 404 << u"not_found"_s;
        QTest::newRow("HEAD unknown")
            << QByteArray("HEAD") << false << true << L {} << QByteArray() << 404 << QString();
        QTest::newRow("DELETE unknown") << QByteArray("DELETE") << false << true << L {}
                                        << QByteArray() << 404 << u"not_found"_s;
        QTest::newRow("GET not allowed") << QByteArray("GET") << true << true << L {}
                                         << QByteArray() << 405 << u"method_not_allowed"_s;
    }

    void errors()
    {
        QFETCH(QByteArray, method);
        QFETCH(bool, useUpload);
        QFETCH(bool, tus);
        QFETCH(QList<QByteArray>, headers);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);

        const QString path = useUpload ? create(100) : u"/api/v1/uploads/no-such-upload"_s;
        QVERIFY(!path.isEmpty());
        Headers list;
        for (qsizetype i = 0; i + 1 < headers.size(); i += 2)
            list.append({ headers.at(i), headers.at(i + 1) });
        const Answer a = call(method, path, body, list, tus);
        QCOMPARE(a.status, status);
        if (!code.isEmpty())
            QCOMPARE(a.code(), code);
        if (status != 405)
            QCOMPARE(a.header("Tus-Resumable"), "1.0.0");
        if (status == 412)
            QCOMPARE(a.header("Tus-Version"), "1.0.0");
        if (useUpload) {
            // Nothing was appended: the offset stays 0 and the upload goes on.
            const Answer head = call("HEAD", path);
            QCOMPARE(head.status, 200);
            QCOMPARE(head.header("Upload-Offset"), "0");
            QCOMPARE(patch(path, 0, QByteArray(100, 'y')).status, 204);
        }
    }

    void createErrors_data()
    {
        QTest::addColumn<QList<QByteArray>>("headers");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        using L = QList<QByteArray>;
        QTest::newRow("no length") << L {} << 400 << u"invalid_request"_s;
        QTest::newRow("negative length")
            << L { "Upload-Length", "-5" } << 400 << u"invalid_request"_s;
        QTest::newRow("text length") << L { "Upload-Length", "ten" } << 400 << u"invalid_request"_s;
        QTest::newRow("deferred length")
            << L { "Upload-Defer-Length", "1" } << 400 << u"invalid_request"_s;
        QTest::newRow("too large")
            << L { "Upload-Length", "999999999999999" } << 413 << u"payload_too_large"_s;
        QTest::newRow("bad metadata")
            << L { "Upload-Length", "5", "Upload-Metadata", "filename ***" } << 400
            << u"invalid_request"_s;
        QTest::newRow("bad sha256 metadata")
            << L { "Upload-Length", "5", "Upload-Metadata", "sha256 " + b64("xyz") } << 400
            << u"invalid_request"_s;
    }

    void createErrors()
    {
        QFETCH(QList<QByteArray>, headers);
        QFETCH(int, status);
        QFETCH(QString, code);
        Headers list;
        for (qsizetype i = 0; i + 1 < headers.size(); i += 2)
            list.append({ headers.at(i), headers.at(i + 1) });
        const Answer a = call("POST", u"/api/v1/uploads"_s, {}, list);
        QCOMPARE(a.status, status);
        QCOMPARE(a.code(), code);
        QCOMPARE(a.header("Tus-Resumable"), "1.0.0");
        QCOMPARE(m_server->uploads()->count(), 0);
        QCOMPARE(m_engine->taskCount(), 0);
        QVERIFY(QDir(uploadsDir()).isEmpty());
    }

    void needsToken()
    {
        QNetworkRequest request(url(u"/api/v1/uploads"_s));
        request.setRawHeader("Tus-Resumable", "1.0.0");
        request.setRawHeader("Upload-Length", "5");
        const Answer a = finish(m_nam->sendCustomRequest(request, "POST"));
        QCOMPARE(a.status, 401);
        QCOMPARE(m_server->uploads()->count(), 0);
    }

    void zeroLength()
    {
        Answer created;
        const QString path = create(0, "empty.txt", &created);
        QVERIFY(!path.isEmpty());
        QVERIFY(QFileInfo(QDir(uploadsDir()).filePath(u"empty.txt"_s)).isFile());
        QCOMPARE(taskOf(created)->state, TaskState::Succeeded);
        QCOMPARE(call("HEAD", path).header("Upload-Offset"), "0");
    }

    void sanitizeFilename_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << u"photo.jpg"_s << u"photo.jpg"_s;
        QTest::newRow("unix path") << u"../../etc/passwd"_s << u"passwd"_s;
        QTest::newRow("windows path") << u"C:\\Users\\me\\doc.txt"_s << u"doc.txt"_s;
        QTest::newRow("dot dot") << u".."_s << u"upload"_s;
        QTest::newRow("inner dots") << u"a..b"_s << u"a.b"_s;
        QTest::newRow("hidden") << u".bashrc"_s << u"bashrc"_s;
        QTest::newRow("control chars") << u"a\u0001b\nc\u007f.txt"_s << u"abc.txt"_s;
        QTest::newRow("trailing slash") << u"dir/"_s << u"upload"_s;
        QTest::newRow("empty") << QString() << u"upload"_s;
        QTest::newRow("reserved chars") << u"a:b*c?.txt"_s << u"a_b_c_.txt"_s;
        QTest::newRow("unicode kept") << u"résumé 2024.pdf"_s << u"résumé 2024.pdf"_s;
        QTest::newRow("part look-alike") << u"0b7b4f5c-1d8e-4f3a-9c1b-123456789abc.part"_s
                                         << u"upload-0b7b4f5c-1d8e-4f3a-9c1b-123456789abc.part"_s;
        QTest::newRow("state look-alike") << u"0b7b4f5c-1d8e-4f3a-9c1b-123456789abc.json"_s
                                          << u"upload-0b7b4f5c-1d8e-4f3a-9c1b-123456789abc.json"_s;
    }

    void sanitizeFilename()
    {
        QFETCH(QString, name);
        QFETCH(QString, expected);
        QCOMPARE(UploadStore::sanitizeFilename(name), expected);
        QVERIFY(UploadStore::sanitizeFilename(QString(400, u'x')).toUtf8().size() <= 200);
    }

    void namesStayInsideAndAreUnique()
    {
        for (int i = 0; i < 3; ++i) {
            const QString path = create(3, "../../escape.txt");
            QVERIFY(!path.isEmpty());
            QCOMPARE(patch(path, 0, "abc").status, 204);
        }
        QVERIFY(!QFile::exists(QDir(m_dir->path()).filePath(u"../escape.txt"_s)));
        QVERIFY(!QFile::exists(QDir(m_dir->path()).filePath(u"escape.txt"_s)));
        const QStringList files = QDir(uploadsDir()).entryList(QDir::Files, QDir::Name);
        QCOMPARE(files,
                 (QStringList { u"escape (1).txt"_s, u"escape (2).txt"_s, u"escape.txt"_s }));
    }

    void terminate()
    {
        Answer created;
        const QString path = create(1000, "gone.bin", &created);
        QCOMPARE(patch(path, 0, QByteArray(10, 'a')).status, 204);
        QVERIFY(QFile::exists(partOf(path)));
        const Answer a = call("DELETE", path);
        QCOMPARE(a.status, 204);
        QCOMPARE(a.header("Tus-Resumable"), "1.0.0");
        QVERIFY(!QFile::exists(partOf(path)));
        QCOMPARE(taskOf(created)->state, TaskState::Canceled);
        QCOMPARE(call("HEAD", path).status, 404);
        QCOMPARE(patch(path, 10, "b").status, 404);
        QVERIFY(QDir(uploadsDir()).isEmpty());
    }

    void cancelingTheTaskTerminates()
    {
        Answer created;
        const QString path = create(1000, "canceled.bin", &created);
        QCOMPARE(patch(path, 0, QByteArray(10, 'a')).status, 204);
        const QString taskId = QString::fromLatin1(created.header("Headway-Task-Id"));
        QVERIFY(!m_engine->cancel(taskId));
        QTRY_COMPARE(m_engine->task(taskId)->state, TaskState::Canceled);
        QVERIFY(!QFile::exists(partOf(path)));
        QCOMPARE(patch(path, 10, "b").status, 404);
    }

    void taskApiCannotStartUploads()
    {
        const Answer a = call("POST", u"/api/v1/tasks"_s,
                              R"({"type": "upload", "params": {"filename": "x", "size": 3}})",
                              { { "Content-Type", "application/json" } });
        QCOMPARE(a.status, 400);
        const QJsonArray fields = a.json.value(u"error"_s).toObject().value(u"fields"_s).toArray();
        QCOMPARE(fields.size(), 1);
        QCOMPARE(fields.first().toObject().value(u"field"_s).toString(), u"type"_s);
        QCOMPARE(m_engine->taskCount(), 0);
        // Nor is it offered to clients.
        const Answer types = call("GET", u"/api/v1/task-types"_s, {}, {});
        for (const QJsonValue &t : types.json.value(u"task_types"_s).toArray())
            QVERIFY(t.toObject().value(u"name"_s).toString() != u"upload"_s);
    }

    void wholeFileChecksum()
    {
        const QByteArray data = randomBytes(5000);
        const QByteArray good = QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
        QString path = create(data.size(), "ok.bin", nullptr, "sha256 " + b64(good));
        QCOMPARE(patch(path, 0, data).status, 204);
        QVERIFY(QFile::exists(QDir(uploadsDir()).filePath(u"ok.bin"_s)));

        Answer created;
        path = create(data.size(), "bad.bin", &created, "sha256 " + b64(QByteArray(64, 'a')));
        const Answer a = patch(path, 0, data);
        QCOMPARE(a.status, 460);
        QCOMPARE(a.code(), u"checksum_mismatch"_s);
        QVERIFY(!QFile::exists(QDir(uploadsDir()).filePath(u"bad.bin"_s)));
        QVERIFY(!QFile::exists(partOf(path)));
        QCOMPARE(taskOf(created)->state, TaskState::Failed);
        QCOMPARE(taskOf(created)->error->code, u"checksum_mismatch"_s);
    }

    void concurrentUploads()
    {
        constexpr int Count = 4;
        constexpr qsizetype Chunk = 256 * 1024;
        QList<QByteArray> data;
        QStringList paths;
        for (int i = 0; i < Count; ++i) {
            data.append(randomBytes(Chunk * 4 + i));
            paths.append(create(data.last().size(), "par" + QByteArray::number(i) + ".bin"));
            QVERIFY(!paths.last().isEmpty());
        }
        // Interleaved: every upload's next chunk is in flight at the same time.
        for (qsizetype offset = 0; offset < Chunk * 4 + Count; offset += Chunk) {
            QList<QNetworkReply *> replies;
            for (int i = 0; i < Count; ++i) {
                if (offset >= data.at(i).size())
                    continue;
                replies.append(send("PATCH", paths.at(i), data.at(i).mid(offset, Chunk),
                                    { { "Upload-Offset", QByteArray::number(offset) },
                                      { "Content-Type", "application/offset+octet-stream" } }));
            }
            for (QNetworkReply *reply : std::as_const(replies))
                QCOMPARE(finish(reply).status, 204);
        }
        for (int i = 0; i < Count; ++i) {
            QFile file(QDir(uploadsDir()).filePath(u"par%1.bin"_s.arg(i)));
            QVERIFY(file.open(QIODevice::ReadOnly));
            QCOMPARE(file.readAll(), data.at(i));
        }
        int succeeded = 0;
        for (const TaskSnapshot &t : m_engine->tasks())
            succeeded += t.state == TaskState::Succeeded ? 1 : 0;
        QCOMPARE(succeeded, Count);
    }

    QByteArray patchHead(const QString &path, qint64 offset, qint64 length,
                         const QByteArray &extra = {}) const
    {
        return "PATCH " + path.toLatin1()
            + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_server->port())
            + "\r\nAuthorization: Bearer " + m_server->token().toLatin1()
            + "\r\nTus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream"
              "\r\nUpload-Offset: "
            + QByteArray::number(offset) + "\r\nContent-Length: " + QByteArray::number(length)
            + "\r\n" + extra + "\r\n";
    }

    void chunkOverLimitRefusedBeforeBuffering()
    {
        const QString path = create(qint64(1) << 30);
        const qint64 before = rssKiB();
        // Over what even a streamed PATCH may carry: 413 before any body byte is read.
        const QByteArray response = raw(patchHead(path, 0, UploadDriver::StreamedChunkLimit + 1)
                                        + QByteArray(64 * 1024, 'z'));
        QVERIFY2(response.startsWith("HTTP/1.1 413"), response.left(200).constData());
        QVERIFY(rssKiB() - before < 16 * 1024);
        // A chunk with Upload-Checksum is checked before any of it is kept, so it is buffered:
        // one byte over the buffered limit is refused; exactly the limit is fine.
        const QByteArray over
            = raw(patchHead(path, 0, UploadDriver::ChunkLimit + 1,
                            "Upload-Checksum: sha256 " + QByteArray(32, 'x').toBase64() + "\r\n"));
        QVERIFY2(over.startsWith("HTTP/1.1 413"), over.left(200).constData());
        QCOMPARE(call("HEAD", path).header("Upload-Offset"), "0");
        const QByteArray chunk(UploadDriver::ChunkLimit, 'a');
        const Answer exact = patch(
            path, 0, chunk,
            { { "Upload-Checksum",
                "sha256 "
                    + QCryptographicHash::hash(chunk, QCryptographicHash::Sha256).toBase64() } });
        QCOMPARE(exact.status, 204);
        QCOMPARE(exact.header("Upload-Offset").toLongLong(), UploadDriver::ChunkLimit);
        // Other routes keep the 1 MiB default.
        const QByteArray json = raw(
            "POST /api/v1/tasks HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_server->port())
            + "\r\nAuthorization: Bearer " + m_server->token().toLatin1()
            + "\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n");
        QVERIFY2(json.startsWith("HTTP/1.1 413"), json.left(200).constData());
    }

    void bigChunkStreamedMemoryFlat()
    {
        // Issue 18: one PATCH far over the buffered limit goes to the partial file as it
        // arrives; the server never holds it whole.
        const qint64 size = qint64(48) * 1024 * 1024;
        QByteArray data(size, Qt::Uninitialized);
        for (qint64 i = 0; i < size; ++i)
            data[i] = char((i * 7 + i / 4096) & 0xff);
        const QString path = create(size, "big.bin");
        QVERIFY(!path.isEmpty());
        const qint64 before = rssKiB();
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server->port());
        QVERIFY(socket.waitForConnected(5000));
        QByteArray received;
        qint64 sent = 0;
        qint64 peakKiB = 0;
        const auto more = [&] {
            // A slice at a time, as a client with a small send buffer would.
            while (sent < size && socket.bytesToWrite() < 256 * 1024) {
                const qint64 n = std::min<qint64>(256 * 1024, size - sent);
                socket.write(data.constData() + sent, n);
                sent += n;
            }
            peakKiB = std::max(peakKiB, rssKiB());
        };
        QObject context;
        connect(&socket, &QIODevice::bytesWritten, &context, more);
        connect(&socket, &QIODevice::readyRead, &context, [&] { received += socket.readAll(); });
        socket.write(patchHead(path, 0, size));
        more();
        QTRY_VERIFY_WITH_TIMEOUT(received.contains("\r\n\r\n"), 60000);
        QVERIFY2(received.startsWith("HTTP/1.1 204"), received.constData());
        QVERIFY(received.contains(QByteArray("Upload-Offset: " + QByteArray::number(size))));
#if defined(__SANITIZE_ADDRESS__)
        // ASan's allocator keeps freed chunks (quarantine, per-size caches): RSS says nothing
        // about Headway's own memory there. The normal build checks the bound; this run still
        // checks the streamed path for memory errors and the file below.
        Q_UNUSED(before);
        Q_UNUSED(peakKiB);
#else
        QVERIFY2(peakKiB - before < 24 * 1024,
                 qPrintable(u"RSS grew by %1 KiB"_s.arg(peakKiB - before)));
#endif
        QFile file(QDir(uploadsDir()).filePath(u"big.bin"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll() == data);
        QTRY_COMPARE(m_engine->tasks().value(0).state, TaskState::Succeeded);
        QCOMPARE(m_engine->tasks().value(0).result.toObject().value(u"sha256"_s).toString(),
                 QString::fromLatin1(
                     QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex()));
    }

    void interruptedPatchKeepsWhatArrived_data()
    {
        QTest::addColumn<qint64>("arrived");
        QTest::newRow("nothing") << qint64(0);
        QTest::newRow("one byte") << qint64(1);
        QTest::newRow("64 KiB") << qint64(64 * 1024);
        QTest::newRow("an odd amount") << qint64(300001);
        QTest::newRow("all but one byte") << qint64(1024 * 1024 - 1);
    }

    void interruptedPatchKeepsWhatArrived()
    {
        // tus: the bytes of a PATCH cut short are kept, and the offset says exactly how many.
        QFETCH(qint64, arrived);
        const qint64 size = 1024 * 1024;
        QByteArray data(size, Qt::Uninitialized);
        for (qint64 i = 0; i < size; ++i)
            data[i] = char((i * 13 + 5) & 0xff);
        const QString path = create(size, "cut.bin");
        QVERIFY(!path.isEmpty());
        const QString id = path.section(u'/', -1);
        {
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, m_server->port());
            QVERIFY(socket.waitForConnected(5000));
            socket.write(patchHead(path, 0, size) + data.first(arrived));
            QTRY_COMPARE(m_server->uploads()->info(id)->offset, arrived);
            socket.abort();
        }
        // The server sees the connection go; the offset stays what arrived.
        QTRY_COMPARE(call("HEAD", path).header("Upload-Offset").toLongLong(), arrived);
        QCOMPARE(QFileInfo(partOf(path)).size(), arrived);
        const Answer rest = patch(path, arrived, data.sliced(arrived));
        QCOMPARE(rest.status, 204);
        QCOMPARE(rest.header("Upload-Offset").toLongLong(), size);
        QFile file(QDir(uploadsDir()).filePath(u"cut.bin"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll() == data);
        QTRY_COMPARE(m_engine->tasks().value(0).state, TaskState::Succeeded);
    }

    void streamedPatchHonoursConnectionClose()
    {
        const QString path = create(100);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server->port());
        QVERIFY(socket.waitForConnected(5000));
        QByteArray received;
        QObject context;
        connect(&socket, &QIODevice::readyRead, &context, [&] { received += socket.readAll(); });
        socket.write(patchHead(path, 0, 100, "Connection: close\r\n") + QByteArray(100, 'c'));
        QTRY_COMPARE(socket.state(), QAbstractSocket::UnconnectedState);
        received += socket.readAll();
        QVERIFY2(received.startsWith("HTTP/1.1 204"), received.constData());
        QVERIFY(received.contains("Upload-Offset: 100\r\n"));
    }

    void streamedPatchRefusedAsBuffered_data()
    {
        QTest::addColumn<qint64>("length");
        QTest::newRow("buffered (small)") << qint64(1000);
        QTest::newRow("streamed (over the buffered limit)") << UploadDriver::ChunkLimit + 1000;
    }

    void streamedPatchRefusedAsBuffered()
    {
        // A wrong offset gets the same 409 and Upload-Offset whether the body would have been
        // buffered or streamed; a streamed one is refused before its body is read.
        QFETCH(qint64, length);
        const QString path = create(UploadDriver::ChunkLimit * 2);
        QCOMPARE(patch(path, 0, QByteArray(10, 'a')).status, 204);
        const QByteArray answer = raw(patchHead(path, 5, length) + QByteArray(1000, 'b'));
        QVERIFY2(answer.startsWith("HTTP/1.1 409"), answer.left(200).constData());
        QVERIFY(answer.contains("Upload-Offset: 10\r\n"));
        QVERIFY(answer.contains("Tus-Resumable: 1.0.0\r\n"));
        QVERIFY(answer.contains("\"offset_mismatch\""));
        QCOMPARE(call("HEAD", path).header("Upload-Offset"), "10");
    }

    void diskFull()
    {
        UploadDriver::Options options = m_server->uploads()->options();
        qint64 free = 1000;
        options.freeSpace = [&free] { return free; };
        m_server->uploads()->setOptions(options);

        Answer a;
        QVERIFY(create(5000, "huge.bin", &a).isEmpty());
        QCOMPARE(a.status, 507);
        QCOMPARE(a.code(), u"disk_full"_s);
        QCOMPARE(m_engine->taskCount(), 0);

        Answer created;
        const QString path = create(800, "full.bin", &created);
        QVERIFY(!path.isEmpty());
        QCOMPARE(patch(path, 0, QByteArray(100, 'a')).status, 204);
        free = 50; // another program filled the disk meanwhile
        a = patch(path, 100, QByteArray(100, 'b'));
        QCOMPARE(a.status, 507);
        QCOMPARE(a.code(), u"disk_full"_s);
        QVERIFY(!QFile::exists(partOf(path)));
        const TaskSnapshot task = *taskOf(created);
        QCOMPARE(task.state, TaskState::Failed);
        QCOMPARE(task.error->code, u"disk_full"_s);
        QVERIFY(task.error->message.contains(u"disk is full"));
        QCOMPARE(call("HEAD", path).status, 404);
    }

    void abandonedUploadsExpire()
    {
        UploadDriver::Options options = m_server->uploads()->options();
        options.expiry = std::chrono::milliseconds(300);
        m_server->uploads()->setOptions(options);
        Answer created;
        const QString path = create(1000, "slow.bin", &created);
        QCOMPARE(patch(path, 0, QByteArray(10, 'a')).status, 204);
        QVERIFY(QFile::exists(partOf(path)));
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(partOf(path)), 5000);
        QCOMPARE(taskOf(created)->state, TaskState::Failed);
        QCOMPARE(taskOf(created)->error->code, u"expired"_s);
        QCOMPARE(call("HEAD", path).status, 404);
    }

    // A server restart in the same process (the engine keeps the running task): the upload goes
    // on; a partial file without saved state is removed, files that are not ours stay.
    void orphanedPartsRemovedAtStart()
    {
        const QString path = create(20, "kept.bin");
        QCOMPARE(patch(path, 0, QByteArray(10, 'a')).status, 204);
        const QString stray
            = QDir(uploadsDir()).filePath(u"0b7b4f5c-1d8e-4f3a-9c1b-123456789abc.part"_s);
        QFile keep(QDir(uploadsDir()).filePath(u"notes.part"_s));
        for (QFile *f : { &keep, new QFile(stray, &keep) }) {
            QVERIFY(f->open(QIODevice::WriteOnly));
            f->close();
        }
        m_server.reset();
        startServer();
        if (QTest::currentTestFailed())
            return;
        QVERIFY(!QFile::exists(stray));
        QVERIFY(keep.exists()); // not one of ours
        QVERIFY(QFile::exists(partOf(path)));
        QCOMPARE(call("HEAD", path).header("Upload-Offset"), "10");
        QCOMPARE(patch(path, 10, QByteArray(10, 'b')).status, 204);
        QFile done(QDir(uploadsDir()).filePath(u"kept.bin"_s));
        QVERIFY(done.open(QIODevice::ReadOnly));
        QCOMPARE(done.readAll(), QByteArray(10, 'a') + QByteArray(10, 'b'));
    }

    // --upload-expiry reaches the uploads restored at start: an upload last fed two hours ago
    // is removed (task failed "expired") with a one-hour expiry and kept with a three-hour one.
    void configuredExpiryAppliesAtStart_data()
    {
        QTest::addColumn<int>("expiryHours");
        QTest::addColumn<bool>("kept");
        QTest::newRow("1 h: expired") << 1 << false;
        QTest::newRow("3 h: kept") << 3 << true;
    }

    void configuredExpiryAppliesAtStart()
    {
        QFETCH(int, expiryHours);
        QFETCH(bool, kept);
        Answer created;
        const QString path = create(20, "old.bin", &created);
        QVERIFY(!path.isEmpty());
        const QString taskId = QString::fromLatin1(created.header("Headway-Task-Id"));
        QCOMPARE(patch(path, 0, QByteArray(10, 'a')).status, 204);
        m_nam.reset();
        m_server.reset();

        // Two hours without data: the partial file's time and the saved state say so.
        const QString id = path.section(u'/', -1);
        const QDateTime twoHoursAgo = QDateTime::currentDateTimeUtc().addSecs(-2 * 3600);
        QFile part(QDir(uploadsDir()).filePath(id + u".part"_s));
        QVERIFY(part.open(QIODevice::ReadWrite));
        QVERIFY(part.setFileTime(twoHoursAgo, QFileDevice::FileModificationTime));
        part.close();
        QFile state(QDir(uploadsDir()).filePath(id + u".json"_s));
        QVERIFY(state.open(QIODevice::ReadOnly));
        QJsonObject json = QJsonDocument::fromJson(state.readAll()).object();
        state.close();
        json.insert(u"last_activity"_s, twoHoursAgo.toString(Qt::ISODateWithMs));
        json.insert(u"created"_s, twoHoursAgo.toString(Qt::ISODateWithMs));
        QVERIFY(state.open(QIODevice::WriteOnly | QIODevice::Truncate));
        state.write(QJsonDocument(json).toJson());
        state.close();

        startServer(std::chrono::hours(expiryHours));
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(call("HEAD", path).status, kept ? 200 : 404);
        QCOMPARE(QFile::exists(part.fileName()), kept);
        QCOMPARE(QFile::exists(state.fileName()), kept);
        const std::optional<TaskSnapshot> task = m_engine->task(taskId);
        QVERIFY(task);
        if (kept) {
            QCOMPARE(task->state, TaskState::Running);
            QCOMPARE(patch(path, 10, QByteArray(10, 'b')).status, 204);
        } else {
            QCOMPARE(task->state, TaskState::Failed);
            QCOMPARE(task->error->code, u"expired"_s);
        }
    }

    // Headway stops mid-upload and starts again on the same data dir and store: the task comes
    // back interrupted with its byte count, HEAD answers the old offset, and the sender's next
    // PATCH resumes the task and completes the file with the right SHA-256.
    void resumesAfterRestart()
    {
        const QString storePath = QDir(m_dir->path()).filePath(u"tasks.sqlite"_s);
        auto store = std::make_unique<TaskStore>();
        QVERIFY(store->open(storePath));
        m_engine->addTracker(store.get(), 1);

        const QByteArray data = randomBytes(3 * 1024 * 1024 + 5);
        const qint64 first = 2 * 1024 * 1024 + 3;
        Answer created;
        const QString path = create(
            data.size(), "restart.bin", &created,
            "sha256 " + b64(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex()));
        QVERIFY(!path.isEmpty());
        const QString taskId = QString::fromLatin1(created.header("Headway-Task-Id"));
        QCOMPARE(patch(path, 0, data.left(first)).status, 204);
        const QString state = QDir(uploadsDir()).filePath(path.section(u'/', -1) + u".json"_s);
        QVERIFY(QFile::exists(state));

        // Stop everything, as the application does at quit.
        m_nam.reset();
        m_server.reset();
        m_engine->shutdown();
        store->close();
        m_engine.reset();
        QVERIFY(QFile::exists(partOf(path)));
        QVERIFY(QFile::exists(state));

        // Start again.
        store = std::make_unique<TaskStore>();
        QVERIFY(store->open(storePath));
        startEngine(store.get());
        if (QTest::currentTestFailed())
            return;

        std::optional<TaskSnapshot> task = m_engine->task(taskId);
        QVERIFY(task);
        QCOMPARE(task->state, TaskState::Interrupted);
        QCOMPARE(task->progress.processed, first);
        QCOMPARE(task->progress.total, data.size());
        QCOMPARE(m_server->uploads()->count(), 1);

        Answer a = call("HEAD", path);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.header("Upload-Offset").toLongLong(), first);
        QCOMPARE(a.header("Upload-Length").toLongLong(), data.size());
        QVERIFY(a.header("Upload-Metadata").contains(b64("restart.bin")));
        QCOMPARE(a.header("Headway-Task-Id"), taskId.toLatin1());
        QCOMPARE(m_engine->task(taskId)->state, TaskState::Interrupted); // HEAD changes nothing

        // The sender resumes in two chunks; the first one brings the task back to running.
        const qint64 second = first + 512 * 1024;
        a = patch(path, first, data.mid(first, second - first));
        QCOMPARE(a.status, 204);
        QCOMPARE(a.header("Upload-Offset").toLongLong(), second);
        task = m_engine->task(taskId);
        QCOMPARE(task->state, TaskState::Running);
        QCOMPARE(task->attempt, 2);
        QCOMPARE(task->progress.processed, second);
        a = patch(path, second, data.mid(second));
        QCOMPARE(a.status, 204);
        QCOMPARE(a.header("Upload-Offset").toLongLong(), data.size());

        task = m_engine->task(taskId);
        QCOMPARE(task->state, TaskState::Succeeded);
        QCOMPARE(task->result.toObject().value(u"sha256"_s).toString().toLatin1(),
                 QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
        QFile file(QDir(uploadsDir()).filePath(u"restart.bin"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), data);
        QCOMPARE(QDir(uploadsDir()).entryList(QDir::Files), QStringList { u"restart.bin"_s });

        // A finished upload is not brought back by the next start.
        m_nam.reset();
        m_server.reset();
        startServer();
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(m_server->uploads()->count(), 0);
        m_server.reset();
        m_engine->shutdown();
        store->close();
    }
};

QTEST_MAIN(tst_UploadApi)
#include "tst_uploadapi.moc"
