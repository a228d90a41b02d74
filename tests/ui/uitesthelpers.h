#pragma once

// Shared by the UI tests: a registry with a demo task type (the real DemoTask runner) so the
// tests do not depend on which built-in types are registered, and snapshot builders.

#include "app/core/taskevent.h"
#include "app/core/tasks/demotask.h"
#include "app/core/tasksnapshot.h"
#include "app/core/tasktyperegistry.h"

#include <QJsonArray>
#include <QTimeZone>
#include <QUuid>

using namespace Qt::StringLiterals;

inline void registerTestTypes(TaskTypeRegistry &registry)
{
    TaskType demo;
    demo.name = u"demo"_s;
    demo.title = u"Demo"_s;
    demo.description = u"Counts through steps with a delay each."_s;
    demo.schema = QJsonObject {
        { u"type"_s, u"object"_s },
        { u"properties"_s,
          QJsonObject {
              { u"steps"_s,
                QJsonObject {
                    { u"type"_s, u"integer"_s }, { u"default"_s, 5 }, { u"minimum"_s, 1 } } },
              { u"delay_ms"_s,
                QJsonObject {
                    { u"type"_s, u"integer"_s }, { u"default"_s, 200 }, { u"minimum"_s, 0 } } },
              { u"fail_at_step"_s,
                QJsonObject {
                    { u"type"_s, u"integer"_s }, { u"default"_s, 0 }, { u"minimum"_s, 0 } } },
          } },
    };
    demo.create = [](const QJsonObject &p) {
        return std::make_unique<DemoTask>(p.value(u"steps"_s).toInt(),
                                          p.value(u"delay_ms"_s).toInt(),
                                          p.value(u"fail_at_step"_s).toInt());
    };
    registry.add(demo);

    TaskType copy;
    copy.name = u"copy"_s;
    copy.title = u"Copy a file"_s;
    copy.schema = QJsonObject {
        { u"type"_s, u"object"_s },
        { u"properties"_s,
          QJsonObject {
              { u"source"_s,
                QJsonObject { { u"type"_s, u"string"_s },
                              { u"format"_s, u"file"_s },
                              { u"minLength"_s, 1 } } },
              { u"destination"_s,
                QJsonObject { { u"type"_s, u"string"_s }, { u"format"_s, u"directory"_s } } },
              { u"overwrite"_s,
                QJsonObject { { u"type"_s, u"boolean"_s }, { u"default"_s, false } } },
              { u"mode"_s,
                QJsonObject { { u"type"_s, u"string"_s },
                              { u"enum"_s, QJsonArray { u"fast"_s, u"safe"_s } } } },
              { u"tags"_s,
                QJsonObject { { u"type"_s, u"array"_s },
                              { u"items"_s, QJsonObject { { u"type"_s, u"string"_s } } } } },
              { u"options"_s, QJsonObject { { u"type"_s, u"object"_s } } },
          } },
        { u"required"_s, QJsonArray { u"source"_s, u"destination"_s } },
    };
    copy.create = [](const QJsonObject &) { return std::make_unique<DemoTask>(1, 0, 0); };
    registry.add(copy);
}

inline TaskSnapshot makeSnapshot(const QString &title, TaskState state = TaskState::Queued,
                                 std::optional<double> percent = std::nullopt,
                                 const QString &type = u"demo"_s)
{
    TaskSnapshot t;
    t.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    t.type = type;
    t.title = title;
    t.state = state;
    t.created = QDateTime(QDate(2026, 1, 2), QTime(10, 0), Qt::UTC);
    t.progress.percent = percent;
    return t;
}

inline TaskEvent taskEvent(TaskEvent::Kind kind, const TaskSnapshot &t,
                           TaskState previous = TaskState::Queued)
{
    return TaskEvent { kind, t, previous };
}
