// CopyTask against real files and trees in a temporary directory: contents, permissions and
// symbolic links kept, cp's "into an existing directory" rule, refusing to overwrite, merging
// with overwrite, progress in bytes and files, failures, and cancel removing the partial file.
#include "app/core/taskcontext.h"
#include "app/core/tasks/copytask.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <thread>
#include <unistd.h>

using namespace Qt::StringLiterals;

class tst_CopyTask : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void singleFile();
    void fileIntoExistingDirectory();
    void missingParentsAreCreated();
    void tree();
    void treeIntoExistingDirectory();
    void missingSource();
    void destinationExists();
    void overwriteReplacesFile();
    void overwriteMergesTree();
    void typeMismatchWithOverwrite();
    void directoryIntoItself();
    void ontoItself();
    void unreadableFile();
    void progressAndMessage();
    void cancelRemovesPartialFile();
    void plantedPartialLinkIsNotFollowed_data();
    void plantedPartialLinkIsNotFollowed();

private:
    QString path(const QString &relative) const { return m_dir->filePath(relative); }
    void write(const QString &relative, const QByteArray &data,
               QFile::Permissions permissions = QFile::ReadOwner | QFile::WriteOwner);
    static QByteArray read(const QString &file);
    static TaskOutcome copy(const QString &from, const QString &to, bool overwrite = false,
                            TaskContext *context = nullptr);
    // "relative kind detail" for every entry of a tree, sorted: equal listings, equal trees.
    static QStringList listing(const QString &root);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_CopyTask::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_CopyTask::write(const QString &relative, const QByteArray &data,
                         QFile::Permissions permissions)
{
    const QString file = path(relative);
    QDir().mkpath(QFileInfo(file).path());
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
        qFatal("cannot write the test file");
    f.close();
    QFile::setPermissions(file, permissions);
}

QByteArray tst_CopyTask::read(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
}

TaskOutcome tst_CopyTask::copy(const QString &from, const QString &to, bool overwrite,
                               TaskContext *context)
{
    TaskContext own;
    return CopyTask(from, to, overwrite).run(context ? *context : own);
}

QStringList tst_CopyTask::listing(const QString &root)
{
    QStringList lines;
    QDirIterator it(root, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        const QString relative = QDir(root).relativeFilePath(info.filePath());
        const QString perms = QString::number(int(info.permissions()), 16);
        if (info.isSymLink())
            lines.append(relative + u" link "_s + info.symLinkTarget().remove(root));
        else if (info.isDir())
            lines.append(relative + u" dir "_s + perms);
        else
            lines.append(relative + u" file "_s + perms + u' '
                         + QString::fromLatin1(read(info.filePath()).toHex()));
    }
    lines.sort();
    return lines;
}

void tst_CopyTask::singleFile()
{
    write(u"a.txt"_s, "hello",
          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup);
    TaskContext context;
    const TaskOutcome outcome = copy(path(u"a.txt"_s), path(u"b.txt"_s), false, &context);
    QVERIFY2(outcome.ok, qPrintable(outcome.error.message));
    TaskContext::Sample sample;
    context.sample(sample);
    QCOMPARE(sample.message, u"Copying a.txt"_s); // not "(1 of 1 files)"
    QCOMPARE(read(path(u"b.txt"_s)), "hello");
    QCOMPARE(QFileInfo(path(u"b.txt"_s)).permissions(), QFileInfo(path(u"a.txt"_s)).permissions());
    QVERIFY(!QFile::exists(CopyTask::partPath(path(u"b.txt"_s))));
    const QJsonObject result = outcome.result.toObject();
    QCOMPARE(result.value(u"files"_s).toInt(), 1);
    QCOMPARE(result.value(u"directories"_s).toInt(), 0);
    QCOMPARE(result.value(u"bytes"_s).toInteger(), 5);
    QCOMPARE(result.value(u"destination"_s).toString(), path(u"b.txt"_s));
}

void tst_CopyTask::fileIntoExistingDirectory()
{
    write(u"a.txt"_s, "hello");
    QVERIFY(QDir().mkdir(path(u"out"_s)));
    const TaskOutcome outcome = copy(path(u"a.txt"_s), path(u"out"_s));
    QVERIFY(outcome.ok);
    QCOMPARE(read(path(u"out/a.txt"_s)), "hello");
    QCOMPARE(outcome.result.toObject().value(u"destination"_s).toString(), path(u"out/a.txt"_s));
}

void tst_CopyTask::missingParentsAreCreated()
{
    write(u"a.txt"_s, "hello");
    QVERIFY(copy(path(u"a.txt"_s), path(u"x/y/z.txt"_s)).ok);
    QCOMPARE(read(path(u"x/y/z.txt"_s)), "hello");
}

void tst_CopyTask::tree()
{
    write(u"src/top.txt"_s, "top");
    write(u"src/.hidden"_s, "hidden");
    write(u"src/empty"_s, QByteArray());
    write(u"src/bin/tool"_s, "#!/bin/sh\n", QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    write(u"src/sub/deeper/data.bin"_s, QByteArray(3 * 1024 * 1024 + 5, 'x'));
    QVERIFY(QDir().mkpath(path(u"src/empty-dir"_s)));
    QVERIFY(QFile::link(u"top.txt"_s, path(u"src/link-to-top"_s))); // relative
    QVERIFY(QFile::link(u"../bin"_s, path(u"src/sub/link-to-bin"_s))); // to a directory
    QVERIFY(QFile::link(u"missing"_s, path(u"src/broken"_s))); // dangling
    write(u"src/readonly/r.txt"_s, "r");
    QVERIFY(QFile::setPermissions(path(u"src/readonly"_s), QFile::ReadOwner | QFile::ExeOwner));

    const TaskOutcome outcome = copy(path(u"src"_s), path(u"dst"_s));
    QVERIFY2(outcome.ok, qPrintable(outcome.error.message));
    QCOMPARE(listing(path(u"dst"_s)), listing(path(u"src"_s)));
    // Links stay links with their own text (relative ones still relative).
    QCOMPARE(QFile::symLinkTarget(path(u"dst/link-to-top"_s)), path(u"dst/top.txt"_s));
    QVERIFY(QFileInfo(path(u"dst/sub/link-to-bin"_s)).isSymLink());
    QVERIFY(QFileInfo(path(u"dst/broken"_s)).isSymLink());
    QVERIFY(!QFileInfo::exists(path(u"dst/broken"_s)));

    const QJsonObject result = outcome.result.toObject();
    QCOMPARE(result.value(u"files"_s).toInt(), 6);
    QCOMPARE(result.value(u"directories"_s).toInt(),
             6); // the root, bin, sub, deeper, empty-dir, readonly
    QCOMPARE(result.value(u"symlinks"_s).toInt(), 3);
    QCOMPARE(result.value(u"bytes"_s).toInteger(), 3 + 6 + 0 + 10 + (3 * 1024 * 1024 + 5) + 1);

    QFile::setPermissions(path(u"src/readonly"_s),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QFile::setPermissions(path(u"dst/readonly"_s),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

void tst_CopyTask::treeIntoExistingDirectory()
{
    write(u"src/a.txt"_s, "a");
    QVERIFY(QDir().mkdir(path(u"out"_s)));
    QVERIFY(copy(path(u"src"_s), path(u"out"_s)).ok);
    QCOMPARE(read(path(u"out/src/a.txt"_s)), "a");
}

void tst_CopyTask::missingSource()
{
    const TaskOutcome outcome = copy(path(u"nope"_s), path(u"dst"_s));
    QVERIFY(!outcome.ok);
    QCOMPARE(outcome.error.code, u"not_found"_s);
    QVERIFY(outcome.error.message.contains(path(u"nope"_s)));
    QVERIFY(!QFileInfo::exists(path(u"dst"_s)));
}

void tst_CopyTask::destinationExists()
{
    write(u"a.txt"_s, "new");
    write(u"b.txt"_s, "old");
    TaskOutcome outcome = copy(path(u"a.txt"_s), path(u"b.txt"_s));
    QVERIFY(!outcome.ok);
    QCOMPARE(outcome.error.code, u"destination_exists"_s);
    QVERIFY(outcome.error.message.contains(path(u"b.txt"_s)));
    QCOMPARE(read(path(u"b.txt"_s)), "old");

    // A directory target too, and nothing of the tree is written.
    write(u"src/x.txt"_s, "x");
    write(u"out/src/keep.txt"_s, "keep");
    outcome = copy(path(u"src"_s), path(u"out"_s));
    QCOMPARE(outcome.error.code, u"destination_exists"_s);
    QVERIFY(!QFileInfo::exists(path(u"out/src/x.txt"_s)));
}

void tst_CopyTask::overwriteReplacesFile()
{
    write(u"a.txt"_s, "new");
    write(u"b.txt"_s, "old");
    QVERIFY(QFile::link(u"b.txt"_s, path(u"c.txt"_s)));
    QVERIFY(copy(path(u"a.txt"_s), path(u"b.txt"_s), true).ok);
    QCOMPARE(read(path(u"b.txt"_s)), "new");
    // A link at the target is replaced, not written through.
    write(u"b.txt"_s, "old");
    QVERIFY(copy(path(u"a.txt"_s), path(u"c.txt"_s), true).ok);
    QVERIFY(!QFileInfo(path(u"c.txt"_s)).isSymLink());
    QCOMPARE(read(path(u"b.txt"_s)), "old");
}

void tst_CopyTask::overwriteMergesTree()
{
    write(u"src/a.txt"_s, "new a");
    write(u"src/sub/b.txt"_s, "new b");
    write(u"dst/a.txt"_s, "old a");
    write(u"dst/keep.txt"_s, "keep");
    const TaskOutcome outcome = copy(path(u"src"_s), path(u"dst"_s), true);
    // dst exists as a directory: cp puts src inside it.
    QVERIFY(outcome.ok);
    QCOMPARE(read(path(u"dst/src/a.txt"_s)), "new a");
    // A second copy onto the same target merges.
    write(u"src/a.txt"_s, "newer a");
    write(u"dst/src/extra.txt"_s, "extra");
    QVERIFY(copy(path(u"src"_s), path(u"dst"_s), true).ok);
    QCOMPARE(read(path(u"dst/src/a.txt"_s)), "newer a");
    QCOMPARE(read(path(u"dst/src/sub/b.txt"_s)), "new b");
    QCOMPARE(read(path(u"dst/src/extra.txt"_s)), "extra");
    QCOMPARE(read(path(u"dst/keep.txt"_s)), "keep");
}

void tst_CopyTask::typeMismatchWithOverwrite()
{
    write(u"src/a"_s, "file in source");
    write(u"dst/src/a/inner.txt"_s, "a directory in the target");
    const TaskOutcome outcome = copy(path(u"src"_s), path(u"dst"_s), true);
    QVERIFY(!outcome.ok);
    QCOMPARE(outcome.error.code, u"destination_exists"_s);
    QVERIFY(outcome.error.message.contains(path(u"dst/src/a"_s)));
    QCOMPARE(read(path(u"dst/src/a/inner.txt"_s)), "a directory in the target");
}

void tst_CopyTask::directoryIntoItself()
{
    write(u"src/a.txt"_s, "a");
    TaskOutcome outcome = copy(path(u"src"_s), path(u"src/inner"_s));
    QCOMPARE(outcome.error.code, u"invalid_destination"_s);
    outcome = copy(path(u"src"_s), path(u"src"_s)); // -> src/src
    QCOMPARE(outcome.error.code, u"invalid_destination"_s);
    QVERIFY(!QFileInfo::exists(path(u"src/inner"_s)));
    QVERIFY(!QFileInfo::exists(path(u"src/src"_s)));
}

void tst_CopyTask::ontoItself()
{
    write(u"a.txt"_s, "a");
    const TaskOutcome outcome = copy(path(u"a.txt"_s), m_dir->path(), true);
    QCOMPARE(outcome.error.code, u"invalid_destination"_s);
    QCOMPARE(read(path(u"a.txt"_s)), "a");
}

void tst_CopyTask::unreadableFile()
{
    if (::geteuid() == 0)
        QSKIP("Running as root: file permissions do not prevent reading.");
    write(u"src/ok.txt"_s, "ok");
    write(u"src/secret.txt"_s, "secret", {});
    const TaskOutcome outcome = copy(path(u"src"_s), path(u"dst"_s));
    QFile::setPermissions(path(u"src/secret.txt"_s), QFile::ReadOwner | QFile::WriteOwner);
    QCOMPARE(outcome.error.code, u"permission_denied"_s);
    QVERIFY(outcome.error.message.contains(path(u"src/secret.txt"_s)));
    // Found by the scan: nothing was written.
    QVERIFY(!QFileInfo::exists(path(u"dst"_s)));
}

void tst_CopyTask::progressAndMessage()
{
    write(u"src/a.bin"_s, QByteArray(1000, 'a'));
    write(u"src/b.bin"_s, QByteArray(2000, 'b'));
    TaskContext context;
    QVERIFY(copy(path(u"src"_s), path(u"dst"_s), false, &context).ok);
    TaskContext::Sample sample;
    context.sample(sample);
    QCOMPARE(sample.unit, u"bytes"_s);
    QCOMPARE(sample.total, 3000);
    QCOMPARE(sample.processed, 3000);
    QCOMPARE(sample.message, u"Copying b.bin (2 of 2 files)"_s);
}

void tst_CopyTask::cancelRemovesPartialFile()
{
    write(u"big.bin"_s, QByteArray(32 * 1024 * 1024, 'z'));
    const QString target = path(u"copy.bin"_s);
    TaskContext context;
    TaskOutcome outcome;
    std::atomic<bool> done { false };
    std::thread worker([&] {
        outcome = copy(path(u"big.bin"_s), target, false, &context);
        done = true;
    });
    // Pause right after the first block: the task then waits at its next checkpoint with a
    // partial file on disk.
    while (context.processed() == 0 && !done)
        std::this_thread::yield();
    context.requestPause();
    QTRY_VERIFY(QFileInfo::exists(CopyTask::partPath(target)));
    QVERIFY(!done);
    QVERIFY(!QFileInfo::exists(target));
    context.requestCancel();
    QTRY_VERIFY_WITH_TIMEOUT(done.load(), 2000);
    worker.join();
    QCOMPARE(outcome.error.code, u"canceled"_s);
    QVERIFY(!QFileInfo::exists(CopyTask::partPath(target)));
    QVERIFY(!QFileInfo::exists(target));
}

void tst_CopyTask::plantedPartialLinkIsNotFollowed_data()
{
    QTest::addColumn<bool>("overwrite");
    QTest::newRow("new target") << false;
    QTest::newRow("overwrite") << true;
}

void tst_CopyTask::plantedPartialLinkIsNotFollowed()
{
    // Issue 15, W6: a dangling link under the partial file's name must not be written through.
    QFETCH(bool, overwrite);
    write(u"a.txt"_s, "hello");
    const QString elsewhere = path(u"elsewhere.txt"_s);
    QVERIFY(QFile::link(elsewhere, CopyTask::partPath(path(u"b.txt"_s))));
    const TaskOutcome outcome = copy(path(u"a.txt"_s), path(u"b.txt"_s), overwrite);
    QVERIFY2(outcome.ok, qPrintable(outcome.error.message));
    QVERIFY(!QFileInfo::exists(elsewhere));
    QCOMPARE(read(path(u"b.txt"_s)), "hello");
    QVERIFY(!QFileInfo(path(u"b.txt"_s)).isSymLink());
}

QTEST_GUILESS_MAIN(tst_CopyTask)
#include "tst_copytask.moc"
