#include "terminalprogress.h"

#include <QCoreApplication>

#include <cmath>
#include <sys/ioctl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {
int terminalColumns(FILE *out)
{
    winsize ws = {};
    if (::ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
        return ws.ws_col;
    return 80;
}
} // namespace

TerminalProgress::TerminalProgress(ProgressModel &model, FILE *out, bool tty, QObject *parent)
    : QObject(parent), m_model(model), m_out(out), m_tty(tty)
{
    m_redraw.setInterval(100);
    connect(&m_redraw, &QTimer::timeout, this, [this] {
        ++m_frame;
        draw();
    });
    // A terminal is redrawn at most 10 times a second; plain lines say every change.
    connect(&m_model, &ProgressModel::changed, this, [this] {
        if (!m_tty)
            draw();
        else if (!m_redraw.isActive())
            m_redraw.start();
    });
    connect(&m_model, &ProgressModel::logAppended, this, [this](const QString &line) {
        clear();
        writeLine(line);
        draw();
    });
    draw();
    if (m_tty)
        m_redraw.start(); // also animates pulsating bars
}

TerminalProgress::~TerminalProgress()
{
    finish();
}

QString TerminalProgress::barText(double percent, bool pulsate, int width, int frame)
{
    width = std::max(4, width);
    QString cells(width, u'-');
    if (pulsate) {
        const int block = std::max(1, width / 5);
        const int span = width - block;
        const int pos = span <= 0 ? 0 : std::abs(frame % (2 * span) - span);
        for (int i = 0; i < block; ++i)
            cells[pos + i] = u'#';
        return u"[%1]"_s.arg(cells) + u"     "_s;
    }
    const int filled = int(std::floor(percent / 100.0 * width));
    for (int i = 0; i < filled && i < width; ++i)
        cells[i] = u'#';
    return u"[%1] %2 %"_s.arg(cells).arg(int(std::floor(percent)), 3);
}

QStringList TerminalProgress::lines() const
{
    const int columns = terminalColumns(m_out);
    QStringList out;
    const QList<ProgressModel::Bar> &bars = m_model.bars();
    QString head = m_model.text();
    if (m_model.step() >= 0 && m_model.step() < m_model.steps().size()) {
        head = tr("Step %1 of %2: %3")
                   .arg(m_model.step() + 1)
                   .arg(m_model.steps().size())
                   .arg(m_model.steps().at(m_model.step()))
            + (head.isEmpty() ? QString() : u" — "_s + head);
    }
    for (qsizetype i = 0; i < bars.size(); ++i) {
        const ProgressModel::Bar &b = bars.at(i);
        QString line = barText(b.percent, b.pulsate, std::min(40, columns / 3), m_frame);
        if (!b.label.isEmpty())
            line = b.label + u' ' + line;
        if (!b.text.isEmpty())
            line += u"  "_s + b.text;
        if (i == 0 && m_model.eta() && *m_model.eta() > 0)
            line += u"  "_s + tr("%1 left").arg(ProgressModel::formatEta(*m_model.eta()));
        if (i == 0 && !head.isEmpty() && bars.size() == 1)
            line += u"  "_s + head;
        out.append(line.left(columns - 1));
    }
    if (bars.size() > 1 && !head.isEmpty())
        out.prepend(head.left(columns - 1));
    return out;
}

QString TerminalProgress::plainState() const
{
    QStringList parts;
    const QList<ProgressModel::Bar> &bars = m_model.bars();
    for (const ProgressModel::Bar &b : bars) {
        QString part = b.pulsate ? u"..."_s : u"%1%"_s.arg(int(std::floor(b.percent)));
        if (!b.label.isEmpty())
            part = b.label + u' ' + part;
        if (!b.text.isEmpty())
            part += u' ' + b.text;
        parts.append(part);
    }
    if (m_model.step() >= 0 && m_model.step() < m_model.steps().size()) {
        parts.append(tr("step %1/%2 %3")
                         .arg(m_model.step() + 1)
                         .arg(m_model.steps().size())
                         .arg(m_model.steps().at(m_model.step())));
    }
    if (!m_model.text().isEmpty())
        parts.append(m_model.text());
    return parts.join(u"  "_s);
}

void TerminalProgress::clear()
{
    if (!m_tty || m_drawnLines == 0)
        return;
    // Back to the first bar line and erase to the end of the screen.
    QByteArray seq = "\r";
    if (m_drawnLines > 1)
        seq += "\x1b[" + QByteArray::number(m_drawnLines - 1) + 'A';
    seq += "\x1b[J";
    std::fwrite(seq.constData(), 1, size_t(seq.size()), m_out);
    m_drawnLines = 0;
}

void TerminalProgress::writeLine(const QString &line)
{
    const QByteArray bytes = line.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), m_out);
    std::fflush(m_out);
}

void TerminalProgress::draw()
{
    if (m_finished)
        return;
    if (!m_tty) {
        // Plain lines: only when what they say changed (a whole percent, a text).
        const QString state = plainState();
        if (state != m_lastPlain) {
            m_lastPlain = state;
            writeLine(state);
        }
        return;
    }
    clear();
    const QStringList all = lines();
    const QByteArray bytes = all.join(u'\n').toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), m_out);
    std::fflush(m_out);
    m_drawnLines = int(all.size());
}

void TerminalProgress::finish()
{
    if (m_finished)
        return;
    m_redraw.stop();
    draw();
    m_finished = true;
    if (m_tty && m_drawnLines > 0)
        std::fputc('\n', m_out);
    const QString detail = m_model.outcomeDetail();
    if (!detail.isEmpty())
        writeLine(detail);
    std::fflush(m_out);
}
