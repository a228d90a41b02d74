// libFuzzer target for task creation JSON through schema validation (TaskTypeRegistry with the
// built-in types): the input is a POST /api/v1/tasks body. Without a "type" the first byte
// picks one. Completed params validate again to themselves (defaults are stable); a rejection
// names at least one field. Violations abort().
#include "app/core/tasktyperegistry.h"

#include <QJsonDocument>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const TaskTypeRegistry registry = [] {
        TaskTypeRegistry r;
        registerBuiltinTaskTypes(r);
        return r;
    }();
    if (size == 0)
        return 0;
    const QJsonDocument doc = QJsonDocument::fromJson(
        QByteArray(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1)));
    const QJsonObject body = doc.object();
    QString type = body.value(QStringLiteral("type")).toString();
    if (type.isEmpty()) {
        const QList<const TaskType *> types = registry.types();
        type = types.at(data[0] % types.size())->name;
    }
    const QJsonObject params = body.value(QStringLiteral("params")).toObject(body);
    const Result<QJsonObject> checked = registry.validate(type, params);
    if (!checked) {
        if (checked.error().code.isEmpty() || checked.error().message.isEmpty())
            std::abort();
        return 0;
    }
    const Result<QJsonObject> again = registry.validate(type, *checked);
    if (!again || *again != *checked)
        std::abort();
    return 0;
}
