// Runs the fuzz target without libFuzzer: every seed in the corpus directories given on the
// command line, then deterministic mutations of each seed (byte flips, truncations, splices),
// so CI exercises the target with g++.
#include <QDir>
#include <QFile>
#include <QRandomGenerator>

#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run(const QByteArray &input)
{
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.constData()),
                           size_t(input.size()));
}

int main(int argc, char **argv)
{
    QList<QByteArray> seeds;
    for (int i = 1; i < argc; ++i) {
        const QDir dir(QString::fromLocal8Bit(argv[i]));
        const auto files = dir.entryInfoList(QDir::Files, QDir::Name);
        for (const QFileInfo &info : files) {
            QFile file(info.filePath());
            if (file.open(QIODevice::ReadOnly))
                seeds.append(file.readAll());
        }
    }
    if (seeds.isEmpty()) {
        std::fprintf(stderr, "no seeds found\n");
        return 1;
    }
    QRandomGenerator random(20261124);
    int runs = 0;
    for (const QByteArray &seed : std::as_const(seeds)) {
        for (int prefix = 0; prefix < 256; prefix += 7) {
            run(char(prefix) + seed);
            ++runs;
        }
        for (int i = 0; i < 400; ++i) {
            QByteArray mutated = seed;
            const int edits = 1 + int(random.bounded(4));
            for (int e = 0; e < edits && !mutated.isEmpty(); ++e) {
                const qsizetype at = qsizetype(random.bounded(quint32(mutated.size())));
                switch (random.bounded(4)) {
                case 0:
                    mutated[at] = char(random.bounded(256));
                    break;
                case 1:
                    mutated.truncate(at);
                    break;
                case 2:
                    mutated.insert(at, seeds.at(random.bounded(qsizetype(seeds.size()))).left(40));
                    break;
                default:
                    mutated.remove(at, 1 + random.bounded(8));
                    break;
                }
            }
            run(mutated);
            ++runs;
        }
    }
    std::printf("%d inputs from %lld seeds: no invariant violated\n", runs,
                static_cast<long long>(seeds.size()));
    return 0;
}
