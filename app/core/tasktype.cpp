#include "tasktype.h"

using namespace Qt::StringLiterals;

QJsonObject TaskType::toJson() const
{
    return QJsonObject { { u"name"_s, name },
                         { u"title"_s, title },
                         { u"description"_s, description },
                         { u"schema"_s, schema },
                         // Run by another program (Celery): cannot be a pipeline step.
                         { u"external"_s, !create } };
}
