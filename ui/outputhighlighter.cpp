#include "outputhighlighter.h"

#include <QTextBlock>

OutputHighlighter::OutputHighlighter(QTextDocument *document) : QSyntaxHighlighter(document) { }

void OutputHighlighter::setStderrLines(QList<bool> lines, const QColor &color)
{
    m_stderr = std::move(lines);
    m_color = color;
}

void OutputHighlighter::highlightBlock(const QString &text)
{
    const int n = currentBlock().blockNumber();
    const bool fromStderr = n >= 0 && n < m_stderr.size() && m_stderr.at(n);
    setCurrentBlockState(fromStderr ? kStderr : -1);
    if (fromStderr)
        setFormat(0, int(text.size()), m_color);
}
