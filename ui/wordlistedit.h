#pragma once

#include <QStringList>
#include <QWidget>

class QLabel;
class QLineEdit;

// A list of strings typed as words on one line, the way a shell would take them ("-la /tmp",
// quotes group words with spaces), and shown right below as the list they make, so what the
// program will get is never a guess and there is no JSON to write.
class WordListEdit final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WordListEdit)

public:
    explicit WordListEdit(QWidget *parent = nullptr);

    QStringList words() const;
    void setWords(const QStringList &words);
    QString text() const;
    void setText(const QString &text);
    QLineEdit *lineEdit() const { return m_line; }

    // One line that splits back into exactly these words.
    static QString join(const QStringList &words);

Q_SIGNALS:
    void changed();

private:
    void updatePreview();

    QLineEdit *m_line;
    QLabel *m_preview;
};
