#pragma once

#include "app/core/externaltaskdriver.h"
#include "httpreply.h"
#include "router.h"

#include <QCoreApplication>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <memory>
#include <variant>

class TaskEngine;

// Tasks driven from outside (type "external"): any process creates one with POST
// /api/v1/tasks, gets a report token that only this task's reports accept, and sends
// POST /api/v1/tasks/ID/report (progress, step, message, log lines) and /finish. The engine
// treats them like its other external tasks (this is their ExternalTaskDriver), works out
// speed and ETA, and shows them everywhere. A reporter silent for longer than its lease
// leaves the task interrupted; a canceled task answers 409 so the reporter learns to stop.
// Lives in the engine's thread.
class ReportApi final : public QObject, public ExternalTaskDriver
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReportApi)

public:
    static inline const QString TypeName = QStringLiteral("external");

    explicit ReportApi(TaskEngine &engine, QObject *parent = nullptr);
    ~ReportApi() override;

    void addRoutes(Router &router);

    // The report token of a task this driver just started; given out once (the 201 answer).
    QString takeNewToken(const QString &taskId);
    // Does `token` authorize a request to `path` (one task's /report or /finish)?
    bool acceptsToken(const QString &path, QByteArrayView token) const;

    void startTask(const TaskSnapshot &task) override;
    void cancelTask(const TaskSnapshot &task) override;

private:
    struct Reporter
    {
        QByteArray token;
        QString newToken; // until takeNewToken()
        QTimer *lease = nullptr; // a child: deleted when the task ends (null after)
    };

    HttpReply report(RequestContext &context);
    HttpReply finish(RequestContext &context);
    // The reporter of a task that still runs, or the 404/409 answer.
    std::variant<Reporter *, HttpReply> reporterFor(const QString &id);
    void expire(const QString &id);
    // The task ended: its lease goes, its token stays, so its reporter is told 409 and the
    // task's state (not 401) until the task starts again.
    void retire(const QString &id);
    void drop(const QString &id); // started again: the token and lease go

    TaskEngine &m_engine;
    QPointer<TaskEngine> m_engineAlive; // the server may outlive the engine at shutdown
    QHash<QString, Reporter> m_reporters; // tasks that still run
};
