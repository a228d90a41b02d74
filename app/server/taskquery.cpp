#include "taskquery.h"

#include "app/core/tasksnapshot.h"

#include <QCoreApplication>

#include <limits>

using namespace Qt::StringLiterals;

namespace {
// Reads an optional integer query parameter; names the field when present but not a
// non-negative integer within max.
void queryInt(const QUrlQuery &query, const QString &name, int max, int *out,
              QList<FieldError> *errors)
{
    if (!query.hasQueryItem(name))
        return;
    bool ok = false;
    const int value = query.queryItemValue(name).toInt(&ok);
    if (!ok || value < 0 || value > max) {
        errors->append({ name,
                         QCoreApplication::translate("TaskApi", "Must be an integer from 0 to %1.")
                             .arg(max) });
        return;
    }
    *out = value;
}
} // namespace

TaskQuery TaskQuery::parse(const QUrlQuery &query, QList<FieldError> *errors)
{
    TaskQuery q;
    queryInt(query, u"limit"_s, MaxLimit, &q.limit, errors);
    queryInt(query, u"offset"_s, std::numeric_limits<int>::max(), &q.offset, errors);
    const QString stateFilter = query.queryItemValue(u"state"_s, QUrl::FullyDecoded);
    for (const QString &name : stateFilter.split(u',', Qt::SkipEmptyParts)) {
        if (name == u"active")
            q.wantActive = true;
        else if (name == u"finished")
            q.wantFinished = true;
        else if (const auto state = taskStateFromName(name))
            q.states.append(*state);
        else
            errors->append(
                { u"state"_s,
                  QCoreApplication::translate("TaskApi", "Unknown state \"%1\".").arg(name) });
    }
    q.types = query.queryItemValue(u"type"_s, QUrl::FullyDecoded).split(u',', Qt::SkipEmptyParts);
    return q;
}

std::optional<qint64> TaskQuery::parseSyncRid(const QUrlQuery &query)
{
    if (!query.hasQueryItem(u"rid"_s))
        return 0;
    bool ok = false;
    const qint64 rid = query.queryItemValue(u"rid"_s).toLongLong(&ok);
    if (!ok || rid < 0)
        return std::nullopt;
    return rid;
}

bool TaskQuery::matches(const TaskSnapshot &task) const
{
    if (!states.isEmpty() || wantActive || wantFinished) {
        const bool finished = isFinished(task.state);
        if (!states.contains(task.state) && !(wantActive && !finished)
            && !(wantFinished && finished))
            return false;
    }
    return types.isEmpty() || types.contains(task.type);
}
