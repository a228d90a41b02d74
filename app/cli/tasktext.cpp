#include "tasktext.h"

#include "app/core/progresstext.h"

#include <QCoreApplication>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>
#include <optional>
#include <sys/ioctl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("TaskText", text);
}

QString stateColor(const QString &state)
{
    if (state == u"running")
        return u"\x1b[34m"_s;
    if (state == u"succeeded")
        return u"\x1b[32m"_s;
    if (state == u"failed")
        return u"\x1b[31m"_s;
    if (state == u"paused" || state == u"interrupted" || state == u"retrying")
        return u"\x1b[33m"_s;
    return u"\x1b[2m"_s; // queued, canceled: dim
}

const QString kReset = u"\x1b[0m"_s;

std::optional<double> optionalNumber(const QJsonValue &v)
{
    return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt;
}

// "2 / 4 items", "12.0 MiB / 40.0 MiB", "" when nothing is counted.
QString amounts(const QJsonObject &p)
{
    const double processed = p.value(u"processed"_s).toDouble();
    const double total = p.value(u"total"_s).toDouble(-1);
    const QString unit = p.value(u"unit"_s).toString();
    if (total > 0) {
        // Bytes carry their unit on both sides ("1.0 MiB / 4.0 MiB"), counts once ("2 / 4 files").
        const QString done = ProgressText::amount(processed, unit == u"bytes" ? unit : QString());
        return done + u" / "_s + ProgressText::amount(total, unit);
    }
    if (processed > 0)
        return ProgressText::amount(processed, unit);
    return {};
}

QString stepText(const QJsonObject &p)
{
    const QJsonArray steps = p.value(u"steps"_s).toArray();
    const int step = p.value(u"step"_s).toInt(-1);
    if (step < 0 || step >= steps.size())
        return {};
    return tr("step %1/%2 %3").arg(step + 1).arg(steps.size()).arg(steps.at(step).toString());
}

std::optional<double> percentOf(const QJsonObject &task)
{
    if (task.value(u"state"_s).toString() == u"succeeded")
        return 100.0;
    return optionalNumber(task.value(u"progress"_s).toObject().value(u"percent"_s));
}

QString percentText(std::optional<double> percent)
{
    return percent ? QString(QString::number(std::floor(*percent)) + u'%') : u"…"_s;
}

// Cuts to `width` columns (one column per code point: titles with wide characters may be
// cut a little early, never too late).
QString fit(const QString &text, int width)
{
    if (width <= 0)
        return {};
    if (text.size() <= width)
        return text;
    return text.left(std::max(0, width - 1)) + u'…';
}
} // namespace

QString TaskText::shortId(const QString &id)
{
    return id.left(8);
}

bool TaskText::isFinished(const QString &state)
{
    return state == u"succeeded" || state == u"failed" || state == u"canceled"
        || state == u"interrupted";
}

int TaskText::terminalWidth()
{
    bool ok = false;
    const int columns = qEnvironmentVariableIntValue("COLUMNS", &ok);
    if (ok && columns > 0)
        return columns;
    winsize size {};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        return size.ws_col;
    return 80;
}

bool TaskText::stdoutIsTerminal()
{
    return ::isatty(STDOUT_FILENO) == 1;
}

bool TaskText::colorWanted()
{
    return stdoutIsTerminal() && qEnvironmentVariableIsEmpty("NO_COLOR")
        && qEnvironmentVariable("TERM") != u"dumb";
}

QString TaskText::barLine(const QJsonObject &task, int width, bool color)
{
    const QString state = task.value(u"state"_s).toString();
    const QJsonObject p = task.value(u"progress"_s).toObject();
    const std::optional<double> percent = percentOf(task);
    QStringList tail;
    tail.append(percentText(percent).rightJustified(4));
    if (const QString a = amounts(p); !a.isEmpty())
        tail.append(a);
    if (state == u"running") {
        if (const QString s
            = ProgressText::speed(p.value(u"speed"_s).toDouble(), p.value(u"unit"_s).toString());
            !s.isEmpty())
            tail.append(s);
        if (const QString e = ProgressText::eta(optionalNumber(p.value(u"eta"_s))); !e.isEmpty())
            tail.append(e);
    } else {
        tail.append(state);
    }
    if (const QString s = stepText(p); !s.isEmpty())
        tail.append(s);
    QString message = p.value(u"message"_s).toString();
    if (isFinished(state) && task.value(u"error"_s).isObject())
        message = task.value(u"error"_s).toObject().value(u"message"_s).toString();
    if (!message.isEmpty())
        tail.append(message);

    // title (a quarter, 8..30) + bar (a fifth, 10..30) + the rest, all within width.
    const int titleWidth = std::clamp(width / 4, 8, 30);
    const QString title
        = fit(task.value(u"title"_s).toString(), titleWidth).leftJustified(titleWidth);
    const int barWidth = std::clamp(width / 5, 10, 30);
    const int filled = percent ? int(std::lround(*percent / 100.0 * barWidth)) : 0;
    QString bar = QString(barWidth, u'~'); // indeterminate
    if (percent)
        bar = QString(filled, u'#') + QString(barWidth - filled, u'-');
    const QString rest = fit(tail.join(u"  "_s), width - titleWidth - barWidth - 5);
    if (color) {
        bar = stateColor(state) + bar + kReset;
        return title + u" ["_s + bar + u"] "_s + rest;
    }
    return fit(title + u" ["_s + bar + u"] "_s + rest, width);
}

QString TaskText::plainLine(const QJsonObject &task)
{
    const QString state = task.value(u"state"_s).toString();
    const QJsonObject p = task.value(u"progress"_s).toObject();
    QStringList parts { shortId(task.value(u"id"_s).toString()), state,
                        percentText(percentOf(task)) };
    if (const QString a = amounts(p); !a.isEmpty())
        parts.append(a);
    // No speed or ETA: they change on every sample, and a line is written per change.
    if (const QString s = stepText(p); !s.isEmpty())
        parts.append(s);
    QString line = parts.join(u' ') + u' ' + task.value(u"title"_s).toString();
    QString message = p.value(u"message"_s).toString();
    if (isFinished(state) && task.value(u"error"_s).isObject())
        message = task.value(u"error"_s).toObject().value(u"message"_s).toString();
    if (!message.isEmpty())
        line += u": "_s + message;
    return line;
}

QString TaskText::table(const QJsonArray &tasks, int width)
{
    // ID, STATE, PROGRESS, TYPE, then the title takes what the terminal has left.
    QString out = u"%1  %2  %3  %4  %5\n"_s.arg(
        tr("ID").leftJustified(8), tr("STATE").leftJustified(11), tr("PROGRESS").leftJustified(8),
        tr("TYPE").leftJustified(10), tr("TITLE"));
    const int titleWidth = std::max(10, width - 8 - 11 - 8 - 10 - 8);
    for (const QJsonValue &v : tasks) {
        const QJsonObject t = v.toObject();
        out += u"%1  %2  %3  %4  %5\n"_s.arg(
            shortId(t.value(u"id"_s).toString()).leftJustified(8),
            t.value(u"state"_s).toString().leftJustified(11),
            percentText(percentOf(t)).leftJustified(8),
            fit(t.value(u"type"_s).toString(), 10).leftJustified(10),
            fit(t.value(u"title"_s).toString(), titleWidth));
    }
    return out;
}

QString TaskText::details(const QJsonObject &task)
{
    QString out;
    const auto line = [&out](const QString &label, const QString &value) {
        if (!value.isEmpty())
            out += QString(label + u':').leftJustified(10) + value + u'\n';
    };
    const QJsonObject p = task.value(u"progress"_s).toObject();
    line(tr("Task"), task.value(u"title"_s).toString());
    line(tr("Id"), task.value(u"id"_s).toString());
    line(tr("Type"), task.value(u"type"_s).toString());
    QString state = task.value(u"state"_s).toString();
    if (task.value(u"attempt"_s).toInt(1) > 1)
        state += tr(" (attempt %1)").arg(task.value(u"attempt"_s).toInt());
    line(tr("State"), state);
    QStringList progress { percentText(percentOf(task)) };
    if (const QString a = amounts(p); !a.isEmpty())
        progress.append(a);
    if (const QString s = stepText(p); !s.isEmpty())
        progress.append(s);
    line(tr("Progress"), progress.join(u"  "_s));
    line(tr("Message"), p.value(u"message"_s).toString());
    line(tr("Created"), task.value(u"created"_s).toString());
    line(tr("Started"), task.value(u"started"_s).toString());
    line(tr("Finished"), task.value(u"finished"_s).toString());
    QStringList actions;
    for (const QJsonValue &a : task.value(u"actions"_s).toArray())
        actions.append(a.toString());
    line(tr("Actions"), actions.join(u", "_s));
    if (task.value(u"error"_s).isObject()) {
        const QJsonObject e = task.value(u"error"_s).toObject();
        line(tr("Error"),
             e.value(u"message"_s).toString() + u" ("_s + e.value(u"code"_s).toString() + u')');
    }
    const QJsonValue result = task.value(u"result"_s);
    if (!result.isNull() && !result.isUndefined()) {
        const QString text = result.isObject()
            ? QString::fromUtf8(QJsonDocument(result.toObject()).toJson(QJsonDocument::Indented))
            : result.isArray()
            ? QString::fromUtf8(QJsonDocument(result.toArray()).toJson(QJsonDocument::Indented))
            : result.toVariant().toString();
        out += tr("Result:") + u'\n' + text.trimmed() + u'\n';
    }
    const QString output = task.value(u"output"_s).toString();
    if (!output.isEmpty()) {
        // The tail: what a person reads first when a command failed.
        QStringList lines = output.split(u'\n');
        if (lines.last().isEmpty())
            lines.removeLast();
        out += tr("Output (last lines):") + u'\n'
            + lines.mid(std::max<qsizetype>(0, lines.size() - 20)).join(u'\n') + u'\n';
    }
    return out;
}
