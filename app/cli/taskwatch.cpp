#include "taskwatch.h"

#include "exitstatus.h"
#include "tasktext.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTextStream>
#include <QWebSocket>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {
constexpr int kDrawIntervalMs = 100; // at most 10 redraws a second
constexpr int kPollIntervalMs = 500;

void write(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}
} // namespace

TaskWatch::TaskWatch(ApiClient &client, QStringList ids, Output output, QObject *parent)
    : QObject(parent), m_client(client), m_ids(std::move(ids)), m_followAll(m_ids.isEmpty()),
      m_output(output)
{
    m_drawTimer.setSingleShot(true);
    m_drawTimer.setInterval(kDrawIntervalMs);
    connect(&m_drawTimer, &QTimer::timeout, this, &TaskWatch::draw);
    m_pollTimer.setInterval(kPollIntervalMs);
    connect(&m_pollTimer, &QTimer::timeout, this, &TaskWatch::poll);
}

TaskWatch::~TaskWatch() = default;

int TaskWatch::run()
{
    openSocket();
    return m_loop.exec();
}

void TaskWatch::openSocket()
{
    m_socket = std::make_unique<QWebSocket>();
    connect(m_socket.get(), &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString type = message.value(u"type"_s).toString();
        if (type == u"snapshot" || type == u"changes")
            apply(message);
    });
    // No WebSocket (a proxy, an old server) or a lost one: poll the sync route instead.
    connect(m_socket.get(), &QWebSocket::disconnected, this, [this] {
        if (!m_pollTimer.isActive()) {
            m_pollTimer.start();
            poll();
        }
    });
    QNetworkRequest request = m_client.request(u"api/v1/ws"_s);
    QUrl url = request.url();
    url.setScheme(url.scheme() == u"https" ? u"wss"_s : u"ws"_s);
    request.setUrl(url);
    m_socket->open(request);
}

void TaskWatch::poll()
{
    const ApiClient::Answer answer
        = m_client.call("GET", u"api/v1/sync?rid="_s + QString::number(m_seen ? m_rid : 0));
    if (answer.status == 200) {
        apply(answer.object());
        return;
    }
    QTextStream(stderr) << u"headway: "_s
                        << (answer.status == 0 ? QCoreApplication::translate(
                                "TaskWatch", "Headway stopped answering.")
                                               : answer.errorMessage())
                        << Qt::endl;
    stop(ExitUnreachable);
}

void TaskWatch::apply(const QJsonObject &diff)
{
    m_rid = diff.value(u"rid"_s).toInteger();
    const bool full = diff.value(u"full_update"_s).toBool() || !m_seen;
    QSet<QString> present;
    for (const QJsonValue &v : diff.value(u"tasks"_s).toArray()) {
        const QJsonObject task = v.toObject();
        const QString id = task.value(u"id"_s).toString();
        present.insert(id);
        const bool known = m_tasks.contains(id);
        m_tasks.insert(id, task);
        // Following everything: the tasks active at the start, and any that come later.
        if (m_followAll && !m_ids.contains(id)
            && (m_seen ? !known : !TaskText::isFinished(task.value(u"state"_s).toString())))
            m_ids.append(id);
        if (m_ids.contains(id))
            changed(id);
    }
    QStringList removed;
    for (const QJsonValue &v : diff.value(u"removed"_s).toArray())
        removed.append(v.toString());
    if (full) {
        for (const QString &id : std::as_const(m_ids)) {
            if (!present.contains(id))
                removed.append(id);
        }
    }
    for (const QString &id : std::as_const(removed)) {
        m_tasks.remove(id);
        if (m_ids.contains(id) && !m_gone.contains(id)) {
            m_gone.append(id);
            QTextStream(stderr)
                << u"headway: "_s
                << QCoreApplication::translate("TaskWatch", "Task %1 was removed.").arg(id)
                << Qt::endl;
        }
    }
    m_seen = true;
    finishIfDone();
}

void TaskWatch::changed(const QString &id)
{
    const QJsonObject task = m_tasks.value(id);
    switch (m_output) {
    case Output::None:
        break;
    case Output::Bars:
        if (!m_drawTimer.isActive()) {
            if (m_drawnLines == 0)
                draw(); // the first bars at once
            m_drawTimer.start();
        }
        break;
    case Output::Lines: {
        const QString line = TaskText::plainLine(task);
        if (m_printed.value(id) != line) {
            m_printed.insert(id, line);
            write(line + u'\n');
        }
        break;
    }
    case Output::Json: {
        const QString line = QString::fromUtf8(QJsonDocument(task).toJson(QJsonDocument::Compact));
        if (m_printed.value(id) != line) {
            m_printed.insert(id, line);
            write(line + u'\n');
        }
        break;
    }
    }
}

void TaskWatch::draw()
{
    if (m_output != Output::Bars)
        return;
    const int width = TaskText::terminalWidth();
    const bool color = TaskText::colorWanted();
    QString out;
    if (m_drawnLines > 0)
        out += u"\x1b[%1A"_s.arg(m_drawnLines); // back to the first bar
    int lines = 0;
    for (const QString &id : std::as_const(m_ids)) {
        if (!m_tasks.contains(id))
            continue;
        out += u"\r\x1b[2K"_s + TaskText::barLine(m_tasks.value(id), width - 1, color) + u'\n';
        ++lines;
    }
    for (int i = lines; i < m_drawnLines; ++i)
        out += u"\r\x1b[2K\n"_s; // a task that went away: blank its old line
    m_drawnLines = std::max(lines, m_drawnLines);
    write(out);
}

void TaskWatch::finishIfDone()
{
    if (m_followAll || !m_seen)
        return;
    bool failed = false;
    bool canceled = !m_gone.isEmpty();
    for (const QString &id : std::as_const(m_ids)) {
        if (m_gone.contains(id))
            continue;
        const QString state = m_tasks.value(id).value(u"state"_s).toString();
        if (!TaskText::isFinished(state))
            return;
        failed = failed || state == u"failed";
        canceled = canceled || state == u"canceled" || state == u"interrupted";
    }
    stop(failed ? ExitTaskFailed : canceled ? ExitCanceled : ExitOk);
}

void TaskWatch::stop(int status)
{
    if (m_drawTimer.isActive()) {
        m_drawTimer.stop();
        draw(); // the last state is always shown
    }
    m_pollTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->close();
    }
    m_status = status;
    m_loop.exit(status);
}
