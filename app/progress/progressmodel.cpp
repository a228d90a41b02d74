#include "progressmodel.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {
// The log keeps the newest lines only: a chatty command must not grow memory without bound.
constexpr qsizetype kMaxLogLines = 5000;
} // namespace

ProgressModel::ProgressModel(QObject *parent) : QObject(parent)
{
    m_bars.append(Bar {});
    // As often as the engine's samples are useful to its estimator (windows of >= 250 ms).
    m_etaTimer.setInterval(250);
    connect(&m_etaTimer, &QTimer::timeout, this, &ProgressModel::sampleEta);
}

void ProgressModel::setBars(const QStringList &labels)
{
    m_bars.clear();
    for (const QString &label : labels)
        m_bars.append(Bar { label, 0, false, {} });
    if (m_bars.isEmpty())
        m_bars.append(Bar {});
    Q_EMIT changed();
}

void ProgressModel::setSteps(const QStringList &steps)
{
    m_steps = steps;
    Q_EMIT changed();
}

void ProgressModel::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    Q_EMIT changed();
}

void ProgressModel::setPercent(int bar, double percent)
{
    if (bar < 0 || bar >= m_bars.size())
        return;
    Bar &b = m_bars[bar];
    percent = std::clamp(percent, 0.0, 100.0);
    // A percent ends pulsating, as in zenity.
    if (b.percent == percent && !b.pulsate)
        return;
    b.percent = percent;
    b.pulsate = false;
    if (m_etaTimer.isActive())
        sampleEta();
    Q_EMIT changed();
}

void ProgressModel::setPulsate(int bar, bool pulsate)
{
    if (bar < 0 || bar >= m_bars.size() || m_bars.at(bar).pulsate == pulsate)
        return;
    m_bars[bar].pulsate = pulsate;
    Q_EMIT changed();
}

void ProgressModel::setStep(int step)
{
    if (step == m_step)
        return;
    m_step = step;
    Q_EMIT changed();
}

void ProgressModel::appendLog(const QString &line)
{
    m_log.append(line);
    if (m_log.size() > kMaxLogLines)
        m_log.remove(0, m_log.size() - kMaxLogLines);
    Q_EMIT logAppended(line);
}

void ProgressModel::setLog(const QString &text)
{
    // Complete lines only: a line still being written is shown once it ends.
    QStringList lines = text.split(u'\n');
    lines.removeLast();
    if (lines == m_log)
        return;
    // Views get the new lines appended (they keep their scroll position); the text may be a
    // tail that dropped its first lines, so find where the known lines end.
    qsizetype from = -1;
    if (m_log.isEmpty()) {
        from = 0;
    } else if (lines.size() >= m_log.size()
               && std::equal(m_log.cbegin(), m_log.cend(), lines.cbegin())) {
        from = m_log.size();
    } else if (const qsizetype last = lines.lastIndexOf(m_log.constLast()); last >= 0) {
        from = last + 1;
    }
    if (from < 0) {
        m_log = lines;
        Q_EMIT logReset();
        return;
    }
    for (qsizetype i = from; i < lines.size(); ++i)
        appendLog(lines.at(i));
}

void ProgressModel::setTimeRemainingEnabled(bool enabled)
{
    if (enabled && !m_etaTimer.isActive()) {
        m_clock.start();
        m_speed.reset();
        m_etaTimer.start();
        sampleEta();
    } else if (!enabled) {
        m_etaTimer.stop();
    }
}

void ProgressModel::setEta(std::optional<double> seconds)
{
    if (seconds == m_eta)
        return;
    m_eta = seconds;
    Q_EMIT changed();
}

void ProgressModel::setOutcome(Outcome outcome, const QString &detail)
{
    m_outcome = outcome;
    m_outcomeDetail = detail;
    m_etaTimer.stop();
    if (outcome == Outcome::Succeeded)
        m_eta = 0.0;
    Q_EMIT changed();
}

bool ProgressModel::apply(const ProgressLine &line)
{
    if (!line.recognized)
        return false;
    const int bar = std::clamp(line.bar, 0, int(m_bars.size()) - 1);
    if (line.text) {
        if (line.bar >= 0) {
            m_bars[bar].text = *line.text;
            Q_EMIT changed();
        } else {
            setText(*line.text);
        }
    }
    if (line.pulsate)
        setPulsate(bar, *line.pulsate);
    if (line.percent)
        setPercent(bar, *line.percent);
    if (line.step) {
        setStep(*line.step);
    } else if (!line.stepLabel.isEmpty()) {
        const auto it = std::find_if(m_steps.cbegin(), m_steps.cend(), [&line](const QString &s) {
            return s.compare(line.stepLabel, Qt::CaseInsensitive) == 0;
        });
        if (it == m_steps.cend())
            return false;
        setStep(int(it - m_steps.cbegin()));
    }
    if (line.error)
        appendLog(*line.error);
    return true;
}

double ProgressModel::overallPercent() const
{
    double sum = 0;
    for (const Bar &b : m_bars)
        sum += b.percent;
    return sum / double(m_bars.size());
}

bool ProgressModel::isComplete() const
{
    return std::all_of(m_bars.cbegin(), m_bars.cend(),
                       [](const Bar &b) { return b.percent >= 100.0; });
}

void ProgressModel::sampleEta()
{
    // The engine's rule: percent as an amount in thousandths, the same warm-up and smoothing.
    const double p = overallPercent();
    m_speed.update(m_clock.elapsed(), qint64(p * 1000.0));
    std::optional<double> eta = m_speed.eta(qint64((100.0 - p) * 1000.0));
    if (eta)
        eta = std::round(*eta);
    setEta(eta);
}

QString ProgressModel::formatEta(double seconds)
{
    const qint64 s = qint64(std::max(0.0, std::round(seconds)));
    if (s >= 3600)
        return u"%1:%2:%3"_s.arg(s / 3600)
            .arg(s / 60 % 60, 2, 10, QChar(u'0'))
            .arg(s % 60, 2, 10, QChar(u'0'));
    return u"%1:%2"_s.arg(s / 60).arg(s % 60, 2, 10, QChar(u'0'));
}
