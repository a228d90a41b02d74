#include "taskdetailpane.h"

#include "animationpolicy.h"
#include "outputhighlighter.h"
#include "stepindicator.h"
#include "taskformat.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QScrollArea>
#include <QScrollBar>
#include <QStackedLayout>
#include <QTextBlock>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
QString timeText(const QDateTime &t)
{
    return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : u"—"_s;
}

QPlainTextEdit *makeText(QWidget *parent, const QString &name)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setReadOnly(true);
    edit->setAccessibleName(name);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    const int lines = 6;
    edit->setMaximumHeight(edit->fontMetrics().lineSpacing() * lines + 12);
    return edit;
}
} // namespace

TaskDetailPane::TaskDetailPane(QWidget *parent) : QWidget(parent)
{
    setAccessibleName(tr("Task details"));
    m_stack = new QStackedLayout(this);

    auto *empty = new QLabel(tr("Select a task to see its details."), this);
    empty->setAlignment(Qt::AlignCenter);
    empty->setWordWrap(true);
    empty->setForegroundRole(QPalette::PlaceholderText);
    m_stack->addWidget(empty);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // content wraps to the width
    scroll->setFrameShape(QFrame::NoFrame);
    auto *content = new QWidget(scroll);
    auto *v = new QVBoxLayout(content);

    m_title = new QLabel(content);
    QFont big = m_title->font();
    // A font set in pixels has no point size (-1): scale whichever the font has.
    if (big.pointSizeF() > 0)
        big.setPointSizeF(big.pointSizeF() * 1.3);
    else
        big.setPixelSize(qRound(big.pixelSize() * 1.3));
    big.setBold(true);
    m_title->setFont(big);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setTextFormat(Qt::PlainText);
    m_subtitle = new QLabel(content);
    m_subtitle->setTextFormat(Qt::PlainText);
    m_subtitle->setWordWrap(true); // long amounts and speeds wrap instead of widening the pane
    m_progress = new QProgressBar(content);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setAccessibleName(tr("Progress"));
    m_message = new QLabel(content);
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_steps = new StepIndicator(content);
    v->addWidget(m_title);
    v->addWidget(m_subtitle);
    v->addWidget(m_progress);
    v->addWidget(m_message);
    v->addWidget(m_steps);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_created = new QLabel(content);
    m_started = new QLabel(content);
    m_finished = new QLabel(content);
    m_attempt = new QLabel(content);
    form->addRow(tr("Created:"), m_created);
    form->addRow(tr("Started:"), m_started);
    form->addRow(tr("Finished:"), m_finished);
    form->addRow(tr("Attempt:"), m_attempt);
    v->addLayout(form);

    v->addWidget(new QLabel(tr("Parameters:"), content));
    m_params = makeText(content, tr("Parameters"));
    v->addWidget(m_params);
    m_resultLabel = new QLabel(content);
    v->addWidget(m_resultLabel);
    m_result = makeText(content, tr("Result"));
    // An error's lines wrap to the pane: nothing to scroll sideways for.
    m_result->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    v->addWidget(m_result);
    m_outputLabel = new QLabel(tr("Output:"), content);
    v->addWidget(m_outputLabel);
    m_output = makeText(content, tr("Output"));
    m_output->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_highlighter = new OutputHighlighter(m_output->document());
    m_output->setMaximumHeight(QWIDGETSIZE_MAX);
    v->addWidget(m_output, 1);
    v->addStretch();
    scroll->setWidget(content);
    m_stack->addWidget(scroll);
}

QString TaskDetailPane::stateText() const
{
    return m_subtitle->text();
}

QString TaskDetailPane::outputText() const
{
    return m_output->toPlainText();
}

QStringList TaskDetailPane::stderrLines() const
{
    QStringList lines;
    for (QTextBlock b = m_output->document()->begin(); b.isValid(); b = b.next()) {
        if (b.userState() == OutputHighlighter::kStderr)
            lines.append(b.text());
    }
    return lines;
}

void TaskDetailPane::setOutput(const QString &text, const OutputTail::Spans &stderrSpans)
{
    m_shownOutput = text;
    m_shownStderr = stderrSpans;
    if (stderrSpans.isEmpty()) {
        m_highlighter->setStderrLines({}, {});
        m_output->setPlainText(text); // nothing to mark
        return;
    }
    // In the order printed, a line split where the stream changes; the highlighter colours the
    // stderr lines in the failure colour, so the cause stands out.
    const QList<OutputTail::Line> lines = OutputTail::lines(text, stderrSpans);
    QList<bool> flags;
    flags.reserve(lines.size());
    QString shown;
    shown.reserve(text.size() + lines.size());
    for (const OutputTail::Line &line : lines) {
        if (!flags.isEmpty())
            shown.append(u'\n');
        shown.append(line.text);
        flags.append(line.fromStderr);
    }
    if (text.endsWith(u'\n'))
        shown.append(u'\n'); // the text as printed, its last line break included
    m_highlighter->setStderrLines(std::move(flags),
                                  TaskFormat::stateColor(TaskState::Failed, palette()));
    m_output->setPlainText(shown);
}

QString TaskDetailPane::errorInWords(const TaskError &error, const QString &cause)
{
    // What failed, then the facts a person reads (exit code, the failed step, the end of the
    // output with its real line breaks), never raw JSON.
    constexpr int kOutputLines = 8;
    QStringList lines { error.message };
    if (!cause.isEmpty())
        lines.append(tr("Cause: %1").arg(cause));
    const QJsonObject &d = error.details;
    if (d.contains(u"label"_s) && d.contains(u"step_index"_s))
        lines.append(tr("Failed step: %1 (step %2)")
                         .arg(d.value(u"label"_s).toString())
                         .arg(d.value(u"step_index"_s).toInt() + 1));
    if (d.contains(u"exit_code"_s))
        lines.append(tr("Exit code: %1").arg(d.value(u"exit_code"_s).toInt()));
    if (d.contains(u"signal"_s))
        lines.append(tr("Stopped by signal %1").arg(d.value(u"signal"_s).toInt()));
    const QJsonObject inner = d.value(u"error"_s).toObject(); // a pipeline step's own error
    const QString tail = d.contains(u"output_tail"_s)
        ? d.value(u"output_tail"_s).toString()
        : inner.value(u"details"_s).toObject().value(u"output_tail"_s).toString();
    if (!tail.trimmed().isEmpty()) {
        QStringList out = tail.trimmed().split(u'\n');
        if (out.size() > kOutputLines)
            out = out.mid(out.size() - kOutputLines);
        lines.append(tr("Last lines of output:"));
        lines.append(out.join(u'\n'));
    }
    if (!error.code.isEmpty())
        lines.append(tr("Error code: %1").arg(error.code));
    return lines.join(u'\n');
}

QString TaskDetailPane::resultText() const
{
    return m_result->toPlainText();
}

void TaskDetailPane::setTask(const std::optional<TaskSnapshot> &task)
{
    const bool sameTask = task && m_task && task->id == m_task->id;
    m_task = task;
    if (!task) {
        m_stack->setCurrentIndex(0);
        return;
    }
    m_stack->setCurrentIndex(1);
    const TaskSnapshot &t = *task;
    m_title->setText(t.title);
    QString sub = TaskFormat::stateLabel(t.state) + u"  ·  "_s + t.type;
    // "3 GiB of 3 GiB", as the page's card says it.
    const QString processed
        = TaskFormat::processed(t.progress.processed, t.progress.total, t.progress.unit);
    if (!processed.isEmpty())
        sub += u"  ·  "_s + processed;
    if (t.state == TaskState::Running) {
        const QString speed = TaskFormat::speed(t.progress.speed, t.progress.unit);
        if (!speed.isEmpty())
            sub += u"  ·  "_s + speed;
        const QString eta = TaskFormat::eta(t.progress.eta);
        if (!eta.isEmpty())
            sub += u"  ·  "_s + eta;
    }
    m_subtitle->setText(sub);

    if (t.state == TaskState::Succeeded) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(1000);
    } else if (t.progress.percent) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(*t.progress.percent * 10));
    } else if (t.state == TaskState::Running && AnimationPolicy::enabled()) {
        m_progress->setRange(0, 0); // busy (a still, empty bar when animations are off)
    } else {
        m_progress->setRange(0, 1000);
        m_progress->setValue(0);
    }
    // The same state colour as the row in the list (red when failed, amber when paused...).
    QPalette barPalette = palette();
    barPalette.setColor(QPalette::Highlight, TaskFormat::stateColor(t.state, palette()));
    m_progress->setPalette(barPalette);
    // The task's own running message ("Unpacking payload") only while it is under way; after
    // the end the error box says what happened.
    const QString message = TaskFormat::liveMessage(t.state, t.progress.message);
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());

    m_steps->setVisible(!t.progress.steps.isEmpty());
    m_steps->setSteps(t.progress.steps);
    if (t.state == TaskState::Succeeded)
        m_steps->setCurrent(int(t.progress.steps.size()));
    else
        m_steps->setCurrent(t.progress.step, t.state == TaskState::Failed);

    m_created->setText(timeText(t.created));
    m_started->setText(timeText(t.started));
    m_finished->setText(timeText(t.finished));
    m_attempt->setText(t.maxRetries > 0 ? tr("%1 of %2").arg(t.attempt).arg(t.maxRetries + 1)
                                        : QString::number(t.attempt));

    const QString params
        = QString::fromUtf8(QJsonDocument(t.params).toJson(QJsonDocument::Indented)).trimmed();
    if (m_params->toPlainText() != params)
        m_params->setPlainText(params);

    QString result;
    if (t.error) {
        m_resultLabel->setText(tr("Error:"));
        result = errorInWords(*t.error, OutputTail::lastStderrLine(t.output, t.outputStderr));
    } else if (!t.result.isNull() && !t.result.isUndefined()) {
        m_resultLabel->setText(tr("Result:"));
        if (t.result.isObject())
            result = QString::fromUtf8(
                         QJsonDocument(t.result.toObject()).toJson(QJsonDocument::Indented))
                         .trimmed();
        else if (t.result.isArray())
            result = QString::fromUtf8(
                         QJsonDocument(t.result.toArray()).toJson(QJsonDocument::Indented))
                         .trimmed();
        else
            result = t.result.toVariant().toString();
    }
    m_resultLabel->setVisible(!result.isEmpty());
    m_result->setVisible(!result.isEmpty());
    if (m_result->toPlainText() != result)
        m_result->setPlainText(result);

    const bool showOutput = !t.output.isEmpty() || t.type == u"command";
    m_outputLabel->setVisible(showOutput);
    m_output->setVisible(showOutput);
    if (m_shownOutput != t.output || m_shownStderr != t.outputStderr) {
        // Follow the tail unless the user scrolled up to read.
        QScrollBar *bar = m_output->verticalScrollBar();
        const bool atEnd = !sameTask || bar->value() >= bar->maximum() - 2;
        const int keep = bar->value();
        setOutput(t.output, t.outputStderr);
        bar->setValue(atEnd ? bar->maximum() : keep);
    }
}
