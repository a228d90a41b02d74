#pragma once

#include "app/core/tasktracker.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTimer>

#include <map>

// The server's view of the tasks, as a TaskTracker: a revision counter (rid) and, per task,
// the rid of its last change; removed ids are kept with their rid for a while. A poller or a
// push client that has seen rid N gets exactly the tasks changed after N (latest snapshot
// each) and the ids removed after N, so a slow client's backlog is merged, never queued.
// The feeds carry each task's summary JSON (TaskSnapshot::Output::Summary): no command
// output, only its size and last stderr line; the engine tells the hub a changed output at
// most once a second (HeadwayServer adds it with outputPerSecond 1), progress 30 times.
class SyncHub final : public TaskTracker
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SyncHub)

public:
    explicit SyncHub(QObject *parent = nullptr);

    void tasksChanged(const TaskEvents &events) override;

    qint64 rid() const { return m_rid; }
    // {"rid", "full_update", "tasks", "removed"}; full_update when since is 0, unknown
    // (ahead of rid, from another process) or older than the removals still remembered.
    QJsonObject diffSince(qint64 since) const;
    // The same, serialized with "type" ("snapshot" for a full update, else "changes") as a
    // push message; cached per starting rid so fan-out to many clients serializes once.
    QByteArray message(qint64 since) const;
    bool hasChangesSince(qint64 since) const { return since != m_rid; }

    void setMaxRemembered(int count) { m_maxRemembered = count; }

    // The task's summary JSON, serialized once per change: polling one task is the hottest
    // route and serializing dominated it. `live` is the engine's current snapshot; when the
    // hub has not yet heard of its latest change (events arrive a tick later), it is
    // serialized afresh. For a task without output the summary is the whole task.
    QByteArray taskJson(const TaskSnapshot &live) const;

    // The task as the hub holds it (the server's mirror of the engine); null when unknown.
    const TaskSnapshot *snapshot(const QString &id) const;

    // How many tasks have their JSON serialized already (tests).
    int preparedCount() const;

Q_SIGNALS:
    void changed(qint64 rid);

private:
    // No QJsonObject per task: with 10,000 stored tasks those were most of the start-up
    // time and tens of MB that no client had asked for. The JSON is made when asked.
    struct Entry
    {
        TaskSnapshot snapshot;
        mutable QByteArray bytes; // snapshot.toJson() serialized, made on first use
        qint64 rid = 0;
        qint64 order = 0; // creation order for full updates
    };

    bool isFull(qint64 since) const;
    // Serializes a few not yet serialized tasks, oldest first, while the event loop is idle:
    // the first client's full update of a big history is then a concatenation, and no pass
    // holds the loop for more than a fraction of a frame.
    void prepareSome();

    QHash<QString, Entry> m_tasks;
    std::map<qint64, QString> m_byOrder; // order -> id
    std::multimap<qint64, QString> m_byRid; // last-change rid -> id
    std::multimap<qint64, QString> m_removed; // removal rid -> id
    qint64 m_base = 0; // rids of this process start above it
    qint64 m_rid = 0;
    qint64 m_forgottenUpTo = 0; // removals at or below this rid are forgotten
    qint64 m_nextOrder = 0;
    int m_maxRemembered = 10000;
    mutable QHash<qint64, QByteArray> m_messageCache; // valid for m_rid only
    QTimer m_prepareTimer;
    qint64 m_prepareFrom = 0; // the order prepareSome() goes on from
};
