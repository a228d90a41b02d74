// libFuzzer target for WebSocket command messages: the input is one text message, answered by
// WebSocketClient::replyTo through TaskApi::command over an engine that never runs a task
// (so "start" of a command task executes nothing). Every answer is a reply with "ok"; a
// refusal carries an error code and message. Violations abort().
#include "app/core/taskengine.h"
#include "app/core/tasktyperegistry.h"
#include "app/server/synchub.h"
#include "app/server/taskapi.h"
#include "app/server/websocketclient.h"

#include <QCoreApplication>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

namespace {
struct Server
{
    Server() : engine(registry(), options()), api(engine, hub) { }
    static const TaskTypeRegistry &registry()
    {
        static const TaskTypeRegistry r = [] {
            TaskTypeRegistry types;
            registerBuiltinTaskTypes(types);
            return types;
        }();
        return r;
    }
    static EngineOptions options()
    {
        EngineOptions o;
        o.runTasks = false;
        return o;
    }
    TaskEngine engine;
    SyncHub hub;
    TaskApi api;
};
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int argc = 1;
    static char name[] = "fuzz_wscommand";
    static char *argv[] = { name, nullptr };
    static QCoreApplication app(argc, argv);
    static std::unique_ptr<Server> server;
    static int runs = 0;
    // A fresh engine now and then keeps the task list (and memory) bounded.
    if (!server || ++runs % 1000 == 0) {
        server.reset();
        server = std::make_unique<Server>();
    }
    const QJsonObject reply = WebSocketClient::replyTo(
        QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)),
        [](const QJsonObject &command) { return server->api.command(command); });
    if (reply.value(u"type").toString() != u"reply" || !reply.value(u"ok").isBool())
        std::abort();
    if (!reply.value(u"ok").toBool()) {
        const QJsonObject error = reply.value(u"error").toObject();
        if (error.value(u"code").toString().isEmpty()
            || error.value(u"message").toString().isEmpty())
            std::abort();
    } else if (!reply.value(u"task").isObject()) {
        std::abort();
    }
    if (runs % 100 == 0)
        QCoreApplication::processEvents();
    return 0;
}
