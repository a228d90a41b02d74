// libFuzzer target for the query strings of GET /api/v1/tasks and /api/v1/sync (TaskQuery):
// the input is the raw query after '?'. Parsed values stay within their documented ranges and
// every rejected value is named; violations abort().
#include "app/core/tasksnapshot.h"
#include "app/server/taskquery.h"

#include <QUrl>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QUrl url
        = QUrl::fromEncoded("http://127.0.0.1/api/v1/tasks?"
                            + QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    const QUrlQuery query(url);
    QList<FieldError> errors;
    const TaskQuery parsed = TaskQuery::parse(query, &errors);
    if (parsed.limit < 0 || parsed.limit > TaskQuery::MaxLimit || parsed.offset < 0)
        std::abort();
    for (const FieldError &error : std::as_const(errors)) {
        if (error.field != u"limit" && error.field != u"offset" && error.field != u"state")
            std::abort();
        if (error.message.isEmpty())
            std::abort();
    }
    for (const QString &type : parsed.types) {
        if (type.isEmpty())
            std::abort();
    }
    TaskSnapshot task;
    task.type = parsed.types.value(0, QStringLiteral("demo"));
    task.state = parsed.states.value(
        0, parsed.wantFinished && !parsed.wantActive ? TaskState::Succeeded : TaskState::Running);
    // A task of a listed type in a listed state always passes the filter.
    if (!parsed.matches(task))
        std::abort();
    if (const auto rid = TaskQuery::parseSyncRid(query); rid && *rid < 0)
        std::abort();
    return 0;
}
