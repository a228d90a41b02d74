#pragma once

#include <QWidget>

class ProgressModel;
class QPlainTextEdit;
class QToolButton;

// An installer's "Show details": a toggle and, below it, the log of a ProgressModel (a
// command's output), collapsed until asked for or until something fails.
class DetailsLog final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DetailsLog)

public:
    explicit DetailsLog(ProgressModel &model, QWidget *parent = nullptr);

    void setExpanded(bool expanded);
    bool isExpanded() const;
    QPlainTextEdit *view() const { return m_view; }

Q_SIGNALS:
    void expandedChanged(bool expanded);

private:
    void reload();

    ProgressModel &m_model;
    QToolButton *m_toggle;
    QPlainTextEdit *m_view;
};
