#include "answercache.h"

#include "app/core/taskengine.h"
#include "synchub.h"

#include <algorithm>

AnswerCache::AnswerCache(const TaskEngine &engine, const SyncHub *mirror)
    : m_engine(engine), m_mirror(mirror)
{
}

bool AnswerCache::isPlainTarget(QByteArrayView target)
{
    if (target.isEmpty() || target.front() != '/')
        return false;
    char previous = 0;
    for (const char c : target) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
            || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '/';
        if (!plain || (c == '/' && previous == '/'))
            return false;
        previous = c;
    }
    return true;
}

bool AnswerCache::sameAnswer(const TaskSnapshot &a, const TaskSnapshot &b)
{
    // What changes while a task runs first, so a changed task is told cheaply; the output
    // is compared by its data first (copies of one snapshot share it).
    const bool sameOutput
        = (a.output.constData() == b.output.constData() && a.output.size() == b.output.size())
        || a.output == b.output;
    return a.progress == b.progress && a.state == b.state && a.attempt == b.attempt
        && a.actions == b.actions && sameOutput && a.outputStderr == b.outputStderr
        && a.error == b.error && a.result == b.result && a.started == b.started
        && a.finished == b.finished && a.retryAt == b.retryAt && a.priority == b.priority
        && a.title == b.title && a.id == b.id && a.type == b.type && a.created == b.created
        && a.maxRetries == b.maxRetries && a.backoffMs == b.backoffMs && a.timeoutMs == b.timeoutMs
        && a.params == b.params;
}

void AnswerCache::store(QByteArrayView host, QByteArrayView target, const QString &taskId,
                        const QByteArray &response)
{
    const TaskSnapshot *mirrored = m_mirror ? m_mirror->snapshot(taskId) : nullptr;
    const std::optional<TaskSnapshot> task
        = m_mirror ? (mirrored ? std::optional(*mirrored) : std::nullopt) : m_engine.task(taskId);
    if (!task || !isPlainTarget(target))
        return;
    if (m_size >= MaxEntries)
        clear();
    auto hosts = std::find_if(m_hosts.begin(), m_hosts.end(),
                              [host](const HostEntries &h) { return h.host == host; });
    if (hosts == m_hosts.end())
        hosts = m_hosts.insert(m_hosts.end(), HostEntries { host.toByteArray(), {} });
    const QByteArray key = target.toByteArray();
    const qsizetype before = hosts->byTarget.size();
    hosts->byTarget.insert(key, Entry { taskId, *task, response });
    m_size += int(hosts->byTarget.size() - before);
}

const QByteArray *AnswerCache::find(QByteArrayView host, QByteArrayView target)
{
    for (HostEntries &hosts : m_hosts) {
        if (hosts.host != host)
            continue;
        // fromRawData: a key over the request's own bytes, nothing allocated.
        const auto it = hosts.byTarget.find(QByteArray::fromRawData(target.data(), target.size()));
        if (it == hosts.byTarget.end())
            return nullptr;
        if (m_mirror) {
            const TaskSnapshot *mirrored = m_mirror->snapshot(it->taskId);
            if (mirrored && sameAnswer(*mirrored, it->snapshot))
                return &it->response;
        } else {
            const std::optional<TaskSnapshot> live = m_engine.task(it->taskId);
            if (live && sameAnswer(*live, it->snapshot))
                return &it->response;
        }
        hosts.byTarget.erase(it);
        --m_size;
        return nullptr;
    }
    return nullptr;
}

void AnswerCache::clear()
{
    m_hosts.clear();
    m_size = 0;
}

void AnswerCache::dropTask(const QString &taskId)
{
    for (HostEntries &hosts : m_hosts) {
        m_size -= int(hosts.byTarget.removeIf(
            [&taskId](const auto &it) { return it.value().taskId == taskId; }));
    }
}
