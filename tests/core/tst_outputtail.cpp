// OutputTail: stdout and stderr in one text as printed, the stderr spans through the cut of the
// tail, the lines split where the stream changes, and the JSON forms.
#include "app/core/outputtail.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
// "o:text|e:text" — the lines as the views list them.
QString describe(const QList<OutputTail::Line> &lines)
{
    QStringList parts;
    for (const OutputTail::Line &l : lines)
        parts.append((l.fromStderr ? u"e:"_s : u"o:"_s) + l.text);
    return parts.join(u'|');
}
} // namespace

// Appends each chunk to the tail; a chunk starting with '!' came from stderr.
static void appendChunks(QString &text, OutputTail::Spans &spans, const QStringList &chunks)
{
    for (const QString &c : chunks) {
        const bool err = c.startsWith(u'!');
        OutputTail::append(text, spans, err ? QStringView(c).mid(1) : QStringView(c), err, 1000);
    }
}

class tst_OutputTail : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lines_data()
    {
        // Chunks as written: a leading '!' marks a stderr write.
        QTest::addColumn<QStringList>("chunks");
        QTest::addColumn<QString>("expected");
        QTest::newRow("interleaved") << QStringList { u"first\n"_s, u"!second\n"_s, u"third\n"_s }
                                     << u"o:first|e:second|o:third"_s;
        QTest::newRow("stderr runs join") << QStringList { u"!a\n"_s, u"!b\n"_s } << u"e:a|e:b"_s;
        QTest::newRow("a line split by streams")
            << QStringList { u"half "_s, u"!oops\n"_s, u"rest\n"_s } << u"o:half |e:oops|o:rest"_s;
        QTest::newRow("empty lines kept") << QStringList { u"a\n\n"_s, u"!\n"_s } << u"o:a|o:|e:"_s;
        QTest::newRow("no newline at the end") << QStringList { u"a\nb"_s } << u"o:a|o:b"_s;
    }
    void lines()
    {
        QFETCH(QStringList, chunks);
        QFETCH(QString, expected);
        QString text;
        OutputTail::Spans spans;
        appendChunks(text, spans, chunks);
        QCOMPARE(describe(OutputTail::lines(text, spans)), expected);
    }

    // The likely cause of a failure: the last non-empty line that came from stderr, whatever
    // stdout printed after it (the change feeds ship it, the window's error box shows it).
    void lastStderrLine_data()
    {
        QTest::addColumn<QStringList>("chunks");
        QTest::addColumn<QString>("expected");
        QTest::newRow("stdout after it")
            << QStringList { u"Unpacking\n"_s, u"!tar: Unexpected EOF\n"_s, u"Cleaning up\n"_s }
            << u"tar: Unexpected EOF"_s;
        QTest::newRow("empty stderr lines skipped")
            << QStringList { u"a\n"_s, u"!err1\nerr2\n\n  \n"_s, u"b\n"_s } << u"err2"_s;
        QTest::newRow("an earlier stderr part")
            << QStringList { u"!first\n"_s, u"out\n"_s, u"!\n"_s, u"more\n"_s } << u"first"_s;
        QTest::newRow("trimmed, no newline at the end")
            << QStringList { u"!  cannot open x  "_s } << u"cannot open x"_s;
        QTest::newRow("only stdout") << QStringList { u"only stdout\n"_s } << QString();
        QTest::newRow("nothing") << QStringList {} << QString();
    }
    void lastStderrLine()
    {
        QFETCH(QStringList, chunks);
        QFETCH(QString, expected);
        QString text;
        OutputTail::Spans spans;
        appendChunks(text, spans, chunks);
        QCOMPARE(OutputTail::lastStderrLine(text, spans), expected);
        // The same as reading the lines from the end.
        QString slow;
        const QList<OutputTail::Line> lines = OutputTail::lines(text, spans);
        for (auto it = lines.crbegin(); it != lines.crend() && slow.isEmpty(); ++it) {
            if (it->fromStderr)
                slow = it->text.trimmed();
        }
        QCOMPARE(OutputTail::lastStderrLine(text, spans), slow);
    }

    // The tail keeps its last characters from a line start; the spans follow the cut.
    void cutMovesSpans()
    {
        QString text;
        OutputTail::Spans spans;
        for (int i = 0; i < 20; ++i) {
            OutputTail::append(text, spans, u"out%1\n"_s.arg(i, 2, 10, QChar(u'0')), false, 40);
            OutputTail::append(text, spans, u"err%1\n"_s.arg(i, 2, 10, QChar(u'0')), true, 40);
        }
        QVERIFY(text.size() <= 40);
        QVERIFY2(text.startsWith(u"out"_s) || text.startsWith(u"err"_s), qPrintable(text));
        const QList<OutputTail::Line> lines = OutputTail::lines(text, spans);
        QVERIFY(!lines.isEmpty());
        for (const OutputTail::Line &l : lines)
            QCOMPARE(l.fromStderr, l.text.startsWith(u"err"_s));
        QCOMPARE(lines.last().text, u"err19"_s);
    }

    void json()
    {
        QString text;
        OutputTail::Spans spans;
        OutputTail::append(text, spans, u"a\n"_s, false, 100);
        OutputTail::append(text, spans, u"b\n"_s, true, 100);
        const QJsonArray json = OutputTail::spansToJson(spans);
        QCOMPARE(QJsonDocument(json).toJson(QJsonDocument::Compact), QByteArray("[[2,2]]"));
        QCOMPARE(OutputTail::spansFromJson(json), spans);
        QCOMPARE(QJsonDocument(OutputTail::linesToJson(OutputTail::lines(text, spans)))
                     .toJson(QJsonDocument::Compact),
                 QByteArray(R"([{"stream":"stdout","text":"a"},{"stream":"stderr","text":"b"}])"));
        // Nonsense from a hand-edited store is dropped, not trusted.
        QVERIFY(
            OutputTail::spansFromJson(QJsonDocument::fromJson("[[-1,2],[1],[3,0],\"x\"]").array())
                .isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_OutputTail)
#include "tst_outputtail.moc"
