// Tests of UploadStore: the naming rule shared by tus uploads and Import, names taken
// atomically (never an overwrite, also when another writer takes a name at the same time or
// plants an entry in between), partial files, state files and the domain errors.
#include "app/core/uploadstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <thread>

using namespace Qt::StringLiterals;

namespace {
QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}
} // namespace

class tst_UploadStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_folder;
    std::unique_ptr<UploadStore> m_store;

    // A partial file of `id` holding `data`, as an upload leaves it before it is placed.
    QString writePart(const QByteArray &data)
    {
        const QString id = newId();
        if (m_store->createPart(id, data.size()))
            return {};
        if (m_store->writeAt(id, 0, data))
            return {};
        return id;
    }

    QStringList entries() const
    {
        return QDir(m_folder).entryList(
            QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_tmp.isValid());
        m_folder = QDir(m_tmp.path()).filePath(newId() + u"/uploads"_s);
        m_store = std::make_unique<UploadStore>(m_folder);
        QString error;
        QVERIFY2(m_store->prepare(&error), qPrintable(error));
    }

    void numberedName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("n");
        QTest::addColumn<QString>("expected");
        QTest::newRow("itself") << u"a.tar.gz"_s << 0 << u"a.tar.gz"_s;
        QTest::newRow("double suffix kept whole") << u"a.tar.gz"_s << 1 << u"a (1).tar.gz"_s;
        QTest::newRow("one suffix") << u"photo.raw"_s << 2 << u"photo (2).raw"_s;
        QTest::newRow("no suffix") << u"README"_s << 1 << u"README (1)"_s;
        QTest::newRow("hidden, no suffix") << u".bashrc"_s << 1 << u".bashrc (1)"_s;
        QTest::newRow("hidden with suffix") << u".config.json"_s << 3 << u".config (3).json"_s;
        QTest::newRow("trailing dot") << u"notes."_s << 1 << u"notes (1)."_s;
        QTest::newRow("already numbered") << u"a (1).txt"_s << 1 << u"a (1) (1).txt"_s;
        QTest::newRow("spaces") << u"my file.tar.xz"_s << 12 << u"my file (12).tar.xz"_s;
    }

    void numberedName()
    {
        QFETCH(QString, name);
        QFETCH(int, n);
        QFETCH(QString, expected);
        QCOMPARE(UploadStore::numberedName(name, n), expected);
    }

    void sanitizeFilename_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << u"a.tar.gz"_s << u"a.tar.gz"_s;
        QTest::newRow("path") << u"../../etc/passwd"_s << u"passwd"_s;
        QTest::newRow("windows path") << u"C:\\Users\\x\\f.txt"_s << u"f.txt"_s;
        QTest::newRow("control") << u"a\u0001b.txt"_s << u"ab.txt"_s;
        QTest::newRow("hidden") << u".bashrc"_s << u"bashrc"_s;
        QTest::newRow("empty") << QString() << u"upload"_s;
        QTest::newRow("dots only") << u".."_s << u"upload"_s;
        QTest::newRow("reserved characters") << u"a:b*c?.txt"_s << u"a_b_c_.txt"_s;
        const QString id = u"0f8fad5b-d9cb-469f-a165-70867728950e"_s;
        QTest::newRow("looks like a partial file")
            << id + u".part"_s << u"upload-"_s + id + u".part"_s;
        QTest::newRow("looks like a state file")
            << id + u".json"_s << u"upload-"_s + id + u".json"_s;
    }

    void sanitizeFilename()
    {
        QFETCH(QString, name);
        QFETCH(QString, expected);
        QCOMPARE(UploadStore::sanitizeFilename(name), expected);
        QVERIFY(UploadStore::sanitizeFilename(QString(400, u'x')).toUtf8().size() <= 200);
    }

    // Placing under a taken name takes the next number; nothing existing is replaced.
    void placeTakesTheNextFreeName()
    {
        QVERIFY(writeFile(QDir(m_folder).filePath(u"a.tar.gz"_s), "first"));
        QVERIFY(writeFile(QDir(m_folder).filePath(u"a (1).tar.gz"_s), "second"));
        const QString id = writePart("third");
        QVERIFY(!id.isEmpty());
        UploadError error;
        const std::optional<QString> placed = m_store->place(id, u"a.tar.gz"_s, &error);
        QVERIFY2(placed, qPrintable(error.message));
        QCOMPARE(QFileInfo(*placed).fileName(), u"a (2).tar.gz"_s);
        QCOMPARE(readAll(*placed), QByteArray("third"));
        QCOMPARE(readAll(QDir(m_folder).filePath(u"a.tar.gz"_s)), QByteArray("first"));
        QCOMPARE(readAll(QDir(m_folder).filePath(u"a (1).tar.gz"_s)), QByteArray("second"));
        QCOMPARE(m_store->partSize(id), -1); // moved, not copied
    }

    // An entry planted under the name after the upload was written (here a dangling link to
    // a file elsewhere) is never written through: the upload takes the next name and the
    // link's target is never created.
    void placeNeverWritesThroughAnEntryCreatedInBetween()
    {
        const QString id = writePart("data");
        QVERIFY(!id.isEmpty());
        const QString elsewhere = QDir(m_tmp.path()).filePath(newId());
        QVERIFY(QFile::link(elsewhere, QDir(m_folder).filePath(u"report.pdf"_s)));
        UploadError error;
        const std::optional<QString> placed = m_store->place(id, u"report.pdf"_s, &error);
        QVERIFY2(placed, qPrintable(error.message));
        QCOMPARE(QFileInfo(*placed).fileName(), u"report (1).pdf"_s);
        QVERIFY(!QFileInfo::exists(elsewhere));
        QVERIFY(QFileInfo(QDir(m_folder).filePath(u"report.pdf"_s)).isSymLink());

        // The same for a reservation (Import).
        const std::optional<QString> reserved = m_store->reserve(u"report.pdf"_s, &error);
        QVERIFY2(reserved, qPrintable(error.message));
        QCOMPARE(QFileInfo(*reserved).fileName(), u"report (2).pdf"_s);
        QVERIFY(!QFileInfo::exists(elsewhere));
    }

    // Import reserves a name; an upload finishing afterwards under the same name gets the next
    // one, and the reservation stays the importer's (empty until its copy lands).
    void reservationHoldsTheName()
    {
        UploadError error;
        const std::optional<QString> reserved = m_store->reserve(u"photo.raw"_s, &error);
        QVERIFY2(reserved, qPrintable(error.message));
        QCOMPARE(QFileInfo(*reserved).fileName(), u"photo.raw"_s);
        QCOMPARE(QFileInfo(*reserved).size(), 0);
        QCOMPARE(QFileInfo(*reserved).permissions() & 0x0077, QFileDevice::Permissions());
        const QString id = writePart("uploaded");
        const std::optional<QString> placed = m_store->place(id, u"photo.raw"_s, &error);
        QVERIFY2(placed, qPrintable(error.message));
        QCOMPARE(QFileInfo(*placed).fileName(), u"photo (1).raw"_s);
        QCOMPARE(readAll(*reserved), QByteArray());
        QCOMPARE(readAll(*placed), QByteArray("uploaded"));
    }

    // Two writers taking names for the same file at once (uploads placing, imports
    // reserving, on two threads): every one gets its own name, none is lost or replaced.
    void racingWritersNeverShareAName()
    {
        constexpr int PerWriter = 60;
        QStringList parts;
        for (int i = 0; i < PerWriter; ++i) {
            parts.append(writePart("upload " + QByteArray::number(i)));
            QVERIFY(!parts.last().isEmpty());
        }
        QStringList placed(PerWriter);
        QStringList reserved(PerWriter);
        std::thread uploads([&] {
            for (int i = 0; i < PerWriter; ++i) {
                UploadError error;
                placed[i] = m_store->place(parts.at(i), u"same.bin"_s, &error).value_or(QString());
            }
        });
        std::thread imports([&] {
            for (int i = 0; i < PerWriter; ++i) {
                UploadError error;
                reserved[i] = m_store->reserve(u"same.bin"_s, &error).value_or(QString());
            }
        });
        uploads.join();
        imports.join();

        QSet<QString> names;
        for (int i = 0; i < PerWriter; ++i) {
            QVERIFY(!placed.at(i).isEmpty());
            QVERIFY(!reserved.at(i).isEmpty());
            names.insert(placed.at(i));
            names.insert(reserved.at(i));
            QCOMPARE(readAll(placed.at(i)), "upload " + QByteArray::number(i));
            QCOMPARE(readAll(reserved.at(i)), QByteArray());
        }
        QCOMPARE(names.size(), 2 * PerWriter);
        QCOMPARE(entries().size(), 2 * PerWriter);
        QVERIFY(names.contains(QDir(m_folder).filePath(u"same.bin"_s)));
        QVERIFY(names.contains(QDir(m_folder).filePath(u"same (119).bin"_s)));
    }

    void reserveInAMissingFolderCreatesIt()
    {
        const QString folder = QDir(m_tmp.path()).filePath(newId() + u"/data/uploads"_s);
        UploadError error;
        const std::optional<QString> reserved = UploadStore(folder).reserve(u"a.txt"_s, &error);
        QVERIFY2(reserved, qPrintable(error.message));
        QCOMPARE(*reserved, QDir(folder).filePath(u"a.txt"_s));
        QCOMPARE(QFileInfo(folder).permissions() & 0x0077, QFileDevice::Permissions());
    }

    void reserveInAFileIsAnIoError()
    {
        const QString file = QDir(m_tmp.path()).filePath(newId());
        QVERIFY(writeFile(file, "x"));
        UploadError error;
        QVERIFY(!UploadStore(file).reserve(u"a.txt"_s, &error));
        QCOMPARE(error.kind, UploadError::Kind::Io);
        QCOMPARE(error.code(), u"io_error"_s);
        QVERIFY(!error.message.isEmpty());
    }

    // Partial files: created empty and private, written at an offset, sized from the disk.
    void partialFile()
    {
        const QString id = newId();
        QVERIFY(!m_store->createPart(id, 10));
        QCOMPARE(m_store->partSize(id), 0);
        QCOMPARE(QFileInfo(m_store->partPath(id)).permissions() & 0x0077,
                 QFileDevice::Permissions());
        QVERIFY(!m_store->writeAt(id, 0, "hello"));
        QVERIFY(!m_store->writeAt(id, 5, "world"));
        QCOMPARE(m_store->partSize(id), 10);
        QCOMPARE(readAll(m_store->partPath(id)), QByteArray("helloworld"));
        QCOMPARE(m_store->partSize(newId()), -1);
        QCOMPARE(m_store->createPart(u"not-an-id"_s, 1).kind, UploadError::Kind::Io);
    }

    // A full disk is its own kind (tus answers 507), whether known before or hit while writing.
    void diskFull()
    {
        m_store->setFreeSpace([] { return qint64(4); });
        const UploadError tooBig = m_store->createPart(newId(), 5);
        QCOMPARE(tooBig.kind, UploadError::Kind::DiskFull);
        QCOMPARE(tooBig.code(), u"disk_full"_s);
        const QString id = newId();
        QVERIFY(!m_store->createPart(id, 4));
        QCOMPARE(m_store->writeAt(id, 0, "12345").kind, UploadError::Kind::DiskFull);
        QVERIFY(!m_store->writeAt(id, 0, "1234"));
    }

    // State files: saved with version and id, read back, listed; bad ones refused with a reason.
    void stateFiles()
    {
        const QString a = newId();
        const QString b = newId();
        QString error;
        QVERIFY(m_store->saveState(a, QJsonObject { { u"filename"_s, u"a.bin"_s } }, &error));
        QVERIFY(m_store->saveState(b, QJsonObject { { u"filename"_s, u"b.bin"_s } }, &error));
        QCOMPARE(QFileInfo(m_store->statePath(a)).permissions() & 0x0077,
                 QFileDevice::Permissions());
        const std::optional<QJsonObject> state = m_store->loadState(a, &error);
        QVERIFY2(state, qPrintable(error));
        QCOMPARE(state->value(u"filename"_s).toString(), u"a.bin"_s);
        QCOMPARE(state->value(u"version"_s).toInt(), UploadStore::StateVersion);
        QCOMPARE(state->value(u"id"_s).toString(), a);
        QStringList both { a, b };
        both.sort();
        QCOMPARE(m_store->savedIds(), both);

        // Another upload's state under this id, a newer version, not JSON, too large.
        QVERIFY(QFile::remove(m_store->statePath(a)));
        QVERIFY(QFile::copy(m_store->statePath(b), m_store->statePath(a)));
        QVERIFY(!m_store->loadState(a, &error));
        QVERIFY(error.contains(u"id"));
        QVERIFY(writeFile(m_store->statePath(a), R"({"version": 99, "id": "x"})"));
        QVERIFY(!m_store->loadState(a, &error));
        QVERIFY(writeFile(m_store->statePath(a), "not json"));
        QVERIFY(!m_store->loadState(a, &error));
        QVERIFY(error.contains(u"JSON"));
        QVERIFY(writeFile(m_store->statePath(a), QByteArray(2 * 1024 * 1024, ' ')));
        QVERIFY(!m_store->loadState(a, &error));
        QVERIFY(error.contains(u"too large"));
        QVERIFY(!m_store->loadState(newId(), &error)); // none

        // Partial files without state; remove() takes both files of an upload.
        const QString orphan = newId();
        QVERIFY(!m_store->createPart(orphan, 1));
        QVERIFY(!m_store->createPart(b, 1));
        QCOMPARE(m_store->unsavedParts(), QStringList { orphan });
        m_store->remove(b);
        QCOMPARE(m_store->partSize(b), -1);
        QVERIFY(!QFileInfo::exists(m_store->statePath(b)));
        QVERIFY(!m_store->savedIds().contains(b));
    }
};

QTEST_GUILESS_MAIN(tst_UploadStore)
#include "tst_uploadstore.moc"
