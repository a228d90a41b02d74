#pragma once

#include "app/core/taskstore.h"

#include <QDateTime>
#include <QJsonObject>
#include <QUuid>

#include <cstdio>

// Writes `count` finished demo tasks into the store FILE through TaskStore, as a long-running
// Headway would have (issue 18, "big histories": the history is made by the store, not by
// running tasks with sleeps). Every tenth one failed, every fiftieth printed some output.
inline bool fillHistory(const QString &file, int count)
{
    using namespace Qt::StringLiterals;
    TaskStore store;
    QString error;
    if (!store.open(file, &error)) {
        std::fprintf(stderr, "cannot open the store: %s\n", qPrintable(error));
        return false;
    }
    const QDateTime start = QDateTime::currentDateTimeUtc().addDays(-1);
    TaskEvents events;
    for (int i = 0; i < count; ++i) {
        TaskSnapshot t;
        t.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        t.type = u"demo"_s;
        t.title = u"Demo %1 (10 steps)"_s.arg(i + 1);
        t.params = QJsonObject { { u"steps"_s, 10 }, { u"delay_ms"_s, 100 } };
        t.created = start.addMSecs(qint64(i) * 10);
        t.started = t.created.addMSecs(5);
        t.finished = t.started.addSecs(1);
        t.progress.percent = 100;
        t.progress.processed = t.progress.total = 10;
        if (i % 10 == 9) {
            t.state = TaskState::Failed;
            t.error = TaskError { u"demo_failure"_s, u"Step 7 failed (as asked)."_s, {} };
        } else {
            t.state = TaskState::Succeeded;
            t.result = QJsonObject { { u"steps"_s, 10 } };
        }
        if (i % 50 == 49)
            t.output = u"step 1\nstep 2\n"_s.repeated(100);
        events.append({ TaskEvent::Kind::Added, t, TaskState::Queued });
        events.append({ TaskEvent::Kind::StateChanged, t, TaskState::Running });
        if (events.size() >= 2000) {
            store.tasksChanged(events);
            events.clear();
        }
    }
    store.tasksChanged(events);
    store.close(); // writes everything queued
    return true;
}
