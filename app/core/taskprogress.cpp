#include "taskprogress.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

QJsonObject TaskProgress::toJson() const
{
    return QJsonObject {
        { u"percent"_s, percent ? QJsonValue(*percent) : QJsonValue() },
        { u"processed"_s, processed },
        { u"total"_s, total >= 0 ? QJsonValue(total) : QJsonValue() },
        { u"unit"_s, unit },
        { u"speed"_s, speed },
        { u"eta"_s, eta ? QJsonValue(*eta) : QJsonValue() },
        { u"step"_s, step },
        { u"steps"_s, QJsonArray::fromStringList(steps) },
        { u"message"_s, message },
    };
}

TaskProgress TaskProgress::fromJson(const QJsonObject &json)
{
    TaskProgress p;
    const QJsonValue percent = json.value(u"percent"_s);
    if (percent.isDouble())
        p.percent = percent.toDouble();
    p.processed = json.value(u"processed"_s).toInteger();
    const QJsonValue total = json.value(u"total"_s);
    p.total = total.isDouble() ? total.toInteger() : -1;
    p.unit = json.value(u"unit"_s).toString();
    p.speed = json.value(u"speed"_s).toDouble();
    const QJsonValue eta = json.value(u"eta"_s);
    if (eta.isDouble())
        p.eta = eta.toDouble();
    p.step = json.value(u"step"_s).toInt(-1);
    for (const QJsonValue &v : json.value(u"steps"_s).toArray())
        p.steps.append(v.toString());
    p.message = json.value(u"message"_s).toString();
    return p;
}
