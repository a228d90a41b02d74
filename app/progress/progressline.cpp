#include "progressline.h"

#include <QStringList>

#include <algorithm>
#include <cmath>
#include <iterator>

using namespace Qt::StringLiterals;

namespace {
// zenity's number rule: digits and one decimal point ('.' or ','), every other character
// skipped ("42%" is 42, "1,5" is 1.5); clamped to 0..100.
std::optional<double> zenityNumber(QStringView s)
{
    QString digits;
    bool point = false;
    for (const QChar c : s) {
        if (c.isDigit() && c.unicode() < 128) {
            digits.append(c);
        } else if ((c == u'.' || c == u',') && !point) {
            point = true;
            digits.append(u'.');
        }
    }
    bool ok = false;
    const double v = digits.toDouble(&ok);
    if (!ok || !std::isfinite(v))
        return std::nullopt;
    return std::clamp(v, 0.0, 100.0);
}

bool startsWithDigit(QStringView s)
{
    return !s.isEmpty() && s.front().isDigit() && s.front().unicode() < 128;
}

// C escapes as GLib's g_strcompress, which zenity applies to "#text": \n, \t, \\.
QString unescape(QStringView s)
{
    QString out;
    out.reserve(s.size());
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (c != u'\\' || i + 1 == s.size()) {
            out.append(c);
            continue;
        }
        const QChar n = s.at(++i);
        if (n == u'n')
            out.append(u'\n');
        else if (n == u't')
            out.append(u'\t');
        else if (n == u'r')
            out.append(u'\r');
        else
            out.append(n);
    }
    return out;
}

// "#text": zenity strips the blanks around the text, then expands escapes.
bool textLine(QStringView line, int, ProgressLine &out)
{
    if (!line.startsWith(u'#'))
        return false;
    out.text = unescape(line.mid(1).trimmed());
    return true;
}

bool percentLine(QStringView line, int, ProgressLine &out)
{
    if (!startsWithDigit(line))
        return false;
    out.percent = zenityNumber(line);
    return out.percent.has_value();
}

// "pulsate:true|false" (zenity: anything but "false" starts pulsating).
bool pulsateLine(QStringView line, int, ProgressLine &out)
{
    if (!line.startsWith(u"pulsate", Qt::CaseInsensitive))
        return false;
    const qsizetype colon = line.indexOf(u':');
    const QStringView value = colon < 0 ? QStringView() : line.mid(colon + 1).trimmed();
    out.pulsate = value.compare(u"false", Qt::CaseInsensitive) != 0;
    return true;
}

// "step:N" (1-based) or "step:LABEL".
bool stepLine(QStringView line, int, ProgressLine &out)
{
    if (!line.startsWith(u"step:", Qt::CaseInsensitive))
        return false;
    const QStringView value = line.mid(5).trimmed();
    if (value.isEmpty())
        return false;
    bool ok = false;
    const int n = value.toInt(&ok);
    if (ok) {
        if (n < 1)
            return false;
        out.step = n - 1;
    } else {
        out.stepLabel = value.toString();
    }
    return true;
}

// yad's "N:VALUE" and "N:#text", N 1-based; only when there are --bar bars.
bool barLine(QStringView line, int bars, ProgressLine &out)
{
    if (bars <= 0)
        return false;
    const qsizetype colon = line.indexOf(u':');
    if (colon <= 0)
        return false;
    bool ok = false;
    const int n = line.left(colon).toInt(&ok);
    if (!ok || n < 1 || n > bars)
        return false;
    const QStringView value = line.mid(colon + 1).trimmed();
    out.bar = n - 1;
    if (value.startsWith(u'#')) {
        out.text = unescape(value.mid(1).trimmed());
        return true;
    }
    if (value.compare(u"pulsate", Qt::CaseInsensitive) == 0) {
        out.pulsate = true;
        return true;
    }
    if (!startsWithDigit(value))
        return false;
    out.percent = zenityNumber(value);
    return out.percent.has_value();
}

// APT::Status-Fd: "dlstatus:ID:PERCENT:TEXT", "pmstatus:PKG:PERCENT:TEXT",
// "pmerror:PKG:PERCENT:ERROR". PKG may be "libc6:amd64" and TEXT may hold colons: the percent
// is the first field after PKG that is a number with a decimal point (apt writes "%.4f").
bool aptLine(QStringView line, int, ProgressLine &out)
{
    const QList<QStringView> fields = line.split(u':');
    if (fields.size() < 4)
        return false;
    const QStringView kind = fields.at(0);
    const bool status = kind == u"dlstatus" || kind == u"pmstatus";
    const bool error = kind == u"pmerror";
    if (!status && !error)
        return false;
    for (qsizetype i = 2; i + 1 < fields.size(); ++i) {
        if (!fields.at(i).contains(u'.'))
            continue;
        bool ok = false;
        const double percent = fields.at(i).toDouble(&ok);
        if (!ok || !std::isfinite(percent))
            continue;
        out.percent = std::clamp(percent, 0.0, 100.0);
        const qsizetype textStart = fields.at(i + 1).data() - line.data();
        const QString text = line.mid(textStart).trimmed().toString();
        if (error) {
            const qsizetype pkgStart = fields.at(1).data() - line.data();
            const qsizetype pkgEnd = fields.at(i).data() - line.data() - 1;
            out.error = line.sliced(pkgStart, pkgEnd - pkgStart).toString() + u": "_s + text;
        } else {
            out.text = text;
        }
        return true;
    }
    return false;
}

// The last "NN%" or "NN.N%" of a line: wget, curl, rsync --info=progress2, pv.
bool lastPercentLine(QStringView line, int, ProgressLine &out)
{
    for (qsizetype pct = line.lastIndexOf(u'%'); pct > 0; pct = line.lastIndexOf(u'%', pct - 1)) {
        qsizetype start = pct;
        bool point = false;
        while (start > 0) {
            const QChar c = line.at(start - 1);
            if (c.isDigit() && c.unicode() < 128) {
                --start;
            } else if ((c == u'.' || c == u',') && !point && start < pct) {
                point = true;
                --start;
            } else {
                break;
            }
        }
        if (start < pct && line.at(start).isDigit()) {
            out.percent = zenityNumber(line.sliced(start, pct - start));
            if (out.percent)
                return true;
        }
    }
    return false;
}

struct LineRule
{
    ProgressFormat format;
    bool (*parse)(QStringView line, int bars, ProgressLine &out);
};

// Tried in order; the first rule that recognises the line wins. Bars come before zenity's
// percent so "2:50" means bar 2 when there are bars.
constexpr LineRule kRules[] = {
    { ProgressFormat::Zenity, textLine },
    { ProgressFormat::Zenity, pulsateLine },
    { ProgressFormat::Zenity, stepLine },
    { ProgressFormat::Zenity, barLine },
    { ProgressFormat::Zenity, percentLine },
    { ProgressFormat::Apt, aptLine },
    // curl -# draws its bar with '#': a percent first, "#text" only without one.
    { ProgressFormat::Percent, lastPercentLine },
    { ProgressFormat::Percent, stepLine },
    { ProgressFormat::Percent, textLine },
};

struct FormatName
{
    ProgressFormat format;
    QStringView name;
};
constexpr FormatName kFormatNames[] = {
    { ProgressFormat::Zenity, u"zenity" },
    { ProgressFormat::Apt, u"apt" },
    { ProgressFormat::Percent, u"percent" },
};
} // namespace

ProgressLine ProgressLineParser::parse(ProgressFormat format, QStringView line, int bars)
{
    line = line.trimmed();
    ProgressLine out;
    if (line.isEmpty())
        return out;
    for (const LineRule &rule : kRules) {
        if (rule.format != format)
            continue;
        ProgressLine candidate;
        if (rule.parse(line, bars, candidate)) {
            candidate.recognized = true;
            return candidate;
        }
    }
    return out;
}

std::optional<ProgressFormat> ProgressLineParser::formatFromName(QStringView name)
{
    for (const FormatName &f : kFormatNames) {
        if (f.name == name)
            return f.format;
    }
    return std::nullopt;
}

QString ProgressLineParser::formatNames()
{
    QStringList names;
    for (const FormatName &f : kFormatNames)
        names.append(f.name.toString());
    return names.join(u", "_s);
}
