// Tests of PlainPage's HTML (the page without JavaScript): every task's title escaped, state
// and percent; forms only with a session, each carrying that session's CSRF value; Cancel only
// where the task allows it. Its routes and the CSRF check are tst_headwayserver's.
#include "app/core/taskengine.h"
#include "app/core/tasktyperegistry.h"
#include "app/server/plainpage.h"
#include "app/server/securitypolicy.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {
TaskSnapshot task(const QString &id, const QString &title, TaskState state,
                  std::optional<double> percent, TaskActions actions)
{
    TaskSnapshot t;
    t.id = id;
    t.type = u"demo"_s;
    t.title = title;
    t.state = state;
    t.progress.percent = percent;
    t.actions = actions;
    return t;
}
} // namespace

class tst_PlainPage : public QObject
{
    Q_OBJECT

private:
    TaskTypeRegistry m_registry;
    std::unique_ptr<TaskEngine> m_engine;
    SecurityPolicy m_policy;
    std::unique_ptr<PlainPage> m_page;

private Q_SLOTS:
    void init()
    {
        EngineOptions options;
        options.runTasks = false;
        m_engine = std::make_unique<TaskEngine>(m_registry, options);
        m_policy.setToken("a-token-for-the-test");
        m_page = std::make_unique<PlainPage>(*m_engine, m_policy);
    }

    void cleanup()
    {
        m_page.reset();
        m_engine.reset();
    }

    void emptyList()
    {
        const QString html = m_page->html({}, m_policy.sessionValue());
        QVERIFY(html.contains(u"No tasks yet."_s));
        QVERIFY(html.contains(u"<meta http-equiv=\"refresh\" content=\"2\">"_s));
        QVERIFY(!html.contains(u"<table>"_s));
    }

    void rows()
    {
        const QList<TaskSnapshot> tasks {
            task(u"a"_s, u"<script>alert(1)</script> & co"_s, TaskState::Running, 42.7,
                 TaskAction::Cancel | TaskAction::Pause),
            task(u"b/../c"_s, u"Waiting"_s, TaskState::Queued, std::nullopt, TaskAction::Cancel),
            task(u"d"_s, u"Done"_s, TaskState::Succeeded, 100.0, TaskAction::Remove),
        };
        const QByteArray session = m_policy.sessionValue();
        const QString html = m_page->html(tasks, session);
        // Titles are text, never markup.
        QVERIFY(!html.contains(u"<script>"_s));
        QVERIFY(html.contains(u"&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"_s));
        // State and whole percent; an indeterminate one is shown as such.
        QVERIFY(html.contains(u"<td>running</td>"_s));
        QVERIFY(html.contains(u"value=\"42.7\"></progress> 42%"_s));
        QVERIFY(html.contains(u"<progress max=\"100\"></progress> …"_s));
        // Cancel where allowed (the id percent-encoded), with the session's CSRF value.
        const QString csrf = QString::fromLatin1(m_policy.csrfToken(session));
        QVERIFY(html.contains(u"action=\"/plain/cancel/a\""_s));
        QVERIFY(html.contains(u"action=\"/plain/cancel/b%2F..%2Fc\""_s));
        QVERIFY(!html.contains(u"/plain/cancel/d"_s));
        QCOMPARE(html.count(u"name=\"csrf\" value=\""_s + csrf + u'"'), 3); // start + 2 cancels
        QCOMPARE(html.count(u"name=\"csrf\""_s), 3);
    }

    // Without a session (a token in a header, say) nothing can be posted: no forms at all.
    void noSessionNoForms()
    {
        const QString html = m_page->html(
            { task(u"a"_s, u"Running"_s, TaskState::Running, 10.0, TaskAction::Cancel) }, {});
        QVERIFY(!html.contains(u"<form"_s));
        QVERIFY(!html.contains(u"csrf"_s));
        QVERIFY(html.contains(u"?token="_s));
    }
};

QTEST_GUILESS_MAIN(tst_PlainPage)
#include "tst_plainpage.moc"
