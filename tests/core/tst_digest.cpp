// Digest: known vectors for every algorithm, on both back ends (libcrypto and Qt), and
// incremental hashing equal to one-shot QCryptographicHash.
#include "app/core/tasks/digest.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_Digest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void knownVectors_data();
    void knownVectors();
    void incrementalMatchesQt_data();
    void incrementalMatchesQt();
    void algorithmNames();
};

void tst_Digest::knownVectors_data()
{
    QTest::addColumn<QString>("algorithm");
    QTest::addColumn<bool>("qtOnly");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("hex");

    const QByteArray million(1000000, 'a');
    for (const bool qtOnly : { false, true }) {
        const char *backend = qtOnly ? "qt" : "auto";
        QTest::addRow("sha256-empty-%s", backend)
            << u"sha256"_s << qtOnly << QByteArray()
            << QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        QTest::addRow("sha256-abc-%s", backend)
            << u"sha256"_s << qtOnly << QByteArray("abc")
            << QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        QTest::addRow("sha256-million-a-%s", backend)
            << u"sha256"_s << qtOnly << million
            << QByteArray("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
        QTest::addRow("sha1-abc-%s", backend)
            << u"sha1"_s << qtOnly << QByteArray("abc")
            << QByteArray("a9993e364706816aba3e25717850c26c9cd0d89d");
        QTest::addRow("sha1-empty-%s", backend)
            << u"sha1"_s << qtOnly << QByteArray()
            << QByteArray("da39a3ee5e6b4b0d3255bfef95601890afd80709");
        QTest::addRow("md5-abc-%s", backend) << u"md5"_s << qtOnly << QByteArray("abc")
                                             << QByteArray("900150983cd24fb0d6963f7d28e17f72");
        QTest::addRow("md5-empty-%s", backend)
            << u"md5"_s << qtOnly << QByteArray() << QByteArray("d41d8cd98f00b204e9800998ecf8427e");
    }
}

void tst_Digest::knownVectors()
{
    QFETCH(QString, algorithm);
    QFETCH(bool, qtOnly);
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, hex);

    const auto a = Digest::algorithmFromName(algorithm);
    QVERIFY(a);
    Digest digest(*a, qtOnly ? Digest::Backend::Qt : Digest::Backend::Auto);
    if (qtOnly)
        QVERIFY(!digest.isAccelerated());
    digest.addData(input.constData(), input.size());
    QCOMPARE(digest.result().toHex(), hex);
}

void tst_Digest::incrementalMatchesQt_data()
{
    QTest::addColumn<QString>("algorithm");
    QTest::newRow("sha256") << u"sha256"_s;
    QTest::newRow("sha1") << u"sha1"_s;
    QTest::newRow("md5") << u"md5"_s;
}

void tst_Digest::incrementalMatchesQt()
{
    QFETCH(QString, algorithm);
    QByteArray data(3 * 1024 * 1024 + 77, Qt::Uninitialized);
    QRandomGenerator rng(42);
    rng.fillRange(reinterpret_cast<quint32 *>(data.data()), data.size() / 4);

    const auto a = *Digest::algorithmFromName(algorithm);
    const QCryptographicHash::Algorithm qa = algorithm == u"sha256" ? QCryptographicHash::Sha256
        : algorithm == u"sha1"                                      ? QCryptographicHash::Sha1
                                                                    : QCryptographicHash::Md5;
    const QByteArray expected = QCryptographicHash::hash(data, qa);
    for (const auto backend : { Digest::Backend::Auto, Digest::Backend::Qt }) {
        Digest digest(a, backend);
        // Odd chunk sizes cross the block boundaries of every algorithm.
        for (qsizetype offset = 0; offset < data.size(); offset += 1000003)
            digest.addData(data.constData() + offset,
                           std::min<qsizetype>(1000003, data.size() - offset));
        QCOMPARE(digest.result(), expected);
    }
}

void tst_Digest::algorithmNames()
{
    QVERIFY(!Digest::algorithmFromName(u"sha512"_s));
    QVERIFY(!Digest::algorithmFromName(u"SHA256"_s));
    for (const auto a :
         { Digest::Algorithm::Sha256, Digest::Algorithm::Sha1, Digest::Algorithm::Md5 })
        QCOMPARE(Digest::algorithmFromName(Digest::algorithmName(a)), a);
}

QTEST_GUILESS_MAIN(tst_Digest)
#include "tst_digest.moc"
