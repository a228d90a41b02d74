#pragma once

#include "app/core/tasksnapshot.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QString>

#include <vector>

class SyncHub;
class TaskEngine;

// Serialized answers of the hot polling routes (RouteRules::cachedPerTask: GET
// /api/v1/tasks/{id}, /task-progress/{id}, /task-status/{id}), kept as the exact bytes the
// normal path wrote (status line, headers and body in one buffer) so the transport guard can
// replay them without QHttpServer parsing the request again. Keyed by the Host value and the
// request target exactly as sent. An entry holds the task's snapshot it was made from and is
// served only while the engine's live snapshot of that task is still equal to it, so no answer
// outlives a change of its task, not even by one tick (the sync hub hears of changes later).
//
// With the server on its own thread the engine is not read per request: an entry then holds
// the server's mirror of the task (the SyncHub's snapshot when it was stored, never older than
// the answer) and is served while the mirror still holds it, so an answer lives at most until
// the hub hears of the task's next change (a tick, 1/30 s). Whatever the server itself changes
// (a command, a submit, a report, an upload) drops the answers first (dropTask, clear): the
// next poll reads the engine, so a client always reads its own writes.
class AnswerCache final
{
public:
    // mirror: validate against the SyncHub (the server's thread) instead of the engine.
    explicit AnswerCache(const TaskEngine &engine, const SyncHub *mirror = nullptr);

    // The normal path answered `target` on `host` with `response`, made from task `taskId`
    // as the engine holds it now.
    void store(QByteArrayView host, QByteArrayView target, const QString &taskId,
               const QByteArray &response);
    // The stored answer when its task is unchanged; null otherwise (the entry is dropped).
    const QByteArray *find(QByteArrayView host, QByteArrayView target);
    void clear();
    void dropTask(const QString &taskId);
    int size() const { return m_size; }

    // Targets the cache takes: a path of letters, digits, '-', '_' and '/', no "//", no
    // query. For them QUrl's path is the target itself, so both paths key alike.
    static bool isPlainTarget(QByteArrayView target);
    // Everything a task's JSON (and the seed routes' answers) is made of is equal.
    static bool sameAnswer(const TaskSnapshot &a, const TaskSnapshot &b);

    // Bounds memory whatever the clients ask: past this many entries the cache starts over.
    static constexpr int MaxEntries = 4096;

private:
    struct Entry
    {
        QString taskId;
        TaskSnapshot snapshot;
        QByteArray response;
    };
    struct HostEntries
    {
        QByteArray host;
        QHash<QByteArray, Entry> byTarget;
    };

    const TaskEngine &m_engine;
    const SyncHub *m_mirror;
    std::vector<HostEntries> m_hosts; // a handful: localhost, 127.0.0.1, [::1] with the port
    int m_size = 0;
};
