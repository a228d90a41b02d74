#include "taskerror.h"

using namespace Qt::StringLiterals;

QJsonObject TaskError::toJson() const
{
    QJsonObject json { { u"code"_s, code }, { u"message"_s, message } };
    if (!details.isEmpty())
        json.insert(u"details"_s, details);
    return json;
}

TaskError TaskError::fromJson(const QJsonObject &json)
{
    return TaskError { json.value(u"code"_s).toString(), json.value(u"message"_s).toString(),
                       json.value(u"details"_s).toObject() };
}
