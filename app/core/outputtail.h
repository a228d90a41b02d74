#pragma once

#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringView>

// A program's output as it was printed: stdout and stderr in one text, in the order written,
// with the spans of that text that came from stderr, so every view can mark them. Only the
// end is kept (a tail), cut at a line start; the spans move with the cut.
class OutputTail final
{
public:
    struct Span
    {
        qsizetype start = 0;
        qsizetype length = 0;
        bool operator==(const Span &) const = default;
    };
    using Spans = QList<Span>;
    struct Line
    {
        QString text;
        bool fromStderr = false;
    };

    static void append(QString &text, Spans &stderrSpans, QStringView chunk, bool fromStderr,
                       qsizetype maxChars);
    // The text line by line, a line also split where the stream changes (no newlines kept).
    static QList<Line> lines(const QString &text, const Spans &stderrSpans);
    // The last non-empty line (trimmed) that came from stderr, the likely cause of a failure
    // ("tar: Unexpected EOF"); empty when none. Reads the spans from the end, so it costs the
    // last stderr part, not the whole text (the change feeds ship it with every task).
    static QString lastStderrLine(const QString &text, const Spans &stderrSpans);
    // [{"stream": "stdout"|"stderr", "text": "..."}]: what GET /api/v1/tasks/ID/output lists.
    static QJsonArray linesToJson(const QList<Line> &lines);
    // [[start, length], ...] in the task's JSON ("output_stderr").
    static QJsonArray spansToJson(const Spans &spans);
    static Spans spansFromJson(const QJsonArray &json);
};
