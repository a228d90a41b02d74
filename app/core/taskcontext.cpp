#include "taskcontext.h"

namespace {
constexpr qsizetype kOutputTailChars = 64 * 1024;
}

void TaskContext::appendToTail(QString &tail, OutputTail::Spans &stderrSpans, QStringView text,
                               bool fromStderr)
{
    OutputTail::append(tail, stderrSpans, text, fromStderr, kOutputTailChars);
}

TaskContext::TaskContext(QJsonObject params) : m_params(std::move(params)) { }

void TaskContext::setTotal(qint64 total, const QString &unit)
{
    m_total.store(total, std::memory_order_relaxed);
    const std::lock_guard lock(m_textMutex);
    if (m_unit != unit) {
        m_unit = unit;
        m_textVersion.fetch_add(1, std::memory_order_release);
    }
}

void TaskContext::setSteps(const QStringList &labels)
{
    const std::lock_guard lock(m_textMutex);
    m_steps = labels;
    m_textVersion.fetch_add(1, std::memory_order_release);
}

void TaskContext::setStep(int index)
{
    const std::lock_guard lock(m_textMutex);
    if (m_step != index) {
        m_step = index;
        m_textVersion.fetch_add(1, std::memory_order_release);
    }
}

void TaskContext::setMessage(const QString &message)
{
    const std::lock_guard lock(m_textMutex);
    if (m_message != message) {
        m_message = message;
        m_textVersion.fetch_add(1, std::memory_order_release);
    }
}

void TaskContext::appendOutput(QStringView text, bool fromStderr)
{
    if (text.isEmpty())
        return;
    const std::lock_guard lock(m_textMutex);
    appendToTail(m_output, m_outputStderr, text, fromStderr);
    m_textVersion.fetch_add(1, std::memory_order_release);
}

bool TaskContext::checkpoint()
{
    if (m_cancel.load(std::memory_order_acquire))
        return false;
    if (!m_pause.load(std::memory_order_acquire))
        return true;
    std::unique_lock lock(m_textMutex);
    while (m_pause.load(std::memory_order_acquire) && !m_cancel.load(std::memory_order_acquire)) {
        m_parked.store(true, std::memory_order_release);
        m_resumed.wait(lock);
    }
    m_parked.store(false, std::memory_order_release);
    return !m_cancel.load(std::memory_order_acquire);
}

void TaskContext::setRange(double base, double span)
{
    m_rangeBase.store(base, std::memory_order_relaxed);
    m_rangeSpan.store(span, std::memory_order_relaxed);
    m_processed.store(0, std::memory_order_relaxed);
    m_total.store(-1, std::memory_order_relaxed);
    m_percent.store(-1, std::memory_order_relaxed);
}

void TaskContext::requestCancel()
{
    const std::lock_guard lock(m_textMutex);
    m_cancel.store(true, std::memory_order_release);
    m_resumed.notify_all();
}

void TaskContext::requestPause()
{
    m_pause.store(true, std::memory_order_release);
}

void TaskContext::requestResume()
{
    const std::lock_guard lock(m_textMutex);
    m_pause.store(false, std::memory_order_release);
    m_resumed.notify_all();
}

bool TaskContext::sample(Sample &out) const
{
    bool changed = false;
    const qint64 processed = m_processed.load(std::memory_order_relaxed);
    const qint64 total = m_total.load(std::memory_order_relaxed);
    const double base = m_rangeBase.load(std::memory_order_relaxed);
    const double span = m_rangeSpan.load(std::memory_order_relaxed);
    const double own = m_percent.load(std::memory_order_relaxed);

    double local = -1;
    if (total > 0)
        local = 100.0 * double(std::min(processed, total)) / double(total);
    else if (total == 0)
        local = 100.0;
    else if (own >= 0)
        local = std::min(own, 100.0);
    double percent = -1;
    if (local >= 0)
        percent = 100.0 * base + span * local;
    else if (span < 1.0)
        percent = 100.0 * base; // a pipeline step without a total: at least the steps done

    if (processed != out.processed || total != out.total || percent != out.percent) {
        out.processed = processed;
        out.total = total;
        out.percent = percent;
        changed = true;
    }
    const quint64 version = m_textVersion.load(std::memory_order_acquire);
    if (version != out.textVersion) {
        const std::lock_guard lock(m_textMutex);
        out.unit = m_unit;
        out.step = m_step;
        out.steps = m_steps;
        out.message = m_message;
        out.output = m_output;
        out.outputStderr = m_outputStderr;
        out.textVersion = m_textVersion.load(std::memory_order_relaxed);
        changed = true;
    }
    return changed;
}
