#include "celeryworker.h"

#include <cmath>

using namespace Qt::StringLiterals;

bool CeleryWorker::isExpired(const QDateTime &now) const
{
    return !lastHeartbeat.isValid()
        || lastHeartbeat.msecsTo(now) > qint64(2.0 * std::max(freq, 0.1) * 1000.0);
}

QJsonObject CeleryWorker::toJson(const QDateTime &now) const
{
    QJsonValue age = QJsonValue::Null;
    if (lastHeartbeat.isValid())
        age = std::round(double(lastHeartbeat.msecsTo(now)) / 100.0) / 10.0;
    return {
        { u"hostname"_s, hostname }, { u"online"_s, online },       { u"heartbeat_age"_s, age },
        { u"active"_s, active },     { u"processed"_s, processed }, { u"pid"_s, pid },
        { u"freq"_s, freq },         { u"loadavg"_s, loadavg },     { u"software"_s, software },
    };
}
