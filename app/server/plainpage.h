#pragma once

#include "app/core/tasksnapshot.h"
#include "router.h"

#include <QCoreApplication>

class SecurityPolicy;
class TaskEngine;

// The page for browsers without JavaScript: GET /plain lists the tasks (title, state,
// percent) and refreshes itself every 2 s; HTML forms POST /plain/start (a demo task) and
// /plain/cancel/{id}, each carrying a CSRF value tied to the session cookie, and redirect
// back with 303.
class PlainPage final
{
    Q_DECLARE_TR_FUNCTIONS(PlainPage)

public:
    PlainPage(TaskEngine &engine, const SecurityPolicy &policy);
    void addRoutes(Router &router);
    void setDemo(int steps, int delayMs);

    HttpReply render(const RequestContext &context) const;
    // The page for these tasks; with a session cookie its forms carry the session's CSRF value,
    // without one there are no forms.
    QString html(const QList<TaskSnapshot> &tasks, const QByteArray &sessionCookie) const;

private:
    std::optional<HttpReply> checkForm(const RequestContext &context) const;

    TaskEngine &m_engine;
    const SecurityPolicy &m_policy;
    int m_steps = 10;
    int m_delayMs = 1000;
};
