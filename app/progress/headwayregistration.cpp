#include "headwayregistration.h"

#include "app/cli/apiclient.h"
#include "app/cli/discovery.h"
#include "app/progress/progressmodel.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QNetworkReply>
#include <QTextStream>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace {
// At most 5 reports a second; a second of silence sends an empty one, which keeps the task's
// lease and learns (its refusal) when the task was canceled from Headway.
constexpr int kReportIntervalMs = 200;
constexpr int kHeartbeatMs = 1000;
// How long end() waits for the last report and /finish: a hung Headway must not hang the script.
constexpr int kEndWaitMs = 5000;
// Log lines waiting for the next report, newest kept: a chatty command must not grow memory.
constexpr qsizetype kMaxPendingLog = 1000;
} // namespace

HeadwayRegistration::HeadwayRegistration(QObject *parent) : QObject(parent)
{
    m_throttle.setSingleShot(true);
    m_throttle.setInterval(kReportIntervalMs);
    connect(&m_throttle, &QTimer::timeout, this, &HeadwayRegistration::next);
    m_heartbeat.setInterval(kHeartbeatMs);
    connect(&m_heartbeat, &QTimer::timeout, this, [this] {
        if (m_state == State::Reporting && !m_inFlight)
            sendReport({});
    });
}

HeadwayRegistration::~HeadwayRegistration() = default;

void HeadwayRegistration::begin(const QString &title, const QString &dataDir,
                                const ProgressModel &model, std::function<void()> cancel)
{
    if (m_state != State::Off || qEnvironmentVariable("HEADWAY_NO_REGISTER") == u"1")
        return;
    Discovery::Options options;
    options.dataDir = dataDir;
    // No Headway running is the usual case, not an error: nothing to say.
    if (!Discovery::isAnyRunning(options))
        return;
    QString error;
    const std::optional<Endpoint> endpoint = Discovery::find(options, &error);
    if (!endpoint) {
        giveUp(error);
        return;
    }
    m_api = std::make_unique<ApiClient>(*endpoint);
    m_model = &model;
    m_cancel = std::move(cancel);
    m_declaredSteps = model.steps();
    QJsonObject params;
    if (!m_declaredSteps.isEmpty())
        params.insert(u"steps"_s, QJsonArray::fromStringList(m_declaredSteps));
    m_state = State::Creating;
    QNetworkReply *reply = m_api->send("POST", u"api/v1/tasks"_s,
                                       QJsonObject { { u"type"_s, u"external"_s },
                                                     { u"title"_s, title },
                                                     { u"params"_s, params } });
    connect(reply, &QNetworkReply::finished, this, [this, reply] { created(reply); });
}

void HeadwayRegistration::created(QNetworkReply *reply)
{
    if (m_state != State::Creating)
        return; // given up (end() timed out): m_api and its replies go
    reply->deleteLater();
    const ApiClient::Answer answer = m_api->answer(reply);
    m_taskId = answer.object().value(u"id"_s).toString();
    m_reportToken = answer.object().value(u"report_token"_s).toString().toUtf8();
    if (answer.status != 201 || m_taskId.isEmpty() || m_reportToken.isEmpty()) {
        giveUp(answer.errorMessage());
        return;
    }
    m_state = State::Reporting;
    connect(m_model, &ProgressModel::changed, this, &HeadwayRegistration::changed);
    connect(m_model, &ProgressModel::logAppended, this, [this](const QString &line) {
        m_pendingLog.append(line);
        if (m_pendingLog.size() > kMaxPendingLog)
            m_pendingLog.remove(0, m_pendingLog.size() - kMaxPendingLog);
        changed();
    });
    // What came before the task existed goes in the first report.
    m_pendingLog
        = m_model->log().mid(std::max<qsizetype>(0, m_model->log().size() - kMaxPendingLog));
    m_heartbeat.start();
    changed();
}

void HeadwayRegistration::changed()
{
    m_changed = true;
    next();
}

void HeadwayRegistration::next()
{
    if (m_state != State::Reporting || m_inFlight)
        return;
    if (m_changed) {
        if (m_throttle.isActive() && !m_ending)
            return; // its timeout comes back here
        m_changed = false;
        QJsonObject body = reportBody();
        if (body != m_sent || !m_pendingLog.isEmpty()) {
            m_sent = body;
            if (!m_pendingLog.isEmpty())
                body.insert(u"log"_s, QJsonArray::fromStringList(std::exchange(m_pendingLog, {})));
            sendReport(body);
            return;
        }
    }
    if (m_ending)
        sendEnd();
}

QJsonObject HeadwayRegistration::reportBody() const
{
    QJsonObject body;
    const QList<ProgressModel::Bar> &bars = m_model->bars();
    const bool pulsating = std::all_of(bars.cbegin(), bars.cend(),
                                       [](const ProgressModel::Bar &b) { return b.pulsate; });
    body.insert(u"percent"_s, pulsating ? QJsonValue() : QJsonValue(m_model->overallPercent()));
    body.insert(u"message"_s, m_model->text());
    const QStringList &steps = m_model->steps();
    if (!steps.isEmpty()) {
        // The API knows no "all done" step (>= count): the last one stays current. Steps that
        // came after the task was created are named: the API adds a label it does not know.
        const int step = std::min(m_model->step(), int(steps.size()) - 1);
        body.insert(u"step"_s,
                    step < 0                       ? QJsonValue()
                        : steps == m_declaredSteps ? QJsonValue(step)
                                                   : QJsonValue(steps.at(step)));
    }
    return body;
}

void HeadwayRegistration::sendReport(const QJsonObject &body)
{
    m_inFlight = true;
    m_throttle.start();
    m_heartbeat.start(); // silence counts from now
    QNetworkReply *reply
        = m_api->send("POST", u"api/v1/tasks/%1/report"_s.arg(m_taskId), body, m_reportToken);
    connect(reply, &QNetworkReply::finished, this, [this, reply] { reported(reply); });
}

void HeadwayRegistration::reported(QNetworkReply *reply)
{
    if (m_state != State::Reporting)
        return;
    reply->deleteLater();
    m_inFlight = false;
    const ApiClient::Answer answer = m_api->answer(reply);
    if (answer.status == 204) {
        next();
        return;
    }
    if (answer.status == 409) {
        ended(answer.object().value(u"error"_s).toObject().value(u"state"_s).toString(),
              answer.errorMessage());
        return;
    }
    giveUp(answer.errorMessage());
}

void HeadwayRegistration::ended(const QString &state, const QString &why)
{
    if (state != u"canceled") {
        giveUp(why);
        return;
    }
    // Canceled from the window, the page or `headway cancel`: as if Cancel was pressed.
    const bool ending = m_ending;
    stop();
    if (!ending && m_cancel)
        m_cancel();
}

void HeadwayRegistration::sendEnd()
{
    m_state = State::Ending;
    m_heartbeat.stop();
    QNetworkReply *reply = nullptr;
    if (m_model->outcome() == ProgressModel::Outcome::Canceled) {
        // Canceled here: canceled there too (/finish knows only succeeded and failed).
        reply = m_api->send("POST", u"api/v1/tasks/%1/cancel"_s.arg(m_taskId));
    } else {
        QJsonObject body { { u"state"_s, m_exitStatus == 0 ? u"succeeded"_s : u"failed"_s } };
        if (m_exitStatus != 0) {
            const QString detail = m_model->outcomeDetail();
            body.insert(u"error"_s,
                        detail.isEmpty() ? tr("Exited with status %1.").arg(m_exitStatus) : detail);
        }
        reply = m_api->send("POST", u"api/v1/tasks/%1/finish"_s.arg(m_taskId), body, m_reportToken);
    }
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        if (m_state != State::Ending)
            return;
        reply->deleteLater();
        const ApiClient::Answer answer = m_api->answer(reply);
        if (answer.status != 200)
            giveUp(answer.errorMessage());
        else
            stop();
    });
}

void HeadwayRegistration::end(int exitStatus)
{
    if (m_state == State::Creating || m_state == State::Reporting) {
        m_ending = true;
        m_exitStatus = exitStatus;
        m_heartbeat.stop();
        QEventLoop loop;
        m_endLoop = &loop;
        QTimer::singleShot(kEndWaitMs, &loop, &QEventLoop::quit);
        next(); // while creating, created() calls it
        if (m_state != State::Done)
            loop.exec();
        m_endLoop = nullptr;
        stop();
    }
    m_model = nullptr;
    m_api.reset();
}

void HeadwayRegistration::giveUp(const QString &why)
{
    QTextStream(stderr) << tr("headway: the progress is not shown in Headway: %1").arg(why)
                        << Qt::endl;
    stop();
}

void HeadwayRegistration::stop()
{
    m_state = State::Done;
    m_throttle.stop();
    m_heartbeat.stop();
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    if (m_endLoop)
        m_endLoop->quit();
}
