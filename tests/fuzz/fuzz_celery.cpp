// libFuzzer target for what a Celery deployment sends Headway: result-backend records
// (celery-task-meta-<id>, CeleryMeta), kombu event envelopes (CeleryProtocol::envelopeBody)
// and task messages (validateTaskMessage). A parsed record maps onto a state, progress and
// error without crashing; an envelope is an object, an array or null. Violations abort().
#include "app/cluster/celerymeta.h"
#include "app/cluster/celeryprotocol.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    if (const auto meta = CeleryMeta::fromJson(input)) {
        // Whatever a worker reports, the percent shown stays within 0..100.
        const TaskProgress progress = meta->progress(TaskProgress {});
        if (progress.percent && !(*progress.percent >= 0 && *progress.percent <= 100))
            std::abort();
        (void)meta->error();
        (void)CeleryProtocol::repr(meta->result);
    }
    const QJsonValue body = CeleryProtocol::envelopeBody(input);
    if (!body.isObject() && !body.isArray() && !body.isNull())
        std::abort();
    (void)CeleryProtocol::repr(body);
    QString error;
    if (!CeleryProtocol::validateTaskMessage(input, &error) && error.isEmpty())
        std::abort();
    return 0;
}
