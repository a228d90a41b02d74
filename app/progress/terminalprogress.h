#pragma once

#include "app/progress/progressmodel.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <cstdio>

// The no-display view of a ProgressModel: on a terminal, bars redrawn in place on stderr (log
// lines scroll above them); otherwise plain lines, one per whole percent or text change.
class TerminalProgress final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TerminalProgress)

public:
    // tty: draw in place (normally isatty(fileno(out))).
    TerminalProgress(ProgressModel &model, FILE *out, bool tty, QObject *parent = nullptr);
    ~TerminalProgress() override;

    void finish(); // the last state, then a newline on a terminal

    // "[#########-----------]  42 %" for `width` cells; pulsate: a moving block.
    static QString barText(double percent, bool pulsate, int width, int frame);

private:
    void draw();
    void clear();
    void writeLine(const QString &line);
    QStringList lines() const;
    QString plainState() const;

    ProgressModel &m_model;
    FILE *m_out;
    bool m_tty;
    int m_drawnLines = 0;
    int m_frame = 0;
    QString m_lastPlain;
    QTimer m_redraw; // coalesces changes and animates pulsating bars
    bool m_finished = false;
};
