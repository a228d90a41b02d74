// ChecksumTask against real files: digests equal to QCryptographicHash and known vectors,
// progress in bytes, and every failure (missing, directory, unreadable), cancel and pause.
#include "app/core/taskcontext.h"
#include "app/core/tasks/checksumtask.h"

#include <QCryptographicHash>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <thread>
#include <unistd.h>

using namespace Qt::StringLiterals;

class tst_ChecksumTask : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void digestOfFile_data();
    void digestOfFile();
    void knownVector_data();
    void knownVector();
    void missingFile();
    void directory();
    void unreadableFile();
    void canceledBeforeStart();
    void cancelWhilePaused();
    void pauseAndResume();

private:
    QString writeFile(const QString &name, const QByteArray &data);
    QByteArray randomData(qsizetype size);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_ChecksumTask::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString tst_ChecksumTask::writeFile(const QString &name, const QByteArray &data)
{
    const QString path = m_dir->filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
        qFatal("cannot write the test file");
    return path;
}

QByteArray tst_ChecksumTask::randomData(qsizetype size)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator rng(7);
    for (qsizetype i = 0; i < size; ++i)
        data[i] = char(rng.generate() & 0xff);
    return data;
}

void tst_ChecksumTask::digestOfFile_data()
{
    QTest::addColumn<Digest::Algorithm>("algorithm");
    QTest::addColumn<QCryptographicHash::Algorithm>("qtAlgorithm");
    QTest::addColumn<qsizetype>("size");
    QTest::newRow("sha256-3MiB+odd") << Digest::Algorithm::Sha256 << QCryptographicHash::Sha256
                                     << qsizetype(3 * 1024 * 1024 + 1234);
    QTest::newRow("sha256-empty") << Digest::Algorithm::Sha256 << QCryptographicHash::Sha256
                                  << qsizetype(0);
    QTest::newRow("sha1-1MiB") << Digest::Algorithm::Sha1 << QCryptographicHash::Sha1
                               << qsizetype(1024 * 1024);
    QTest::newRow("md5-small") << Digest::Algorithm::Md5 << QCryptographicHash::Md5
                               << qsizetype(4099);
}

void tst_ChecksumTask::digestOfFile()
{
    QFETCH(Digest::Algorithm, algorithm);
    QFETCH(QCryptographicHash::Algorithm, qtAlgorithm);
    QFETCH(qsizetype, size);

    const QByteArray data = randomData(size);
    const QString path = writeFile(u"data.bin"_s, data);
    TaskContext context;
    ChecksumTask task(path, algorithm);
    const TaskOutcome outcome = task.run(context);
    QVERIFY2(outcome.ok, qPrintable(outcome.error.message));

    const QJsonObject result = outcome.result.toObject();
    QCOMPARE(result.value(u"digest"_s).toString(),
             QString::fromLatin1(QCryptographicHash::hash(data, qtAlgorithm).toHex()));
    QCOMPARE(result.value(u"bytes"_s).toInteger(), size);
    QCOMPARE(result.value(u"algorithm"_s).toString(), Digest::algorithmName(algorithm));

    TaskContext::Sample sample;
    context.sample(sample);
    QCOMPARE(sample.unit, u"bytes"_s);
    QCOMPARE(sample.total, size);
    QCOMPARE(sample.processed, size);
    QCOMPARE(sample.percent, 100.0);
    // The algorithm as people write it, never "SHA256" or "sha256".
    const QString label = algorithm == Digest::Algorithm::Sha256 ? u"SHA-256"_s
        : algorithm == Digest::Algorithm::Sha1                   ? u"SHA-1"_s
                                                                 : u"MD5"_s;
    QCOMPARE(Digest::algorithmLabel(algorithm), label);
    QCOMPARE(sample.message, u"Computing the %1 of data.bin"_s.arg(label));
}

void tst_ChecksumTask::knownVector_data()
{
    QTest::addColumn<Digest::Algorithm>("algorithm");
    QTest::addColumn<QString>("hex");
    QTest::newRow("sha256")
        << Digest::Algorithm::Sha256
        << u"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"_s;
    QTest::newRow("sha1") << Digest::Algorithm::Sha1
                          << u"a9993e364706816aba3e25717850c26c9cd0d89d"_s;
    QTest::newRow("md5") << Digest::Algorithm::Md5 << u"900150983cd24fb0d6963f7d28e17f72"_s;
}

void tst_ChecksumTask::knownVector()
{
    QFETCH(Digest::Algorithm, algorithm);
    QFETCH(QString, hex);
    TaskContext context;
    ChecksumTask task(writeFile(u"abc.txt"_s, "abc"), algorithm);
    const TaskOutcome outcome = task.run(context);
    QVERIFY(outcome.ok);
    QCOMPARE(outcome.result.toObject().value(u"digest"_s).toString(), hex);
    QCOMPARE(outcome.result.toObject().value(u"bytes"_s).toInteger(), 3);
}

void tst_ChecksumTask::missingFile()
{
    const QString path = m_dir->filePath(u"nope.iso"_s);
    TaskContext context;
    const TaskOutcome outcome = ChecksumTask(path, Digest::Algorithm::Sha256).run(context);
    QVERIFY(!outcome.ok);
    QCOMPARE(outcome.error.code, u"not_found"_s);
    QVERIFY2(outcome.error.message.contains(path), qPrintable(outcome.error.message));
}

void tst_ChecksumTask::directory()
{
    TaskContext context;
    const TaskOutcome outcome = ChecksumTask(m_dir->path(), Digest::Algorithm::Sha256).run(context);
    QVERIFY(!outcome.ok);
    QCOMPARE(outcome.error.code, u"is_directory"_s);
    QVERIFY(outcome.error.message.contains(m_dir->path()));
}

void tst_ChecksumTask::unreadableFile()
{
    if (::geteuid() == 0)
        QSKIP("Running as root: file permissions do not prevent reading.");
    const QString path = writeFile(u"secret.bin"_s, "secret");
    QVERIFY(QFile::setPermissions(path, {}));
    TaskContext context;
    const TaskOutcome outcome = ChecksumTask(path, Digest::Algorithm::Sha256).run(context);
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    QVERIFY(!outcome.ok);
    QCOMPARE(outcome.error.code, u"permission_denied"_s);
    QVERIFY(outcome.error.message.contains(path));
}

void tst_ChecksumTask::canceledBeforeStart()
{
    TaskContext context;
    context.requestCancel();
    const TaskOutcome outcome
        = ChecksumTask(writeFile(u"a.bin"_s, randomData(100)), Digest::Algorithm::Sha256)
              .run(context);
    QVERIFY(!outcome.ok);
    QCOMPARE(outcome.error.code, u"canceled"_s);
}

void tst_ChecksumTask::cancelWhilePaused()
{
    const QString path = writeFile(u"a.bin"_s, randomData(3 * 1024 * 1024));
    TaskContext context;
    context.requestPause();
    TaskOutcome outcome;
    std::atomic<bool> done { false };
    std::thread worker([&] {
        outcome = ChecksumTask(path, Digest::Algorithm::Sha256).run(context);
        done = true;
    });
    context.requestCancel();
    QTRY_VERIFY_WITH_TIMEOUT(done.load(), 2000);
    worker.join();
    QCOMPARE(outcome.error.code, u"canceled"_s);
}

void tst_ChecksumTask::pauseAndResume()
{
    const QByteArray data = randomData(3 * 1024 * 1024);
    const QString path = writeFile(u"a.bin"_s, data);
    TaskContext context;
    context.requestPause();
    TaskOutcome outcome;
    std::atomic<bool> done { false };
    std::thread worker([&] {
        outcome = ChecksumTask(path, Digest::Algorithm::Sha256).run(context);
        done = true;
    });
    // Held at its first checkpoint (no sleep: the context says when): nothing was read.
    QTRY_VERIFY(context.isParked());
    QVERIFY(!done);
    QCOMPARE(context.processed(), 0);
    context.requestResume();
    QTRY_VERIFY_WITH_TIMEOUT(done.load(), 5000);
    worker.join();
    QVERIFY(outcome.ok);
    QCOMPARE(
        outcome.result.toObject().value(u"digest"_s).toString(),
        QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex()));
}

QTEST_GUILESS_MAIN(tst_ChecksumTask)
#include "tst_checksumtask.moc"
