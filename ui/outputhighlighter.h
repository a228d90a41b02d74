#pragma once

#include <QColor>
#include <QList>
#include <QSyntaxHighlighter>

class QTextDocument;

// Colours the lines of a command's output that came from stderr. The output box holds plain
// text (fast to set, even at 64 KiB and 30 updates a second); which line is which comes from
// setStderrLines(), one flag per line. A stderr line's block has the user state kStderr.
class OutputHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OutputHighlighter)

public:
    static constexpr int kStderr = 1;

    explicit OutputHighlighter(QTextDocument *document);
    // Before the text is set: the flags of the lines to come, and the colour of stderr lines.
    void setStderrLines(QList<bool> lines, const QColor &color);

protected:
    void highlightBlock(const QString &text) override;

private:
    QList<bool> m_stderr;
    QColor m_color;
};
