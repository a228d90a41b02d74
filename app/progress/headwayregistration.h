#pragma once

#include "app/progress/progressregistration.h"

#include <QJsonObject>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>

class ApiClient;
class QEventLoop;
class QNetworkReply;

// The progress as an external task of the Headway serving the data dir (found as the CLI finds
// it): created at begin(), reported on change at most 5 times a second, kept alive (and asked
// whether it was canceled) by an empty report every second of silence, finished at end(). All
// asynchronous on the event loop; only end() waits, a few seconds at most, for the last
// report and /finish. No Headway, or a request that fails: the progress goes on unregistered.
class HeadwayRegistration final : public QObject, public ProgressRegistration
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeadwayRegistration)

public:
    explicit HeadwayRegistration(QObject *parent = nullptr);
    ~HeadwayRegistration() override;

    void begin(const QString &title, const QString &dataDir, const ProgressModel &model,
               std::function<void()> cancel) override;
    void end(int exitStatus) override;

private:
    enum class State { Off, Creating, Reporting, Ending, Done };

    void created(QNetworkReply *reply);
    void changed();
    // Sends what is due: a report when something changed (and the throttle allows), or the end.
    void next();
    void sendReport(const QJsonObject &body);
    void reported(QNetworkReply *reply);
    // The task no longer runs: canceled in Headway is Cancel here; anything else ends reporting.
    void ended(const QString &state, const QString &why);
    void sendEnd();
    QJsonObject reportBody() const;
    void giveUp(const QString &why);
    void stop();

    State m_state = State::Off;
    std::unique_ptr<ApiClient> m_api;
    const ProgressModel *m_model = nullptr;
    std::function<void()> m_cancel;
    QString m_taskId;
    QByteArray m_reportToken;
    QStringList m_declaredSteps; // those the task was created with
    QJsonObject m_sent; // the last report's fields but the log
    QStringList m_pendingLog;
    bool m_changed = false;
    bool m_inFlight = false;
    bool m_ending = false;
    int m_exitStatus = 0;
    QTimer m_throttle;
    QTimer m_heartbeat;
    QEventLoop *m_endLoop = nullptr;
};
