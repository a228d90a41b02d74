#include "engineerror.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

EngineError EngineError::notFound(const QString &id)
{
    return { u"not_found"_s,
             QCoreApplication::translate("TaskEngine", "No task with id %1.").arg(id),
             {} };
}
