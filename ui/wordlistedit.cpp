#include "wordlistedit.h"

#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

WordListEdit::WordListEdit(QWidget *parent)
    : QWidget(parent), m_line(new QLineEdit(this)), m_preview(new QLabel(this))
{
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    v->addWidget(m_line);
    m_preview->setObjectName(u"words"_s);
    m_preview->setWordWrap(true);
    m_preview->setTextFormat(Qt::PlainText);
    m_preview->setForegroundRole(QPalette::PlaceholderText);
    m_preview->setVisible(false);
    v->addWidget(m_preview);
    setFocusProxy(m_line);
    connect(m_line, &QLineEdit::textChanged, this, [this] {
        updatePreview();
        Q_EMIT changed();
    });
}

QStringList WordListEdit::words() const
{
    return QProcess::splitCommand(m_line->text());
}

void WordListEdit::setWords(const QStringList &words)
{
    m_line->setText(join(words));
}

QString WordListEdit::text() const
{
    return m_line->text();
}

void WordListEdit::setText(const QString &text)
{
    m_line->setText(text);
}

QString WordListEdit::join(const QStringList &words)
{
    QStringList quoted;
    for (const QString &w : words) {
        if (!w.isEmpty() && !w.contains(u' ') && !w.contains(u'\t') && !w.contains(u'"')) {
            quoted.append(w);
            continue;
        }
        // splitCommand's rules: double quotes group, a literal quote is written three times.
        QString q = w;
        q.replace(u"\""_s, u"\"\"\""_s);
        quoted.append(u'"' + q + u'"');
    }
    return quoted.join(u' ');
}

void WordListEdit::updatePreview()
{
    const QStringList list = words();
    m_preview->setVisible(!list.isEmpty());
    QStringList shown;
    for (const QString &w : list)
        shown.append(u"“"_s + w + u"”"_s);
    m_preview->setText(tr("As a list: %1").arg(shown.join(u"  "_s)));
    m_line->setAccessibleDescription(m_preview->text());
}
