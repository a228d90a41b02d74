#include "synchub.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

SyncHub::SyncHub(QObject *parent)
    : TaskTracker(parent)
      // rids start at the start time in microseconds-ish so a rid from an earlier run of the
      // server is never mistaken for one of this run (it is below the base: full update).
      ,
      m_base(QDateTime::currentMSecsSinceEpoch() * 1000), m_rid(m_base), m_forgottenUpTo(m_base)
{
    m_prepareTimer.setInterval(0);
    connect(&m_prepareTimer, &QTimer::timeout, this, &SyncHub::prepareSome);
}

namespace {
constexpr int kPreparePerPass = 100; // ~5 ms of serializing on this machine under load

QByteArray serialized(const TaskSnapshot &task)
{
    return QJsonDocument(task.toJson(TaskSnapshot::Output::Summary)).toJson(QJsonDocument::Compact);
}
} // namespace

void SyncHub::prepareSome()
{
    int done = 0;
    auto it = m_byOrder.lower_bound(m_prepareFrom);
    for (; it != m_byOrder.end() && done < kPreparePerPass; ++it) {
        const Entry &entry = *m_tasks.constFind(it->second);
        if (entry.bytes.isEmpty()) {
            entry.bytes = serialized(entry.snapshot);
            ++done;
        }
    }
    if (it == m_byOrder.end()) {
        m_prepareTimer.stop();
        return;
    }
    m_prepareFrom = it->first;
}

int SyncHub::preparedCount() const
{
    int count = 0;
    for (const Entry &entry : m_tasks)
        count += entry.bytes.isEmpty() ? 0 : 1;
    return count;
}

void SyncHub::tasksChanged(const TaskEvents &events)
{
    if (events.isEmpty())
        return;
    const qint64 rid = ++m_rid;
    m_messageCache.clear();
    bool added = false;
    for (const TaskEvent &event : events) {
        const QString &id = event.task.id;
        auto it = m_tasks.find(id);
        if (event.kind == TaskEvent::Kind::Removed) {
            if (it == m_tasks.end())
                continue;
            // Drop the old rid index entry of this task.
            auto range = m_byRid.equal_range(it->rid);
            for (auto r = range.first; r != range.second; ++r) {
                if (r->second == id) {
                    m_byRid.erase(r);
                    break;
                }
            }
            m_byOrder.erase(it->order);
            m_tasks.erase(it);
            m_removed.emplace(rid, id);
            continue;
        }
        if (it == m_tasks.end()) {
            it = m_tasks.insert(id, Entry { {}, {}, 0, m_nextOrder++ });
            m_byOrder.emplace(it->order, id);
            added = true;
            // A task that comes back is no longer removed.
            for (auto r = m_removed.begin(); r != m_removed.end();) {
                if (r->second == id)
                    r = m_removed.erase(r);
                else
                    ++r;
            }
        } else {
            auto range = m_byRid.equal_range(it->rid);
            for (auto r = range.first; r != range.second; ++r) {
                if (r->second == id) {
                    m_byRid.erase(r);
                    break;
                }
            }
        }
        // A progress event without output (the hub takes it once a second) keeps the output
        // last told: the summary's size and last stderr line stay true meanwhile.
        QString output;
        OutputTail::Spans outputStderr;
        if (!event.withOutput) {
            output = std::move(it->snapshot.output);
            outputStderr = std::move(it->snapshot.outputStderr);
        }
        it->snapshot = event.task;
        if (!event.withOutput) {
            it->snapshot.output = std::move(output);
            it->snapshot.outputStderr = std::move(outputStderr);
        }
        it->bytes.clear();
        it->rid = rid;
        m_byRid.emplace(rid, id);
    }
    // New tasks (at start-up, a whole history) get their JSON made ahead, a few per pass.
    // Tasks that change later are serialized when asked, as before.
    if (added && !m_prepareTimer.isActive()) {
        m_prepareFrom = 0;
        m_prepareTimer.start();
    }
    while (qsizetype(m_removed.size()) > m_maxRemembered) {
        m_forgottenUpTo = m_removed.begin()->first;
        m_removed.erase(m_removed.begin());
    }
    Q_EMIT changed(m_rid);
}

bool SyncHub::isFull(qint64 since) const
{
    return since <= 0 || since > m_rid || since < m_forgottenUpTo;
}

QJsonObject SyncHub::diffSince(qint64 since) const
{
    const bool full = isFull(since);
    QJsonArray tasks;
    QJsonArray removed;
    if (full) {
        for (const auto &[order, id] : m_byOrder)
            tasks.append(m_tasks.value(id).snapshot.toJson(TaskSnapshot::Output::Summary));
    } else {
        for (auto it = m_byRid.upper_bound(since); it != m_byRid.end(); ++it)
            tasks.append(m_tasks.value(it->second).snapshot.toJson(TaskSnapshot::Output::Summary));
        for (auto it = m_removed.upper_bound(since); it != m_removed.end(); ++it)
            removed.append(it->second);
    }
    return QJsonObject {
        { u"rid"_s, m_rid },
        { u"full_update"_s, full },
        { u"tasks"_s, tasks },
        { u"removed"_s, removed },
    };
}

QByteArray SyncHub::message(qint64 since) const
{
    if (isFull(since))
        since = 0;
    auto it = m_messageCache.constFind(since);
    if (it != m_messageCache.constEnd())
        return *it;
    // Written piece by piece rather than as one QJsonObject: a full update of 10,000 tasks as
    // a QJsonArray cost ~40 MB of short-lived objects (kept by the allocator as RSS) and most
    // of the page's first render. Each task's JSON is still TaskSnapshot::toJson(Summary).
    const bool full = since == 0;
    QByteArray bytes = "{\"full_update\":";
    bytes += full ? "true" : "false";
    QJsonArray removed;
    if (!full) {
        for (auto r = m_removed.upper_bound(since); r != m_removed.end(); ++r)
            removed.append(r->second);
    }
    bytes += ",\"removed\":" + QJsonDocument(removed).toJson(QJsonDocument::Compact);
    bytes += ",\"rid\":" + QByteArray::number(m_rid) + ",\"tasks\":[";
    bool first = true;
    const auto append = [&](const QString &id) {
        const Entry &entry = *m_tasks.constFind(id);
        if (!first)
            bytes += ',';
        first = false;
        bytes += entry.bytes.isEmpty() ? serialized(entry.snapshot) : entry.bytes;
    };
    if (full) {
        for (const auto &[order, id] : m_byOrder)
            append(id);
    } else {
        for (auto c = m_byRid.upper_bound(since); c != m_byRid.end(); ++c)
            append(c->second);
    }
    bytes += full ? "],\"type\":\"snapshot\"}" : "],\"type\":\"changes\"}";
    // Only a handful of distinct starting points matter (clients up to date share one). A
    // full update is not kept: it is a concatenation of the tasks' prepared JSON, cheap to
    // make again, and with a big history it would hold megabytes for one connecting client.
    if (full)
        return bytes;
    if (m_messageCache.size() > 64)
        m_messageCache.clear();
    m_messageCache.insert(since, bytes);
    return bytes;
}

QByteArray SyncHub::taskJson(const TaskSnapshot &live) const
{
    const auto it = m_tasks.constFind(live.id);
    // Everything but state, attempt, progress, output and actions is fixed between transitions.
    const bool current = it != m_tasks.cend() && it->snapshot.state == live.state
        && it->snapshot.attempt == live.attempt && it->snapshot.progress == live.progress
        && it->snapshot.output.size() == live.output.size() && it->snapshot.actions == live.actions;
    if (!current)
        return serialized(live);
    if (it->bytes.isEmpty())
        it->bytes = serialized(it->snapshot);
    return it->bytes;
}

const TaskSnapshot *SyncHub::snapshot(const QString &id) const
{
    const auto it = m_tasks.constFind(id);
    return it == m_tasks.cend() ? nullptr : &it->snapshot;
}
