#include "uploadtasktype.h"

#include "app/core/tasktyperegistry.h"

#include <QCoreApplication>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("UploadTaskType", text);
}
} // namespace

void registerUploadTaskType(TaskTypeRegistry &registry)
{
    TaskType t;
    t.name = u"upload"_s;
    t.internal = true; // created by POST /api/v1/uploads only
    t.title = tr("Upload");
    t.description = tr("A file sent to Headway with the tus protocol (POST /api/v1/uploads): "
                       "receive, verify (SHA-256), complete.");
    t.schema = QJsonObject {
        { u"type"_s, u"object"_s },
        { u"properties"_s,
          QJsonObject {
              { u"filename"_s,
                QJsonObject { { u"type"_s, u"string"_s },
                              { u"minLength"_s, 1 },
                              { u"title"_s, tr("File name") } } },
              { u"size"_s,
                QJsonObject { { u"type"_s, u"integer"_s },
                              { u"minimum"_s, 0 },
                              { u"title"_s, tr("Size (bytes)") } } },
          } },
        { u"required"_s, QJsonArray { u"filename"_s, u"size"_s } },
    };
    t.defaultTitle = [](const QJsonObject &params) {
        return tr("Upload %1").arg(params.value(u"filename"_s).toString());
    };
    // No create: external, driven by UploadDriver.
    registry.add(std::move(t));
}
