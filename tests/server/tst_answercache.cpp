// The answer cache of the polling routes (issue 18): the transport guard replays the bytes the
// normal path (QHttpServer, the front door, the route) wrote, and must answer exactly as that
// path would: same status, headers and JSON; never a stale answer after the task changed; and
// everything it does not serve (a wrong token, another Host, HEAD, a query, a pipeline's
// tail behind another request) goes the normal way, in order.
#include "app/core/taskengine.h"
#include "app/core/tasktyperegistry.h"
#include "app/server/answercache.h"
#include "app/server/headwayserver.h"
#include "app/server/securitypolicy.h"
#include "app/server/synchub.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

struct Response
{
    int status = 0;
    QByteArray head; // status line and header lines
    QByteArray body;
    QByteArray bytes; // the whole response as sent
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QByteArray header(QByteArrayView name) const
    {
        for (const QByteArray &line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0
                && QByteArrayView(line).first(colon).compare(name, Qt::CaseInsensitive) == 0)
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }
};

// Takes complete responses (Content-Length framed) off the front of `stream`.
QList<Response> takeResponses(QByteArray &stream)
{
    QList<Response> out;
    for (;;) {
        const qsizetype end = stream.indexOf("\r\n\r\n");
        if (end < 0)
            return out;
        Response r;
        r.head = stream.first(end);
        r.status = r.head.mid(9, 3).toInt();
        const qint64 length = r.header("Content-Length").toLongLong();
        if (stream.size() < end + 4 + length)
            return out;
        r.body = stream.mid(end + 4, length);
        r.bytes = stream.first(end + 4 + length);
        stream.remove(0, end + 4 + length);
        out.append(r);
    }
}

// One keep-alive connection: exact bytes out, responses parsed as they come back.
class Connection
{
public:
    explicit Connection(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        QObject::connect(&m_socket, &QIODevice::readyRead, &m_context, [this] {
            m_stream += m_socket.readAll();
            m_responses += takeResponses(m_stream);
        });
    }
    bool waitConnected() { return m_socket.waitForConnected(5000); }
    // Sends raw bytes and waits for `count` more responses.
    QList<Response> send(const QByteArray &bytes, int count = 1)
    {
        m_responses.clear();
        m_socket.write(bytes);
        if (!QTest::qWaitFor([&] { return m_responses.size() >= count || !isOpen(); }, 10000))
            qWarning("timed out waiting for %d responses", count);
        return m_responses;
    }
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

private:
    QTcpSocket m_socket;
    QObject m_context;
    QByteArray m_stream;
    QList<Response> m_responses;
};

} // namespace

class tst_AnswerCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void plainTarget_data();
    void plainTarget();
    void sameAnswerSeesEveryChange_data();
    void sameAnswerSeesEveryChange();
    void credentials_data();
    void credentials();

    void cachedAnswerIsTheNormalAnswer_data();
    void cachedAnswerIsTheNormalAnswer();
    void noStaleAnswerAfterChange();
    void removedTaskIsNotServed();
    void refusedRequestsGoTheNormalWay_data();
    void refusedRequestsGoTheNormalWay();
    void otherHostOrOrigin_data();
    void otherHostOrOrigin();
    void headAndConditionalRequests();
    void pipelinedRequestsKeepTheirOrder();
    void offWhenDisabled();
    void mirrorBoundsStalenessAndDropsOnWrites();

private:
    QByteArray get(const QString &path, const QByteArray &extra = {},
                   const QByteArray &method = "GET") const;
    QByteArray auth() const
    {
        return "Authorization: Bearer " + m_server->token().toLatin1() + "\r\n";
    }
    QByteArray sessionCookie() const;
    QString queuedTask();
    qint64 cached() const { return m_server->cachedAnswerCount(); }

    // Tasks are never started here (runTasks false): a queued task holds still until the
    // test changes it, so "unchanged" and "changed" are the test's own doing.
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TaskTypeRegistry> m_registry;
    std::unique_ptr<TaskEngine> m_engine;
    std::unique_ptr<HeadwayServer> m_server;
    quint16 m_port = 0;
};

void tst_AnswerCache::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_registry = std::make_unique<TaskTypeRegistry>();
    registerBuiltinTaskTypes(*m_registry);
    EngineOptions engineOptions;
    engineOptions.runTasks = false;
    m_engine = std::make_unique<TaskEngine>(*m_registry, engineOptions);
    ServerOptions options;
    options.port = 0;
    options.dataDir = m_dir->path();
    m_server = std::make_unique<HeadwayServer>(*m_engine, options);
    QString error;
    QVERIFY2(m_server->listen(&error), qPrintable(error));
    m_port = m_server->port();
}

void tst_AnswerCache::cleanup()
{
    m_server.reset();
    m_engine.reset();
    m_registry.reset();
    m_dir.reset();
}

QByteArray tst_AnswerCache::get(const QString &path, const QByteArray &extra,
                                const QByteArray &method) const
{
    return method + ' ' + path.toLatin1()
        + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port) + "\r\n" + extra + "\r\n";
}

QByteArray tst_AnswerCache::sessionCookie() const
{
    SecurityPolicy policy;
    policy.setPort(m_port);
    policy.setToken(m_server->token().toLatin1());
    return "Cookie: theme=dark; " + policy.cookieName() + '=' + policy.sessionValue() + "\r\n";
}

QString tst_AnswerCache::queuedTask()
{
    TaskSpec spec;
    spec.type = u"demo"_s;
    spec.params = QJsonObject { { u"steps"_s, 10 }, { u"delay_ms"_s, 20 } };
    const auto task = m_engine->submit(spec);
    return task ? task->id : QString();
}

void tst_AnswerCache::plainTarget_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<bool>("plain");
    QTest::newRow("task") << QByteArray("/api/v1/tasks/0b5f-9c_A") << true;
    QTest::newRow("seed") << QByteArray("/task-progress/abc") << true;
    QTest::newRow("query") << QByteArray("/api/v1/tasks/abc?token=x") << false;
    QTest::newRow("empty query") << QByteArray("/api/v1/tasks/abc?") << false;
    QTest::newRow("escaped") << QByteArray("/api/v1/tasks/%61bc") << false;
    QTest::newRow("dot segment") << QByteArray("/api/v1/tasks/../tasks/abc") << false;
    QTest::newRow("double slash") << QByteArray("/api/v1//tasks/abc") << false;
    QTest::newRow("absolute form") << QByteArray("http://127.0.0.1/api/v1/tasks/abc") << false;
    QTest::newRow("fragment") << QByteArray("/api/v1/tasks/abc#x") << false;
    QTest::newRow("empty") << QByteArray() << false;
}

void tst_AnswerCache::plainTarget()
{
    QFETCH(QByteArray, target);
    QFETCH(bool, plain);
    QCOMPARE(AnswerCache::isPlainTarget(target), plain);
}

void tst_AnswerCache::sameAnswerSeesEveryChange_data()
{
    QTest::addColumn<int>("field");
    for (int i = 0; i < 12; ++i)
        QTest::addRow("field %d", i) << i;
}

void tst_AnswerCache::sameAnswerSeesEveryChange()
{
    QFETCH(int, field);
    TaskSnapshot a;
    a.id = u"t"_s;
    a.type = u"demo"_s;
    a.state = TaskState::Running;
    a.progress.percent = 10;
    a.output = u"line\n"_s;
    TaskSnapshot b = a;
    QVERIFY(AnswerCache::sameAnswer(a, b));
    // The same text in another buffer is still the same answer.
    b.output = QString(a.output.constData(), a.output.size());
    QVERIFY(AnswerCache::sameAnswer(a, b));
    switch (field) {
    case 0:
        b.state = TaskState::Paused;
        break;
    case 1:
        b.progress.percent = 11;
        break;
    case 2:
        b.progress.message = u"x"_s;
        break;
    case 3:
        b.attempt = 2;
        break;
    case 4:
        b.actions = TaskActions(TaskAction::Cancel);
        break;
    case 5:
        b.output = u"line!"_s;
        break; // same size, other text
    case 6:
        b.error = TaskError { u"e"_s, u"m"_s, {} };
        break;
    case 7:
        b.result = 1;
        break;
    case 8:
        b.finished = QDateTime::fromMSecsSinceEpoch(1, Qt::UTC);
        break;
    case 9:
        b.title = u"t"_s;
        break;
    case 10:
        b.outputStderr = { { 0, 1 } };
        break;
    case 11:
        b.priority = 3;
        break;
    }
    QVERIFY(!AnswerCache::sameAnswer(a, b));
}

void tst_AnswerCache::credentials_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<QByteArray>("cookie");
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("owner");
    using Kind = SecurityPolicy::Credentials::Kind;
    QTest::newRow("bearer") << QByteArray("Bearer TOKEN") << QByteArray() << int(Kind::Bearer)
                            << true;
    QTest::newRow("bearer, any case, spaces")
        << QByteArray("  bEaReR   TOKEN ") << QByteArray() << int(Kind::Bearer) << true;
    QTest::newRow("wrong bearer") << QByteArray("Bearer TOKEX") << QByteArray() << int(Kind::Bearer)
                                  << false;
    QTest::newRow("basic") << QByteArray("Basic TOKEN") << QByteArray() << int(Kind::Malformed)
                           << false;
    QTest::newRow("bearer alone") << QByteArray("Bearer") << QByteArray() << int(Kind::Malformed)
                                  << false;
    QTest::newRow("authorization wins over a good cookie")
        << QByteArray("Basic x") << QByteArray("headway_session_8421=SESSION")
        << int(Kind::Malformed) << false;
    QTest::newRow("cookie") << QByteArray() << QByteArray("a=1; headway_session_8421=SESSION; b=2")
                            << int(Kind::Session) << true;
    QTest::newRow("cookie of another port")
        << QByteArray() << QByteArray("headway_session_8422=SESSION") << int(Kind::None) << false;
    QTest::newRow("blank authorization, cookie")
        << QByteArray("  ") << QByteArray("headway_session_8421=SESSION") << int(Kind::Session)
        << true;
    QTest::newRow("nothing") << QByteArray() << QByteArray() << int(Kind::None) << false;
}

void tst_AnswerCache::credentials()
{
    QFETCH(QByteArray, authorization);
    QFETCH(QByteArray, cookie);
    QFETCH(int, kind);
    QFETCH(bool, owner);
    SecurityPolicy policy;
    policy.setPort(8421);
    policy.setToken("TOKEN");
    cookie.replace("SESSION", policy.sessionValue());
    const SecurityPolicy::Credentials c = policy.credentials(authorization, cookie);
    QCOMPARE(int(c.kind), kind);
    QCOMPARE(policy.isOwner(c), owner);
}

void tst_AnswerCache::cachedAnswerIsTheNormalAnswer_data()
{
    QTest::addColumn<QString>("route");
    QTest::addColumn<bool>("cookie");
    for (const QString &route : { u"/api/v1/tasks/"_s, u"/task-progress/"_s, u"/task-status/"_s }) {
        QTest::addRow("%s, token", qPrintable(route)) << route << false;
        QTest::addRow("%s, session cookie", qPrintable(route)) << route << true;
    }
}

void tst_AnswerCache::cachedAnswerIsTheNormalAnswer()
{
    QFETCH(QString, route);
    QFETCH(bool, cookie);
    const QString id = queuedTask();
    QVERIFY(!id.isEmpty());
    Connection c(m_port);
    QVERIFY(c.waitConnected());
    const QByteArray request = get(route + id, cookie ? sessionCookie() : auth());

    const QList<Response> normal = c.send(request); // the first one goes the normal way
    QCOMPARE(normal.size(), 1);
    QCOMPARE(normal[0].status, 200);
    QCOMPARE(cached(), 0);
    const QList<Response> replayed = c.send(request);
    QCOMPARE(replayed.size(), 1);
    QCOMPARE(cached(), 1);
    QCOMPARE(replayed[0].bytes, normal[0].bytes); // status line, every header, body
    QVERIFY(c.isOpen()); // keep-alive
    QCOMPARE(normal[0].header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(normal[0].header("Cache-Control"), QByteArray("no-store"));
    QVERIFY(!normal[0].header("Content-Security-Policy").isEmpty());
    if (route == u"/api/v1/tasks/")
        QCOMPARE(normal[0].json().value(u"state"_s).toString(), u"queued"_s);

    // And again on a new connection: the cache is the server's, not the connection's.
    Connection other(m_port);
    QVERIFY(other.waitConnected());
    QCOMPARE(other.send(request).value(0).bytes, normal[0].bytes);
    QCOMPARE(cached(), 2);
}

void tst_AnswerCache::noStaleAnswerAfterChange()
{
    const QString id = queuedTask();
    QVERIFY(!id.isEmpty());
    Connection c(m_port);
    QVERIFY(c.waitConnected());
    const QByteArray task = get(u"/api/v1/tasks/"_s + id, auth());
    const QByteArray seed = get(u"/task-progress/"_s + id, auth());
    c.send(task);
    c.send(seed);
    QCOMPARE(c.send(task).value(0).json().value(u"state"_s).toString(), u"queued"_s);
    QCOMPARE(c.send(seed).value(0).json().value(u"status"_s).toString(), u"in progress"_s);
    QCOMPARE(cached(), 2);

    // Changed now, in this very event-loop pass: before the sync hub has heard of it.
    QVERIFY(!m_engine->cancel(id));
    const Response afterTask = c.send(task).value(0);
    QCOMPARE(afterTask.json().value(u"state"_s).toString(), u"canceled"_s);
    const Response afterSeed = c.send(seed).value(0);
    QCOMPARE(afterSeed.json().value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(cached(), 2); // both answered the normal way
    // The new answers are cached in turn, unchanged.
    QCOMPARE(c.send(task).value(0).bytes, afterTask.bytes);
    QCOMPARE(c.send(seed).value(0).bytes, afterSeed.bytes);
    QCOMPARE(cached(), 4);
}

void tst_AnswerCache::removedTaskIsNotServed()
{
    const QString id = queuedTask();
    QVERIFY(!id.isEmpty());
    Connection c(m_port);
    QVERIFY(c.waitConnected());
    const QByteArray task = get(u"/api/v1/tasks/"_s + id, auth());
    c.send(task);
    c.send(task);
    QCOMPARE(cached(), 1);
    QVERIFY(!m_engine->cancel(id));
    QVERIFY(QTest::qWaitFor([&] { return isFinished(m_engine->task(id)->state); }, 10000));
    QVERIFY(!m_engine->remove(id));
    const Response gone = c.send(task).value(0);
    QCOMPARE(gone.status, 404);
    QCOMPARE(gone.json().value(u"error"_s).toObject().value(u"code"_s).toString(), u"not_found"_s);
    QCOMPARE(c.send(task).value(0).status, 404); // not-found answers are never cached
    QCOMPARE(cached(), 1);
}

void tst_AnswerCache::refusedRequestsGoTheNormalWay_data()
{
    QTest::addColumn<QByteArray>("credentials");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("wrong token") << QByteArray("Authorization: Bearer nope\r\n") << 401
                                 << u"unauthorized"_s;
    QTest::newRow("no token") << QByteArray() << 401 << u"unauthorized"_s;
    QTest::newRow("basic") << QByteArray("Authorization: Basic dXNlcjpwdw==\r\n") << 401
                           << u"unauthorized"_s;
    QTest::newRow("stale session")
        << QByteArray("Cookie: headway_session_PORT=0123\r\n") << 401 << u"unauthorized"_s;
    // A wrong Authorization is not rescued by a right cookie, in either path.
    QTest::newRow("wrong token, good cookie")
        << QByteArray("Authorization: Bearer nope\r\nSESSION") << 401 << u"unauthorized"_s;
    // Two Authorization lines: the guard leaves the reading of them to the front door.
    QTest::newRow("two authorizations")
        << QByteArray("TOKENAuthorization: Bearer nope\r\n") << -1 << QString();
}

void tst_AnswerCache::refusedRequestsGoTheNormalWay()
{
    QFETCH(QByteArray, credentials);
    QFETCH(int, status);
    QFETCH(QString, code);
    credentials.replace("PORT", QByteArray::number(m_port));
    credentials.replace("SESSION", sessionCookie());
    credentials.replace("TOKEN", auth());
    const QString id = queuedTask();
    QVERIFY(!id.isEmpty());
    Connection c(m_port);
    QVERIFY(c.waitConnected());
    c.send(get(u"/api/v1/tasks/"_s + id, auth()));
    c.send(get(u"/api/v1/tasks/"_s + id, auth()));
    QCOMPARE(cached(), 1); // the entry is there

    const Response refused = c.send(get(u"/api/v1/tasks/"_s + id, credentials)).value(0);
    QCOMPARE(cached(), 1);
    if (status < 0)
        return; // whatever the front door makes of it, the cache did not answer
    QCOMPARE(refused.status, status);
    QCOMPARE(refused.json().value(u"error"_s).toObject().value(u"code"_s).toString(), code);
    QCOMPARE(refused.header("WWW-Authenticate"), QByteArray("Bearer realm=\"headway\""));
    QCOMPARE(cached(), 1);
}

void tst_AnswerCache::otherHostOrOrigin_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<QByteArray>("extra");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("cachedAfter"); // answers from the cache, of three
    QTest::newRow("rebinding host") << QByteArray("evil.example:PORT") << QByteArray() << 403 << 1;
    QTest::newRow("wrong port") << QByteArray("127.0.0.1:1") << QByteArray() << 403 << 1;
    // Another name of ours: its own entry (the security headers name the Host).
    QTest::newRow("localhost") << QByteArray("localhost:PORT") << QByteArray() << 200 << 2;
    // A GET changes nothing: the front door lets it through whatever the Origin, and so
    // does the cache (the answer carries no CORS header, so another site cannot read it).
    QTest::newRow("foreign origin") << QByteArray("127.0.0.1:PORT")
                                    << QByteArray("Origin: http://evil.example\r\n") << 200 << 3;
}

void tst_AnswerCache::otherHostOrOrigin()
{
    QFETCH(QByteArray, host);
    QFETCH(QByteArray, extra);
    QFETCH(int, status);
    QFETCH(int, cachedAfter);
    host.replace("PORT", QByteArray::number(m_port));
    const QString id = queuedTask();
    QVERIFY(!id.isEmpty());
    Connection c(m_port);
    QVERIFY(c.waitConnected());
    const QByteArray path = "/api/v1/tasks/" + id.toLatin1();
    const QByteArray plain = get(QString::fromLatin1(path), auth());
    const Response normal = c.send(plain).value(0);
    c.send(plain);
    QCOMPARE(cached(), 1);

    const QByteArray request
        = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + auth() + extra + "\r\n";
    const Response first = c.send(request).value(0);
    QCOMPARE(first.status, status);
    const Response second = c.send(request).value(0);
    QCOMPARE(second.bytes, first.bytes);
    QCOMPARE(cached(), cachedAfter);
    if (status == 403)
        QCOMPARE(first.json().value(u"error"_s).toObject().value(u"code"_s).toString(),
                 u"forbidden_host"_s);
    if (status == 200 && host.startsWith("127.0.0.1:"))
        QCOMPARE(second.bytes, normal.bytes);
    QVERIFY(first.header("Access-Control-Allow-Origin").isEmpty());
}

void tst_AnswerCache::headAndConditionalRequests()
{
    const QString id = queuedTask();
    QVERIFY(!id.isEmpty());
    const QString path = u"/api/v1/tasks/"_s + id;
    Connection c(m_port);
    QVERIFY(c.waitConnected());
    const Response normal = c.send(get(path, auth())).value(0);
    c.send(get(path, auth()));
    QCOMPARE(cached(), 1);

    // HEAD is never the cache's: the normal path answers it (a 405: these routes are GET).
    const Response head = c.send(get(path, auth(), "HEAD")).value(0);
    QCOMPARE(head.status, 405);
    QVERIFY(head.header("Allow").startsWith("GET"));
    QCOMPARE(cached(), 1);

    // The server sends no validators, so a conditional GET gets the full answer, as the
    // normal path gives it.
    const QByteArray etag = "If-None-Match: \"abc\"\r\nIf-Modified-Since: Sun, 06 Nov 1994 "
                            "08:49:37 GMT\r\n";
    QCOMPARE(c.send(get(path, auth() + etag)).value(0).bytes, normal.bytes);
    QVERIFY(normal.header("ETag").isEmpty());
    QVERIFY(normal.header("Last-Modified").isEmpty());
    QCOMPARE(cached(), 2);

    // A query, Connection: close or HTTP/1.0 go the normal way too.
    QCOMPARE(c.send(get(path + u"?x=1"_s, auth())).value(0).bytes, normal.bytes);
    QCOMPARE(cached(), 2);
    QByteArray old = get(path, auth());
    old.replace("HTTP/1.1", "HTTP/1.0");
    QCOMPARE(c.send(old).value(0).status, 200);
    QCOMPARE(cached(), 2);
    const Response closing = c.send(get(path, auth() + "Connection: close\r\n")).value(0);
    QCOMPARE(closing.bytes, normal.bytes);
    QCOMPARE(cached(), 2);
    QTRY_VERIFY(!c.isOpen());
}

void tst_AnswerCache::pipelinedRequestsKeepTheirOrder()
{
    const QString a = queuedTask();
    const QString b = queuedTask();
    QVERIFY(!a.isEmpty() && !b.isEmpty());
    Connection c(m_port);
    QVERIFY(c.waitConnected());
    const QByteArray getA = get(u"/api/v1/tasks/"_s + a, auth());
    const QByteArray getB = get(u"/task-progress/"_s + b, auth());
    const Response normalA = c.send(getA).value(0);
    const Response normalB = c.send(getB).value(0);
    QCOMPARE(cached(), 0);

    // Two cached, then a request that changes task a, then a's answer again: the guard
    // answers the first two, QHttpServer the rest, in order, and the last is not stale.
    const QByteArray cancel = "POST /api/v1/tasks/" + a.toLatin1()
        + "/cancel HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port) + "\r\n" + auth()
        + "Content-Length: 0\r\n\r\n";
    const QList<Response> answers = c.send(getA + getB + cancel + getA + getB, 5);
    QCOMPARE(answers.size(), 5);
    QCOMPARE(answers[0].bytes, normalA.bytes);
    QCOMPARE(answers[1].bytes, normalB.bytes);
    QCOMPARE(answers[2].status, 200);
    QCOMPARE(answers[2].json().value(u"id"_s).toString(), a);
    QCOMPARE(answers[2].json().value(u"state"_s).toString(), u"canceled"_s);
    QCOMPARE(answers[3].json().value(u"state"_s).toString(), u"canceled"_s);
    QCOMPARE(answers[4].bytes, normalB.bytes);
    QCOMPARE(cached(), 2);

    // An uncached request first: everything behind it is the normal path's, in order.
    const QByteArray unknown = get(u"/api/v1/tasks/nope"_s, auth());
    const QList<Response> after = c.send(unknown + getB + getB, 3);
    QCOMPARE(after.size(), 3);
    QCOMPARE(after[0].status, 404);
    QCOMPARE(after[1].bytes, normalB.bytes);
    QCOMPARE(after[2].bytes, normalB.bytes);
    QCOMPARE(cached(), 2);

    // Many cached requests in one write, cut anywhere: each answered once, in order.
    const QByteArray many = getB.repeated(20);
    const qint64 before = cached();
    for (qsizetype split : { qsizetype(1), getB.size() - 1, getB.size(), getB.size() * 7 + 5 }) {
        QList<Response> got = c.send(many.first(split), split / getB.size());
        got += c.send(many.sliced(split), 20 - int(split / getB.size()));
        QCOMPARE(got.size(), 20);
        for (const Response &r : got)
            QCOMPARE(r.bytes, normalB.bytes);
    }
    QVERIFY(cached() > before);
}

void tst_AnswerCache::offWhenDisabled()
{
    // ServerOptions::answerCache false: QHttpServer answers everything, and alike.
    TaskTypeRegistry registry;
    registerBuiltinTaskTypes(registry);
    EngineOptions engineOptions;
    engineOptions.runTasks = false;
    TaskEngine engine(registry, engineOptions);
    ServerOptions options;
    options.port = 0;
    options.answerCache = false;
    HeadwayServer server(engine, options);
    QString error;
    QVERIFY2(server.listen(&error), qPrintable(error));
    TaskSpec spec;
    spec.type = u"demo"_s;
    const auto task = engine.submit(spec);
    QVERIFY(task);
    Connection c(server.port());
    QVERIFY(c.waitConnected());
    const QByteArray request = "GET /task-status/" + task->id.toLatin1()
        + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(server.port())
        + "\r\nAuthorization: Bearer " + server.token().toLatin1() + "\r\n\r\n";
    QCOMPARE(c.send(request).value(0).status, 200);
    QCOMPARE(c.send(request).value(0).status, 200);
    QCOMPARE(server.cachedAnswerCount(), 0);
}

QTEST_GUILESS_MAIN(tst_AnswerCache)
#include "tst_answercache.moc"

// With the server on its own thread the cache checks the hub's mirror, not the engine: an
// answer lives until the hub hears of its task's change (bounded by the hub's tick), and what
// the server changes itself drops the task's answers (dropTask) so its client reads its write.
void tst_AnswerCache::mirrorBoundsStalenessAndDropsOnWrites()
{
    TaskTypeRegistry registry;
    registerBuiltinTaskTypes(registry);
    QTemporaryDir dir;
    EngineOptions options;
    options.concurrency = 1;
    options.dataDir = dir.path();
    TaskEngine engine(registry, options);
    SyncHub hub;
    engine.addTracker(&hub, 30, true, 1);
    TaskSpec spec;
    spec.type = u"demo"_s;
    spec.params = QJsonObject { { u"steps"_s, 1000 }, { u"delay_ms"_s, 1000 } };
    QVERIFY(engine.submit(spec)); // takes the one worker
    const Result<TaskSnapshot> queued = engine.submit(spec); // stays queued: unchanging
    QVERIFY(queued);
    const QString id = queued->id;
    engine.publishTransitions(); // the hub (this thread) hears of both now
    QVERIFY(hub.snapshot(id));

    AnswerCache cache(engine, &hub);
    const QByteArray host = "127.0.0.1:1";
    const QByteArray target = "/api/v1/tasks/" + id.toLatin1();
    cache.store(host, target, id, "A");
    QVERIFY(cache.find(host, target));
    QCOMPARE(*cache.find(host, target), "A");

    // The engine changed, the mirror not yet: still served (until the hub's next delivery).
    QVERIFY(!engine.cancel(id));
    QVERIFY(cache.find(host, target));
    // ...unless the server made the change: it drops the task's answers.
    cache.dropTask(id);
    QVERIFY(!cache.find(host, target));
    QCOMPARE(cache.size(), 0);

    // A fresh answer stored against the old mirror lives until the mirror moves.
    cache.store(host, target, id, "B");
    QCOMPARE(*cache.find(host, target), "B");
    engine.publishTransitions();
    QCOMPARE(hub.snapshot(id)->state, TaskState::Canceled);
    QVERIFY(!cache.find(host, target));

    // Now in step: served; dropping another task's answers leaves it.
    cache.store(host, target, id, "C");
    cache.dropTask(u"other"_s);
    QCOMPARE(*cache.find(host, target), "C");
    // A task the hub no longer has is never served.
    QVERIFY(!engine.remove(id));
    engine.publishTransitions();
    QVERIFY(!hub.snapshot(id));
    QVERIFY(!cache.find(host, target));
    engine.removeTracker(&hub);
}
