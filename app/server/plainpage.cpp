#include "plainpage.h"

#include "app/core/taskengine.h"
#include "securitypolicy.h"
#include "seedapi.h"

#include <QUrlQuery>

#include <cmath>

using namespace Qt::StringLiterals;

PlainPage::PlainPage(TaskEngine &engine, const SecurityPolicy &policy)
    : m_engine(engine), m_policy(policy)
{
}

void PlainPage::setDemo(int steps, int delayMs)
{
    m_steps = steps;
    m_delayMs = delayMs;
}

void PlainPage::addRoutes(Router &router)
{
    using Method = QHttpServerRequest::Method;
    // Pages: a refusal is an HTML page. The forms may come with "Origin: null" (their CSRF
    // value, tied to the SameSite=Strict session, is checked instead).
    const RouteRules form = RouteRules::page().withOrigin(RouteRules::Origin::SameOriginOrCsrfForm);
    router.add(
        Method::Get, u"/plain"_s, [this](RequestContext &c) { return render(c); },
        RouteRules::page());
    router.add(
        Method::Post, u"/plain/start"_s,
        [this](RequestContext &c) {
            if (auto bad = checkForm(c))
                return *bad;
            const Result<TaskSnapshot> result
                = m_engine.submit(tutorialDemoTask(m_steps, m_delayMs));
            if (!result)
                return HttpReply::fromEngineError(result.error());
            return HttpReply::redirect("/plain");
        },
        form);
    router.add(
        Method::Post, u"/plain/cancel/{id}"_s,
        [this](RequestContext &c) {
            if (auto bad = checkForm(c))
                return *bad;
            // Canceling something already over is not worth an error page here.
            m_engine.cancel(c.arg(u"id"_s));
            return HttpReply::redirect("/plain");
        },
        form);
}

std::optional<HttpReply> PlainPage::checkForm(const RequestContext &context) const
{
    const QUrlQuery form(QString::fromUtf8(context.request.body()));
    const QByteArray csrf = form.queryItemValue(u"csrf"_s).toLatin1();
    // Only a page we rendered for this session knows the value: a cross-site form cannot.
    if (!m_policy.isCsrfValid(context.sessionCookie, csrf))
        return HttpReply::error(
            403, u"bad_csrf"_s,
            tr("The form is outdated or came from another site: reload the page."));
    return std::nullopt;
}

HttpReply PlainPage::render(const RequestContext &context) const
{
    return HttpReply::html(html(m_engine.tasks(), context.sessionCookie).toUtf8());
}

QString PlainPage::html(const QList<TaskSnapshot> &tasks, const QByteArray &sessionCookie) const
{
    const QString csrf = QString::fromLatin1(m_policy.csrfToken(sessionCookie));
    const bool canPost = !sessionCookie.isEmpty();
    QString html = u"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                   "<meta http-equiv=\"refresh\" content=\"2\">"
                   "<title>"_s
        + tr("Headway tasks").toHtmlEscaped() + u"</title></head><body>\n<h1>"_s
        + tr("Headway tasks").toHtmlEscaped() + u"</h1>\n"_s;
    if (canPost) {
        html += u"<form method=\"post\" action=\"/plain/start\">"
                "<input type=\"hidden\" name=\"csrf\" value=\""_s
            + csrf + u"\"><button type=\"submit\">"_s + tr("Start a demo task").toHtmlEscaped()
            + u"</button></form>\n"_s;
    } else {
        html += u"<p>"_s
            + tr("Open the address Headway printed (with ?token=) to start or cancel tasks.")
                  .toHtmlEscaped()
            + u"</p>\n"_s;
    }
    if (tasks.isEmpty()) {
        html += u"<p>"_s + tr("No tasks yet.").toHtmlEscaped() + u"</p>\n"_s;
    } else {
        html += u"<table>\n<thead><tr><th>"_s + tr("Task").toHtmlEscaped() + u"</th><th>"_s
            + tr("State").toHtmlEscaped() + u"</th><th>"_s + tr("Progress").toHtmlEscaped()
            + u"</th><th></th></tr></thead>\n<tbody>\n"_s;
        for (const TaskSnapshot &task : tasks) {
            const QString percent = task.progress.percent
                ? QString::number(int(std::floor(*task.progress.percent))) + u'%'
                : u"…"_s;
            html += u"<tr><td>"_s + task.title.toHtmlEscaped() + u"</td><td>"_s
                + taskStateName(task.state) + u"</td><td><progress max=\"100\""_s
                + (task.progress.percent
                       ? u" value=\""_s + QString::number(*task.progress.percent) + u'"'
                       : QString())
                + u"></progress> "_s + percent + u"</td><td>"_s;
            if (canPost && task.actions.testFlag(TaskAction::Cancel)) {
                html += u"<form method=\"post\" action=\"/plain/cancel/"_s
                    + QString::fromUtf8(QUrl::toPercentEncoding(task.id))
                    + u"\"><input type=\"hidden\" name=\"csrf\" value=\""_s + csrf
                    + u"\"><button type=\"submit\">"_s + tr("Cancel").toHtmlEscaped()
                    + u"</button></form>"_s;
            }
            html += u"</td></tr>\n"_s;
        }
        html += u"</tbody></table>\n"_s;
    }
    html += u"</body></html>\n"_s;
    return html;
}
