#include "outputtail.h"

#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

void OutputTail::append(QString &text, Spans &stderrSpans, QStringView chunk, bool fromStderr,
                        qsizetype maxChars)
{
    if (chunk.isEmpty())
        return;
    if (fromStderr) {
        // A run of stderr writes is one span.
        if (!stderrSpans.isEmpty()
            && stderrSpans.last().start + stderrSpans.last().length == text.size())
            stderrSpans.last().length += chunk.size();
        else
            stderrSpans.append({ text.size(), chunk.size() });
    }
    text.append(chunk);
    if (text.size() <= maxChars)
        return;
    // Cut at a line start so the tail never begins mid-line.
    qsizetype cut = text.size() - maxChars;
    const qsizetype nl = text.indexOf(u'\n', cut);
    if (nl >= 0 && nl + 1 < text.size())
        cut = nl + 1;
    text.remove(0, cut);
    Spans moved;
    for (const Span &s : std::as_const(stderrSpans)) {
        const qsizetype start = std::max<qsizetype>(0, s.start - cut);
        const qsizetype end = s.start + s.length - cut;
        if (end > start)
            moved.append({ start, end - start });
    }
    stderrSpans = moved;
}

QList<OutputTail::Line> OutputTail::lines(const QString &text, const Spans &stderrSpans)
{
    QList<Line> out;
    // Boundaries where the stream changes, in order.
    QList<std::pair<qsizetype, bool>> runs; // (start, fromStderr)
    qsizetype pos = 0;
    for (const Span &s : stderrSpans) {
        const qsizetype start = std::clamp<qsizetype>(s.start, 0, text.size());
        const qsizetype end = std::clamp<qsizetype>(s.start + s.length, start, text.size());
        if (start > pos)
            runs.append({ pos, false });
        if (end > start)
            runs.append({ start, true });
        pos = std::max(pos, end);
    }
    if (pos < text.size() || runs.isEmpty())
        runs.append({ pos, false });
    for (qsizetype r = 0; r < runs.size(); ++r) {
        const qsizetype begin = runs.at(r).first;
        const qsizetype end = r + 1 < runs.size() ? runs.at(r + 1).first : text.size();
        const bool err = runs.at(r).second;
        qsizetype from = begin;
        while (from < end) {
            qsizetype nl = text.indexOf(u'\n', from);
            const bool lineEnds = nl >= 0 && nl < end;
            const qsizetype to = lineEnds ? nl : end;
            // A line that went on in the other stream continues the previous entry's line.
            out.append({ text.sliced(from, to - from), err });
            from = lineEnds ? nl + 1 : end;
        }
    }
    return out;
}

QString OutputTail::lastStderrLine(const QString &text, const Spans &stderrSpans)
{
    for (auto span = stderrSpans.crbegin(); span != stderrSpans.crend(); ++span) {
        if (span->start < 0 || span->length <= 0 || span->start + span->length > text.size())
            continue;
        const QStringView part = QStringView(text).sliced(span->start, span->length);
        qsizetype end = part.size();
        while (end > 0) {
            const qsizetype nl = part.lastIndexOf(u'\n', end - 1);
            const QStringView line = part.sliced(nl + 1, end - nl - 1).trimmed();
            if (!line.isEmpty())
                return line.toString();
            end = nl < 0 ? 0 : nl;
        }
    }
    return {};
}

QJsonArray OutputTail::linesToJson(const QList<Line> &lines)
{
    QJsonArray out;
    for (const Line &l : lines)
        out.append(QJsonObject { { u"stream"_s, l.fromStderr ? u"stderr"_s : u"stdout"_s },
                                 { u"text"_s, l.text } });
    return out;
}

QJsonArray OutputTail::spansToJson(const Spans &spans)
{
    QJsonArray out;
    for (const Span &s : spans)
        out.append(QJsonArray { qint64(s.start), qint64(s.length) });
    return out;
}

OutputTail::Spans OutputTail::spansFromJson(const QJsonArray &json)
{
    Spans out;
    for (const QJsonValue &v : json) {
        const QJsonArray pair = v.toArray();
        const qint64 start = pair.at(0).toInteger(-1);
        const qint64 length = pair.at(1).toInteger(-1);
        if (pair.size() == 2 && start >= 0 && length > 0)
            out.append({ qsizetype(start), qsizetype(length) });
    }
    return out;
}
