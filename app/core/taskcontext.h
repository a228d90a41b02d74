#pragma once

#include "outputtail.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <condition_variable>
#include <mutex>

// The progress sink and control channel between one running task (on a worker thread) and the
// engine. Reports must cost nanoseconds because a checksum loop reports per block: amounts are
// relaxed atomic stores; text (message, steps, output) takes a short lock. The engine samples
// the context on its own timer, so a task never waits for an observer.
class TaskContext final
{
    Q_DISABLE_COPY_MOVE(TaskContext)

public:
    explicit TaskContext(QJsonObject params = {});

    // --- for task code (any thread) ---
    const QJsonObject &params() const { return m_params; }

    void setTotal(qint64 total, const QString &unit = QString());
    void setProcessed(qint64 processed) { m_processed.store(processed, std::memory_order_relaxed); }
    void addProcessed(qint64 delta) { m_processed.fetch_add(delta, std::memory_order_relaxed); }
    qint64 processed() const { return m_processed.load(std::memory_order_relaxed); }
    // For tasks that only know a percentage (0..100); a negative value means indeterminate.
    void setPercent(double percent) { m_percent.store(percent, std::memory_order_relaxed); }
    void setSteps(const QStringList &labels);
    void setStep(int index);
    void setMessage(const QString &message);
    // Appends to the output tail kept for the task (the last ~64 KiB), stderr marked.
    void appendOutput(QStringView text, bool fromStderr = false);
    // The same tail rule for output that reaches the engine another way (external reporters).
    static void appendToTail(QString &tail, OutputTail::Spans &stderrSpans, QStringView text,
                             bool fromStderr = false);

    // A cooperative checkpoint: blocks while the task is paused; returns false when the task
    // must stop now (canceled or timed out). Long loops call it every few milliseconds.
    bool checkpoint();
    bool isCancelRequested() const { return m_cancel.load(std::memory_order_acquire); }
    bool isPauseRequested() const { return m_pause.load(std::memory_order_acquire); }
    // True while the task is held in checkpoint() by a pause: it cannot report or do anything
    // until resumed or canceled (what a test waits for instead of sleeping).
    bool isParked() const { return m_parked.load(std::memory_order_acquire); }
    // How long a canceled task may take to stop before it is forced (processes are killed).
    int cancelGraceMs() const { return m_cancelGraceMs; }
    // Where a task may keep files of its own (the engine's data dir); may be empty.
    QString dataDir() const { return m_dataDir; }

    // Pipelines map each step into a share of the overall percent: [base, base + span] of 0..1.
    void setRange(double base, double span);

    // --- for the engine ---
    void setCancelGraceMs(int ms) { m_cancelGraceMs = ms; }
    void setDataDir(const QString &dir) { m_dataDir = dir; }
    void requestCancel();
    void requestPause();
    void requestResume();

    struct Sample
    {
        qint64 processed = 0;
        qint64 total = -1;
        double percent = -1; // overall percent after the range mapping; < 0 indeterminate
        QString unit;
        int step = -1;
        QStringList steps;
        QString message;
        QString output;
        OutputTail::Spans outputStderr;
        quint64 textVersion = 0;
    };
    // Fills `out` with the current values; text fields only when their version moved past
    // out.textVersion. Returns true if anything differs from what `out` held.
    bool sample(Sample &out) const;

private:
    const QJsonObject m_params;
    std::atomic<qint64> m_processed { 0 };
    std::atomic<qint64> m_total { -1 };
    std::atomic<double> m_percent { -1 };
    std::atomic<double> m_rangeBase { 0 };
    std::atomic<double> m_rangeSpan { 1 };
    std::atomic<bool> m_cancel { false };
    std::atomic<bool> m_pause { false };
    std::atomic<bool> m_parked { false };
    int m_cancelGraceMs = 3000;
    QString m_dataDir;

    // std::mutex, not QMutex: Debian's Qt is not built with ThreadSanitizer, which then cannot
    // follow a QWaitCondition wait (it releases the QMutex inside Qt).
    mutable std::mutex m_textMutex;
    std::condition_variable m_resumed;
    QString m_unit;
    QStringList m_steps;
    int m_step = -1;
    QString m_message;
    QString m_output;
    OutputTail::Spans m_outputStderr;
    std::atomic<quint64> m_textVersion { 0 };
};
