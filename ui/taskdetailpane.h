#pragma once

#include "app/core/tasksnapshot.h"

#include <QWidget>

#include <optional>

class OutputHighlighter;
class QFormLayout;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QStackedLayout;
class StepIndicator;

// Everything about the selected task: title, type, state and progress, parameters, timestamps,
// attempts, the result or the error, the step indicator of a pipeline and the output tail of a
// command task. Shows a hint when nothing is selected.
class TaskDetailPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TaskDetailPane)

public:
    explicit TaskDetailPane(QWidget *parent = nullptr);

    void setTask(const std::optional<TaskSnapshot> &task);
    QString taskId() const { return m_task ? m_task->id : QString(); }

    StepIndicator *stepIndicator() const { return m_steps; }
    QString stateText() const;
    QString outputText() const;
    // The output's lines that came from stderr (marked in the box).
    QStringList stderrLines() const;
    QString resultText() const;
    // A task's error for people: the message, the failed step, exit code, the output's end.
    // cause: the last line the program wrote to stderr ("tar: Unexpected EOF in archive").
    static QString errorInWords(const TaskError &error, const QString &cause = {});

private:
    void setOutput(const QString &text, const OutputTail::Spans &stderrSpans);

    std::optional<TaskSnapshot> m_task;
    QString m_shownOutput;
    OutputTail::Spans m_shownStderr;
    QStackedLayout *m_stack;
    QLabel *m_title;
    QLabel *m_subtitle;
    QProgressBar *m_progress;
    QLabel *m_message;
    StepIndicator *m_steps;
    QLabel *m_created;
    QLabel *m_started;
    QLabel *m_finished;
    QLabel *m_attempt;
    QLabel *m_resultLabel;
    QPlainTextEdit *m_result;
    QPlainTextEdit *m_params;
    QLabel *m_outputLabel;
    QPlainTextEdit *m_output;
    OutputHighlighter *m_highlighter;
};
