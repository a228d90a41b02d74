#include "reporttasktype.h"

#include "app/core/tasktyperegistry.h"
#include "reportapi.h"

#include <QCoreApplication>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ReportTaskType", text);
}
} // namespace

void registerReportTaskType(TaskTypeRegistry &registry)
{
    TaskType t;
    t.name = ReportApi::TypeName;
    t.title = tr("External task");
    t.description = tr("A task that runs in another process (a script, an installer, a build) "
                       "and reports its progress to Headway: POST /api/v1/tasks/ID/report with "
                       "the report_token of the 201 answer, then /finish.");
    t.schema = QJsonObject {
        { u"type"_s, u"object"_s },
        { u"properties"_s,
          QJsonObject {
              { u"steps"_s,
                QJsonObject { { u"type"_s, u"array"_s },
                              { u"items"_s, QJsonObject { { u"type"_s, u"string"_s } } },
                              { u"default"_s, QJsonArray() },
                              { u"title"_s, tr("Steps") } } },
              { u"unit"_s,
                QJsonObject { { u"type"_s, u"string"_s },
                              { u"default"_s, u""_s },
                              { u"title"_s, tr("Unit") } } },
              { u"total"_s,
                QJsonObject { { u"type"_s, u"integer"_s },
                              { u"minimum"_s, 0 },
                              { u"nullable"_s, true },
                              { u"title"_s, tr("Total amount") } } },
              { u"lease_s"_s,
                QJsonObject { { u"type"_s, u"integer"_s },
                              { u"minimum"_s, 1 },
                              { u"maximum"_s, 86400 },
                              { u"default"_s, 30 },
                              { u"title"_s, tr("Lease (seconds)") },
                              { u"description"_s,
                                tr("A reporter silent for longer leaves the task "
                                   "interrupted.") } } },
          } },
    };
    // No create: external, driven by ReportApi. Nothing in Headway could run it again, and
    // its runner is another process: no pause, no retry.
    t.capabilities.pausable = false;
    t.capabilities.retryable = false;
    t.engineEstimatesSpeed = true;
    registry.add(std::move(t));
}
