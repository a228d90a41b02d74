// imagecompare: compares every reference PNG <prefix>-*.png in a reference directory with the
// PNG of the same name in an actual directory, with a per-pixel tolerance. On a mismatch it
// writes <name>-diff.png next to the actual image (differing pixels in red over a faded copy of
// the reference) and exits 1. Actual images without a reference fail too (refresh them with the
// update-screenshots target). Exit codes: 0 match, 1 mismatch, 2 bad arguments.
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QImage>
#include <QTextStream>

#include <algorithm>
#include <cstdlib>

using namespace Qt::StringLiterals;

namespace {
struct Comparison
{
    qint64 differing = 0;
    int maxDelta = 0;
    QImage diff;
};

Comparison compare(const QImage &reference, const QImage &actual, int tolerance)
{
    Comparison c;
    c.diff = QImage(reference.size(), QImage::Format_ARGB32);
    for (int y = 0; y < reference.height(); ++y) {
        const auto *r = reinterpret_cast<const QRgb *>(reference.constScanLine(y));
        const auto *a = reinterpret_cast<const QRgb *>(actual.constScanLine(y));
        auto *d = reinterpret_cast<QRgb *>(c.diff.scanLine(y));
        for (int x = 0; x < reference.width(); ++x) {
            const int delta = std::max(
                { std::abs(qRed(r[x]) - qRed(a[x])), std::abs(qGreen(r[x]) - qGreen(a[x])),
                  std::abs(qBlue(r[x]) - qBlue(a[x])), std::abs(qAlpha(r[x]) - qAlpha(a[x])) });
            c.maxDelta = std::max(c.maxDelta, delta);
            if (delta > tolerance) {
                ++c.differing;
                d[x] = qRgb(255, 0, 0);
            } else {
                const int grey = 192 + qGray(r[x]) / 4; // the reference, faded
                d[x] = qRgb(grey, grey, grey);
            }
        }
    }
    return c;
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Compare screenshots with their references."_s);
    parser.addHelpOption();
    const QCommandLineOption refOpt(u"reference"_s, u"Reference directory."_s, u"dir"_s);
    const QCommandLineOption actualOpt(u"actual"_s, u"Directory of the new images."_s, u"dir"_s);
    const QCommandLineOption prefixOpt(u"prefix"_s, u"Compare <prefix>-*.png only."_s, u"name"_s);
    const QCommandLineOption tolOpt(u"tolerance"_s,
                                    u"Largest channel difference (0-255) a pixel may have and "
                                    "still match (default 24)."_s,
                                    u"n"_s, u"24"_s);
    const QCommandLineOption percentOpt(u"max-percent"_s,
                                        u"Most pixels (percent) that may differ (default 0.002)."_s,
                                        u"m"_s, u"0.002"_s);
    parser.addOptions({ refOpt, actualOpt, prefixOpt, tolOpt, percentOpt });
    parser.process(app);
    bool okTol = false;
    bool okPercent = false;
    const int tolerance = parser.value(tolOpt).toInt(&okTol);
    const double maxPercent = parser.value(percentOpt).toDouble(&okPercent);
    if (!parser.isSet(refOpt) || !parser.isSet(actualOpt) || !parser.isSet(prefixOpt) || !okTol
        || tolerance < 0 || tolerance > 255 || !okPercent || maxPercent < 0 || maxPercent > 100) {
        QTextStream(stderr) << u"usage: imagecompare --reference DIR --actual DIR --prefix NAME "
                               "[--tolerance 0-255] [--max-percent 0-100]"_s
                            << Qt::endl;
        return 2;
    }
    const QDir refDir(parser.value(refOpt));
    const QDir actualDir(parser.value(actualOpt));
    const QString prefix = parser.value(prefixOpt);
    const QStringList filter { prefix + u"-*.png"_s };
    QStringList references = refDir.entryList(filter, QDir::Files, QDir::Name);
    QStringList actuals = actualDir.entryList(filter, QDir::Files, QDir::Name);
    actuals.removeIf([](const QString &n) { return n.endsWith(u"-diff.png"_s); });

    bool ok = true;
    for (const QString &name : actuals) {
        if (!references.contains(name)) {
            out << u"FAIL %1: no reference in %2 (run the update-screenshots target)"_s.arg(
                name, refDir.path())
                << Qt::endl;
            ok = false;
        }
    }
    if (references.isEmpty()) {
        out << u"FAIL %1: no reference images in %2"_s.arg(prefix, refDir.path()) << Qt::endl;
        return 1;
    }
    for (const QString &name : std::as_const(references)) {
        const QImage reference
            = QImage(refDir.filePath(name)).convertToFormat(QImage::Format_ARGB32);
        const QImage actual
            = QImage(actualDir.filePath(name)).convertToFormat(QImage::Format_ARGB32);
        if (actual.isNull()) {
            out << u"FAIL %1: not rendered (%2 missing)"_s.arg(name, actualDir.filePath(name))
                << Qt::endl;
            ok = false;
            continue;
        }
        if (reference.isNull()) {
            out << u"FAIL %1: cannot read the reference"_s.arg(name) << Qt::endl;
            ok = false;
            continue;
        }
        if (reference.size() != actual.size()) {
            out << u"FAIL %1: size %2x%3, reference %4x%5; actual: %6"_s.arg(name)
                       .arg(actual.width())
                       .arg(actual.height())
                       .arg(reference.width())
                       .arg(reference.height())
                       .arg(actualDir.filePath(name))
                << Qt::endl;
            ok = false;
            continue;
        }
        const Comparison c = compare(reference, actual, tolerance);
        const double percent = 100.0 * double(c.differing)
            / double(std::max<qint64>(1, qint64(reference.width()) * reference.height()));
        if (percent > maxPercent) {
            QString diffName = name;
            diffName.replace(diffName.size() - 4, 4, u"-diff.png"_s);
            const QString diffPath = actualDir.filePath(diffName);
            c.diff.save(diffPath, "PNG");
            out << u"FAIL %1: %2% of the pixels differ by more than %3 (max difference %4; "
                   "allowed %5%)\n  actual: %6\n  diff:   %7"_s.arg(name)
                       .arg(percent, 0, 'f', 3)
                       .arg(tolerance)
                       .arg(c.maxDelta)
                       .arg(maxPercent)
                       .arg(actualDir.filePath(name), diffPath)
                << Qt::endl;
            ok = false;
        } else {
            out << u"ok   %1 (%2% differ, max difference %3)"_s.arg(name)
                       .arg(percent, 0, 'f', 3)
                       .arg(c.maxDelta)
                << Qt::endl;
        }
    }
    return ok ? 0 : 1;
}
