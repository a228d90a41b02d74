#include "app/server/accesstoken.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace Qt::StringLiterals;

class TestAccessToken final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void generatedTokensAreLongAndUrlSafe();
    void createThenLoadSameToken();
    void fileIsPrivate();
    void rotateReplaces();
    void damagedFileIsAnError();
    void unwritableDirIsAnError();
    void constantTimeEquals_data();
    void constantTimeEquals();
};

void TestAccessToken::generatedTokensAreLongAndUrlSafe()
{
    const QByteArray a = AccessToken::generate();
    const QByteArray b = AccessToken::generate();
    QVERIFY(a != b);
    QCOMPARE(a.size(), 43); // 256 bits, no padding
    const auto decoded = QByteArray::fromBase64Encoding(
        a, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    QVERIFY(decoded);
    QCOMPARE(decoded.decoded.size(), AccessToken::kRandomBytes);
    for (const char c : a)
        QVERIFY2(QByteArrayView("+/=").indexOf(c) < 0, a.constData());
}

void TestAccessToken::createThenLoadSameToken()
{
    QTemporaryDir dir;
    const QString dataDir = dir.filePath(u"nested/data"_s);
    QString error;
    const auto created = AccessToken::loadOrCreate(dataDir, &error);
    QVERIFY2(created, qPrintable(error));
    const auto loaded = AccessToken::loadOrCreate(dataDir, &error);
    QVERIFY(loaded);
    QCOMPARE(loaded->value(), created->value());
    QVERIFY(loaded->matches(created->value()));
    QVERIFY(!loaded->matches(AccessToken::generate()));
    QCOMPARE(loaded->toString(), QString::fromLatin1(created->value()));
}

void TestAccessToken::fileIsPrivate()
{
    QTemporaryDir dir;
    QVERIFY(AccessToken::loadOrCreate(dir.path()));
    const QByteArray path = QFile::encodeName(AccessToken::fileName(dir.path()));
    struct stat st
    {
    };
    QCOMPARE(::stat(path.constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 0777), 0600);

    // A loosened mode is tightened again on load.
    QCOMPARE(::chmod(path.constData(), 0644), 0);
    QVERIFY(AccessToken::loadOrCreate(dir.path()));
    QCOMPARE(::stat(path.constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 0777), 0600);
}

void TestAccessToken::rotateReplaces()
{
    QTemporaryDir dir;
    const auto first = AccessToken::loadOrCreate(dir.path());
    QVERIFY(first);
    const auto second = AccessToken::rotate(dir.path());
    QVERIFY(second);
    QVERIFY(first->value() != second->value());
    QVERIFY(!second->matches(first->value()));
    QCOMPARE(AccessToken::loadOrCreate(dir.path())->value(), second->value());
    struct stat st
    {
    };
    QCOMPARE(::stat(QFile::encodeName(AccessToken::fileName(dir.path())).constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 0777), 0600);
}

void TestAccessToken::damagedFileIsAnError()
{
    QTemporaryDir dir;
    QFile file(AccessToken::fileName(dir.path()));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("short!");
    file.close();
    QString error;
    QVERIFY(!AccessToken::loadOrCreate(dir.path(), &error));
    QVERIFY(error.contains(u"damaged"_s));
    QVERIFY(AccessToken::rotate(dir.path())); // the way out
    QVERIFY(AccessToken::loadOrCreate(dir.path()));
}

void TestAccessToken::unwritableDirIsAnError()
{
    if (::geteuid() == 0)
        QSKIP("root ignores directory permissions");
    QTemporaryDir dir;
    QVERIFY(QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    QString error;
    QVERIFY(!AccessToken::loadOrCreate(dir.path(), &error));
    QVERIFY(!error.isEmpty());
    QFile::setPermissions(dir.path(),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
}

void TestAccessToken::constantTimeEquals_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("equal");
    QTest::newRow("same") << "abcdef"_ba
                          << "abcdef"_ba << true;
    QTest::newRow("last differs") << "abcdef"_ba
                                  << "abcdeg"_ba << false;
    QTest::newRow("prefix") << "abcdef"_ba
                            << "abc"_ba << false;
    QTest::newRow("longer") << "abc"_ba
                            << "abcdef"_ba << false;
    QTest::newRow("empty candidate") << "abc"_ba << QByteArray() << false;
    QTest::newRow("both empty") << QByteArray() << QByteArray() << false;
}

void TestAccessToken::constantTimeEquals()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, equal);
    QCOMPARE(AccessToken::constantTimeEquals(a, b), equal);
}

QTEST_GUILESS_MAIN(TestAccessToken)
#include "tst_accesstoken.moc"
