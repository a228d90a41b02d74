#include "celerytasktype.h"

#include "app/core/tasktyperegistry.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("CeleryTaskType", text);
}
} // namespace

void registerCeleryTaskType(TaskTypeRegistry &registry)
{
    TaskType t;
    t.name = u"celery"_s;
    t.title = tr("Celery task");
    t.description = tr("Runs a task on a Celery cluster (Redis broker) and follows its progress.");
    t.schema = QJsonObject {
        { u"type"_s, u"object"_s },
        { u"properties"_s,
          QJsonObject {
              { u"task"_s,
                QJsonObject {
                    { u"type"_s, u"string"_s },
                    { u"minLength"_s, 1 },
                    { u"title"_s, tr("Task name") },
                    { u"description"_s, tr("The registered Celery task, e.g. tasks.resize.") } } },
              { u"args"_s,
                QJsonObject { { u"type"_s, u"array"_s },
                              { u"default"_s, QJsonArray {} },
                              { u"title"_s, tr("Arguments") } } },
              { u"kwargs"_s,
                QJsonObject { { u"type"_s, u"object"_s },
                              { u"default"_s, QJsonObject {} },
                              { u"title"_s, tr("Keyword arguments") } } },
              { u"queue"_s,
                QJsonObject { { u"type"_s, u"string"_s },
                              { u"default"_s, u"celery"_s },
                              { u"minLength"_s, 1 },
                              { u"title"_s, tr("Queue") } } },
              { u"countdown"_s,
                QJsonObject { { u"type"_s, u"number"_s },
                              { u"nullable"_s, true },
                              { u"default"_s, QJsonValue::Null },
                              { u"minimum"_s, 0 },
                              { u"title"_s, tr("Countdown (seconds)") } } },
          } },
        { u"required"_s, QJsonArray { u"task"_s } },
    };
    t.validate = [](const QJsonObject &params) {
        QList<FieldError> errors;
        // Celery task names are dotted Python identifiers; anything else is a typo.
        static const QRegularExpression name(
            u"^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$"_s);
        if (!name.match(params.value(u"task"_s).toString()).hasMatch())
            errors.append({ u"task"_s, tr("Must be a task name like tasks.resize.") });
        const QString queue = params.value(u"queue"_s).toString();
        if (queue.contains(u'\x06') || queue.trimmed() != queue)
            errors.append({ u"queue"_s, tr("Must be a plain queue name.") });
        return errors;
    };
    t.defaultTitle = [](const QJsonObject &params) { return params.value(u"task"_s).toString(); };
    // No create: external, run by the CeleryDriver.
    registry.add(std::move(t));
}
