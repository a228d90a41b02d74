// The data dir is this user's alone (issue 15 W1, issue 17 item 6): someone else's dir, token or
// store is refused, links are never followed, everything is made 0700/0600 whatever the umask.
#include "app/core/privatedir.h"
#include "app/core/taskengine.h"
#include "app/core/taskstore.h"
#include "app/core/tasktyperegistry.h"
#include "app/server/accesstoken.h"
#include "app/server/headwayserver.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {
constexpr uid_t kNobody = 65534;

int modeOf(const QString &path)
{
    struct stat st = {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 07777);
}

void writeFile(const QString &path, const QByteArray &content, int mode)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
    file.close();
    QCOMPARE(::chmod(QFile::encodeName(path).constData(), mode_t(mode)), 0);
}

// Restores the umask a test changed, also when it fails half-way.
struct UmaskScope
{
    explicit UmaskScope(mode_t mask) : old(::umask(mask)) { }
    ~UmaskScope() { ::umask(old); }
    mode_t old;
};

const QByteArray kPlantedToken = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

// <tmp>/hw, mode 0777, given to "nobody" (needs root): what another user would prepare.
QString foreignDir(const QTemporaryDir &tmp, const QByteArray &token = {})
{
    const QString dir = tmp.filePath(u"hw"_s);
    const QByteArray name = QFile::encodeName(dir);
    if (!QDir().mkdir(dir) || ::chmod(name.constData(), 0777) != 0)
        return {};
    if (!token.isEmpty()) {
        QFile file(AccessToken::fileName(dir));
        if (!file.open(QIODevice::WriteOnly) || file.write(token) != token.size())
            return {};
    }
    return ::chown(name.constData(), kNobody, kNobody) == 0 ? dir : QString();
}
} // namespace

class TestPrivateDir final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createdPrivateWhateverTheUmask_data();
    void createdPrivateWhateverTheUmask();
    void ownLooseDirIsTightened();
    void foreignDirIsRefused();
    void badTokenFileIsRefused_data();
    void badTokenFileIsRefused();
    void readableTokenIsTightened();
    void badStoreIsRefused_data();
    void badStoreIsRefused();
    void serverRefusesForeignDataDir();
};

void TestPrivateDir::createdPrivateWhateverTheUmask_data()
{
    QTest::addColumn<int>("mask");
    QTest::newRow("umask 000") << 0;
    QTest::newRow("umask 022") << 022;
    QTest::newRow("umask 077") << 077;
}

void TestPrivateDir::createdPrivateWhateverTheUmask()
{
    QFETCH(int, mask);
    QTemporaryDir tmp;
    const QString dataDir = tmp.filePath(u"data"_s);
    const UmaskScope scope { mode_t(mask) };
    QString error;
    QVERIFY2(PrivateDir::prepare(dataDir, &error), qPrintable(error));
    QCOMPARE(modeOf(dataDir), 0700);
    QVERIFY(AccessToken::loadOrCreate(dataDir, &error));
    QCOMPARE(modeOf(AccessToken::fileName(dataDir)), 0600);
    {
        TaskStore store;
        const QString storePath = QDir(dataDir).filePath(u"tasks.sqlite"_s);
        QVERIFY2(store.open(storePath, &error), qPrintable(error));
        QCOMPARE(modeOf(storePath), 0600);
        QCOMPARE(modeOf(storePath + u"-wal"_s), 0600);
        QCOMPARE(modeOf(storePath + u"-shm"_s), 0600);
    }
    const QString part = QDir(dataDir).filePath(u"x.part"_s);
    QVERIFY2(PrivateDir::createFile(part, &error), qPrintable(error));
    QCOMPARE(modeOf(part), 0600);
}

void TestPrivateDir::ownLooseDirIsTightened()
{
    QTemporaryDir tmp;
    const QString dataDir = tmp.filePath(u"data"_s);
    QVERIFY(QDir().mkdir(dataDir));
    QCOMPARE(::chmod(QFile::encodeName(dataDir).constData(), 0777), 0);
    QString error;
    QVERIFY2(PrivateDir::prepare(dataDir, &error), qPrintable(error));
    QCOMPARE(modeOf(dataDir), 0700);
}

void TestPrivateDir::foreignDirIsRefused()
{
    if (::geteuid() != 0)
        QSKIP("needs root to give a folder to another user");
    QTemporaryDir tmp;
    const QString dataDir = foreignDir(tmp);
    QVERIFY(!dataDir.isEmpty());
    QString error;
    QVERIFY(!PrivateDir::prepare(dataDir, &error));
    QVERIFY2(error.contains(u"another user"_s), qPrintable(error));
    QCOMPARE(modeOf(dataDir), 0777); // left as it was
    QVERIFY(!AccessToken::loadOrCreate(dataDir, &error));
    QVERIFY(!QFile::exists(AccessToken::fileName(dataDir)));
}

void TestPrivateDir::badTokenFileIsRefused_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("foreign owner") << u"foreign"_s;
    QTest::newRow("group writable") << u"group-writable"_s;
    QTest::newRow("world writable") << u"world-writable"_s;
    QTest::newRow("symlink") << u"symlink"_s;
    QTest::newRow("dangling symlink") << u"dangling"_s;
}

void TestPrivateDir::badTokenFileIsRefused()
{
    QFETCH(QString, kind);
    QTemporaryDir tmp;
    const QString dataDir = tmp.path();
    const QString token = AccessToken::fileName(dataDir);
    const QString elsewhere = tmp.filePath(u"elsewhere"_s);
    if (kind == u"foreign") {
        if (::geteuid() != 0)
            QSKIP("needs root to give a file to another user");
        writeFile(token, kPlantedToken, 0600);
        QCOMPARE(::chown(QFile::encodeName(token).constData(), kNobody, kNobody), 0);
    } else if (kind == u"group-writable") {
        writeFile(token, kPlantedToken, 0620);
    } else if (kind == u"world-writable") {
        writeFile(token, kPlantedToken, 0666);
    } else if (kind == u"symlink") {
        writeFile(elsewhere, kPlantedToken, 0600);
        QVERIFY(QFile::link(elsewhere, token));
    } else {
        QVERIFY(QFile::link(elsewhere, token));
    }
    QString error;
    QVERIFY(!AccessToken::loadOrCreate(dataDir, &error));
    QVERIFY2(error.contains(u"Refusing"_s), qPrintable(error));
    QVERIFY(!QFile::exists(elsewhere) || kind != u"dangling"); // nothing written through it
}

void TestPrivateDir::readableTokenIsTightened()
{
    QTemporaryDir tmp;
    const QString token = AccessToken::fileName(tmp.path());
    writeFile(token, kPlantedToken, 0644);
    QString error;
    const auto loaded = AccessToken::loadOrCreate(tmp.path(), &error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(loaded->value(), kPlantedToken);
    QCOMPARE(modeOf(token), 0600);
}

void TestPrivateDir::badStoreIsRefused_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("kind");
    QTest::newRow("store symlink") << u"tasks.sqlite"_s << u"symlink"_s;
    QTest::newRow("store dangling symlink") << u"tasks.sqlite"_s << u"dangling"_s;
    QTest::newRow("store world writable") << u"tasks.sqlite"_s << u"world-writable"_s;
    QTest::newRow("store foreign") << u"tasks.sqlite"_s << u"foreign"_s;
    QTest::newRow("wal symlink") << u"tasks.sqlite-wal"_s << u"dangling"_s;
    QTest::newRow("shm foreign") << u"tasks.sqlite-shm"_s << u"foreign"_s;
}

void TestPrivateDir::badStoreIsRefused()
{
    QFETCH(QString, file);
    QFETCH(QString, kind);
    QTemporaryDir tmp;
    const QString path = tmp.filePath(file);
    const QString elsewhere = tmp.filePath(u"elsewhere"_s);
    if (kind == u"symlink") {
        writeFile(elsewhere, QByteArray(), 0600);
        QVERIFY(QFile::link(elsewhere, path));
    } else if (kind == u"dangling") {
        QVERIFY(QFile::link(elsewhere, path));
    } else if (kind == u"world-writable") {
        writeFile(path, QByteArray(), 0666);
    } else {
        if (::geteuid() != 0)
            QSKIP("needs root to give a file to another user");
        writeFile(path, QByteArray(), 0600);
        QCOMPARE(::chown(QFile::encodeName(path).constData(), kNobody, kNobody), 0);
    }
    TaskStore store;
    QString error;
    QVERIFY(!store.open(tmp.filePath(u"tasks.sqlite"_s), &error));
    QVERIFY2(error.contains(u"Refusing"_s), qPrintable(error));
    QVERIFY(!QFile::exists(elsewhere) || kind != u"dangling");
}

void TestPrivateDir::serverRefusesForeignDataDir()
{
    if (::geteuid() != 0)
        QSKIP("needs root to give a folder to another user");
    QTemporaryDir tmp;
    const QString dataDir = foreignDir(tmp, kPlantedToken);
    QVERIFY(!dataDir.isEmpty());

    TaskTypeRegistry registry;
    TaskEngine engine(registry);
    ServerOptions options;
    options.port = 0;
    options.dataDir = dataDir;
    HeadwayServer server(engine, options);
    QString error;
    QVERIFY(!server.listen(&error));
    QVERIFY2(error.contains(u"another user"_s), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestPrivateDir)
#include "tst_privatedir.moc"
