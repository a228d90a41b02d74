#pragma once

#include "app/core/speedestimator.h"
#include "app/progress/progressline.h"

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <optional>

// What a progress view shows, whatever draws it (window, terminal, JSON): bars, the text,
// the steps, the log, the time remaining, and how it ended. No Gui: the terminal mode and the
// tests use it without a display. `headway run` fills it from the engine's task snapshots.
class ProgressModel final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProgressModel)

public:
    struct Bar
    {
        QString label;
        double percent = 0;
        bool pulsate = false;
        QString text;
    };
    enum class Outcome { Running, Succeeded, Failed, Canceled };
    Q_ENUM(Outcome)

    explicit ProgressModel(QObject *parent = nullptr);

    void setBars(const QStringList &labels); // empty: one unnamed bar
    void setSteps(const QStringList &steps);
    void setText(const QString &text);
    void setPercent(int bar, double percent);
    void setPulsate(int bar, bool pulsate);
    void setStep(int step); // -1 = none; >= count: all done
    void appendLog(const QString &line);
    // The whole log at once (an engine task's output tail); its complete lines count.
    void setLog(const QString &text);
    // Feeds the smoothed ETA (app/core/speedestimator, as the engine's) from the overall percent.
    void setTimeRemainingEnabled(bool enabled);
    void setEta(std::optional<double> seconds); // an ETA computed elsewhere (the engine)
    void setOutcome(Outcome outcome, const QString &detail = {});

    // Applies a parsed input line; false when it changed nothing (not recognised).
    bool apply(const ProgressLine &line);

    const QList<Bar> &bars() const { return m_bars; }
    QString text() const { return m_text; }
    QStringList steps() const { return m_steps; }
    int step() const { return m_step; }
    const QStringList &log() const { return m_log; }
    double overallPercent() const; // the mean of the bars
    bool isComplete() const; // every bar at 100 %
    std::optional<double> eta() const { return m_eta; }
    Outcome outcome() const { return m_outcome; }
    QString outcomeDetail() const { return m_outcomeDetail; }

    static QString formatEta(double seconds); // "1:05", "1:02:03"

Q_SIGNALS:
    void changed();
    void logAppended(const QString &line);
    void logReset();

private:
    void sampleEta();

    QList<Bar> m_bars;
    QString m_text;
    QStringList m_steps;
    int m_step = -1;
    QStringList m_log;
    std::optional<double> m_eta;
    Outcome m_outcome = Outcome::Running;
    QString m_outcomeDetail;
    SpeedEstimator m_speed;
    QElapsedTimer m_clock;
    QTimer m_etaTimer;
};
