// bench_push: WebSocket fan-out against a running `headway --headless` (issue 3).
// N clients connect to /api/v1/ws and wait for their snapshot; client 0 then starts T demo
// tasks (S steps x D ms) through WebSocket commands; the clock stops when every client has seen
// every one of those tasks succeed. Ideal: S x D ms. Bounded by --timeout; loopback only.
// Prints one line of key=value figures for run.sh.

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QSet>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

struct Client
{
    std::unique_ptr<QWebSocket> socket;
    bool snapshot = false;
    QSet<QString> succeeded;
    qint64 doneNs = -1;
    qint64 messages = 0;
    qint64 bytes = 0;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"WebSocket push fan-out benchmark for headway --headless."_s);
    parser.addHelpOption();
    const QCommandLineOption urlOpt(u"url"_s, u"Server base URL (http://127.0.0.1:PORT)."_s,
                                    u"url"_s);
    const QCommandLineOption tokenOpt(u"token"_s, u"Access token."_s, u"token"_s);
    const QCommandLineOption clientsOpt(u"clients"_s, u"WebSocket clients (50)."_s, u"n"_s,
                                        u"50"_s);
    const QCommandLineOption tasksOpt(u"tasks"_s, u"Tasks started (50)."_s, u"n"_s, u"50"_s);
    const QCommandLineOption stepsOpt(u"steps"_s, u"Steps per task (100)."_s, u"n"_s, u"100"_s);
    const QCommandLineOption delayOpt(u"delay-ms"_s, u"Delay per step (10)."_s, u"ms"_s, u"10"_s);
    const QCommandLineOption timeoutOpt(u"timeout"_s, u"Give up after seconds (30)."_s, u"s"_s,
                                        u"30"_s);
    parser.addOptions({ urlOpt, tokenOpt, clientsOpt, tasksOpt, stepsOpt, delayOpt, timeoutOpt });
    parser.process(app);

    QUrl wsUrl(parser.value(urlOpt));
    if (!wsUrl.isValid() || wsUrl.host().isEmpty()) {
        std::fprintf(stderr, "bench_push: --url http://127.0.0.1:PORT is required\n");
        return 2;
    }
    wsUrl.setScheme(u"ws"_s);
    wsUrl.setPath(u"/api/v1/ws"_s);
    const QByteArray auth = "Bearer " + parser.value(tokenOpt).toLatin1();
    const int nClients = std::max(1, parser.value(clientsOpt).toInt());
    const int nTasks = std::max(1, parser.value(tasksOpt).toInt());
    const int steps = parser.value(stepsOpt).toInt();
    const int delayMs = parser.value(delayOpt).toInt();
    const double idealMs = double(steps) * delayMs;

    std::vector<Client> clients(nClients);
    QSet<QString> ours; // ids of the tasks this run started (from the command replies)
    int snapshots = 0, replies = 0, failures = 0, doneClients = 0;
    QElapsedTimer clock;
    bool started = false;

    auto finish = [&](int code) {
        for (Client &c : clients)
            c.socket->abort();
        QCoreApplication::exit(code);
    };
    auto checkDone = [&](Client &c) {
        if (c.doneNs >= 0 || ours.size() < nTasks)
            return;
        for (const QString &id : std::as_const(ours))
            if (!c.succeeded.contains(id))
                return;
        c.doneNs = clock.nsecsElapsed();
        if (++doneClients == nClients)
            finish(0);
    };
    auto startTasks = [&] {
        started = true;
        clock.start();
        const QJsonObject params { { u"steps"_s, steps }, { u"delay_ms"_s, delayMs } };
        for (int i = 0; i < nTasks; ++i) {
            const QJsonObject command { { u"id"_s, i },
                                        { u"command"_s, u"start"_s },
                                        { u"type"_s, u"demo"_s },
                                        { u"title"_s, u"bench %1"_s.arg(i) },
                                        { u"params"_s, params } };
            clients[0].socket->sendTextMessage(
                QString::fromUtf8(QJsonDocument(command).toJson(QJsonDocument::Compact)));
        }
    };

    for (int i = 0; i < nClients; ++i) {
        Client &c = clients[size_t(i)];
        c.socket = std::make_unique<QWebSocket>();
        QWebSocket *socket = c.socket.get();
        QObject::connect(
            socket, &QWebSocket::textMessageReceived, socket, [&, i](const QString &text) {
                Client &me = clients[size_t(i)];
                ++me.messages;
                me.bytes += text.size();
                const QJsonObject msg = QJsonDocument::fromJson(text.toUtf8()).object();
                const QString type = msg.value(u"type"_s).toString();
                if (type == u"reply") {
                    ++replies;
                    if (msg.value(u"ok"_s).toBool())
                        ours.insert(msg.value(u"task"_s).toObject().value(u"id"_s).toString());
                    else
                        ++failures;
                    if (replies == nTasks) {
                        if (failures) {
                            std::fprintf(stderr, "bench_push: %d start commands failed\n",
                                         failures);
                            finish(1);
                            return;
                        }
                        for (Client &other : clients)
                            checkDone(other);
                    }
                    return;
                }
                const QJsonArray tasks = msg.value(u"tasks"_s).toArray();
                for (const QJsonValue &t : tasks) {
                    const QJsonObject task = t.toObject();
                    if (task.value(u"state"_s).toString() == u"succeeded")
                        me.succeeded.insert(task.value(u"id"_s).toString());
                }
                if (type == u"snapshot" && !me.snapshot) {
                    me.snapshot = true;
                    if (++snapshots == nClients && !started)
                        startTasks();
                }
                if (started)
                    checkDone(me);
            });
        QObject::connect(socket, &QWebSocket::disconnected, socket, [&, i] {
            if (clients[size_t(i)].doneNs < 0 && doneClients < nClients) {
                std::fprintf(stderr, "bench_push: client %d disconnected: %s\n", i,
                             qPrintable(clients[size_t(i)].socket->errorString()));
                finish(1);
            }
        });
        QNetworkRequest request(wsUrl);
        request.setRawHeader("Authorization", auth);
        socket->open(request);
    }

    QTimer::singleShot(parser.value(timeoutOpt).toInt() * 1000, &app, [&] {
        std::fprintf(stderr, "bench_push: timeout (%d/%d snapshots, %d/%d clients done)\n",
                     snapshots, nClients, doneClients, nClients);
        finish(1);
    });
    const int rc = app.exec();

    std::vector<double> doneMs;
    qint64 messages = 0, bytes = 0;
    for (const Client &c : clients) {
        if (c.doneNs >= 0)
            doneMs.push_back(double(c.doneNs) / 1e6);
        messages += c.messages;
        bytes += c.bytes;
    }
    std::sort(doneMs.begin(), doneMs.end());
    const double all = doneMs.size() == size_t(nClients) ? doneMs.back() : -1;
    std::printf("clients=%d tasks=%d steps=%d delay_ms=%d ideal_ms=%.0f clients_done=%zu "
                "all_delivered_ms=%.1f first_client_ms=%.1f ratio=%.3f messages=%lld MB=%.1f\n",
                nClients, nTasks, steps, delayMs, idealMs, doneMs.size(), all,
                doneMs.empty() ? -1.0 : doneMs.front(), all > 0 ? all / idealMs : -1.0,
                static_cast<long long>(messages), double(bytes) / 1e6);
    return rc;
}
