#include "app/server/backgroundhasher.h"

#include <QRandomGenerator>
#include <QTest>

#include <vector>

// BackgroundHasher: digests fed on its thread equal digests fed in place, in order, for several
// interleaved digests; the queue stays under its bound; queued work finishes on destruction.
class TestBackgroundHasher final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameDigestsAsInPlace_data();
    void sameDigestsAsInPlace();
    void pendingBytesStayBounded();
    void destructorFinishesQueuedWork();
    void emptyChunksAndNullDigestsAreIgnored();
};

namespace {

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator rng(seed);
    for (char &c : bytes)
        c = char(rng.bounded(256));
    return bytes;
}

QByteArray inPlace(const QList<QByteArray> &chunks)
{
    Digest digest(Digest::Algorithm::Sha256);
    for (const QByteArray &c : chunks)
        digest.addData(c.constData(), c.size());
    return digest.result();
}

} // namespace

void TestBackgroundHasher::sameDigestsAsInPlace_data()
{
    QTest::addColumn<int>("digests");
    QTest::addColumn<int>("chunksEach");
    QTest::addColumn<int>("chunkSize");
    QTest::addColumn<qint64>("bound");
    QTest::newRow("one digest, small chunks") << 1 << 50 << 1000 << qint64(1 << 20);
    QTest::newRow("three interleaved digests") << 3 << 20 << 65537 << qint64(1 << 20);
    QTest::newRow("bound smaller than a chunk") << 2 << 10 << 100000 << qint64(10);
}

void TestBackgroundHasher::sameDigestsAsInPlace()
{
    QFETCH(int, digests);
    QFETCH(int, chunksEach);
    QFETCH(int, chunkSize);
    QFETCH(qint64, bound);

    std::vector<QList<QByteArray>> chunks(digests);
    std::vector<std::shared_ptr<Digest>> background;
    for (int d = 0; d < digests; ++d) {
        background.push_back(std::make_shared<Digest>(Digest::Algorithm::Sha256));
        for (int i = 0; i < chunksEach; ++i)
            chunks[d].append(randomBytes(chunkSize + i, quint32(d * 1000 + i)));
    }
    BackgroundHasher hasher(bound);
    for (int i = 0; i < chunksEach; ++i)
        for (int d = 0; d < digests; ++d)
            hasher.add(background[d], chunks[d][i]);
    hasher.wait();
    QCOMPARE(hasher.pendingBytes(), 0);
    for (int d = 0; d < digests; ++d)
        QCOMPARE(background[d]->result().toHex(), inPlace(chunks[d]).toHex());
}

void TestBackgroundHasher::pendingBytesStayBounded()
{
    constexpr qint64 bound = 256 * 1024;
    BackgroundHasher hasher(bound);
    auto digest = std::make_shared<Digest>(Digest::Algorithm::Sha256);
    QList<QByteArray> chunks;
    for (int i = 0; i < 64; ++i) {
        chunks.append(randomBytes(64 * 1024, quint32(i)));
        hasher.add(digest, chunks.last());
        QVERIFY2(hasher.pendingBytes() <= bound,
                 qPrintable(QString::number(hasher.pendingBytes())));
    }
    hasher.wait();
    QCOMPARE(digest->result().toHex(), inPlace(chunks).toHex());
}

void TestBackgroundHasher::destructorFinishesQueuedWork()
{
    auto digest = std::make_shared<Digest>(Digest::Algorithm::Sha256);
    QList<QByteArray> chunks;
    {
        BackgroundHasher hasher;
        for (int i = 0; i < 16; ++i) {
            chunks.append(randomBytes(300000, quint32(i + 7)));
            hasher.add(digest, chunks.last());
        }
    }
    QCOMPARE(digest->result().toHex(), inPlace(chunks).toHex());
}

void TestBackgroundHasher::emptyChunksAndNullDigestsAreIgnored()
{
    BackgroundHasher hasher;
    auto digest = std::make_shared<Digest>(Digest::Algorithm::Sha256);
    hasher.add(digest, {});
    hasher.add(nullptr, QByteArray("abc"));
    hasher.wait(); // returns at once: nothing was queued
    QCOMPARE(hasher.pendingBytes(), 0);
    QCOMPARE(digest->result().toHex(), inPlace({}).toHex());
}

QTEST_GUILESS_MAIN(TestBackgroundHasher)
#include "tst_backgroundhasher.moc"
