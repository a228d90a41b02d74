#pragma once

#include "app/core/taskengine.h"
#include "app/core/tasktyperegistry.h"
#include "app/server/headwayserver.h"

#include <QTemporaryDir>

// A real engine and HeadwayServer on an ephemeral loopback port with a fresh data dir, for the
// server tests; destroyed in the right order (server, engine, registry, dir).
class TestServer final
{
public:
    TestServer()
    {
        registerBuiltinTaskTypes(m_registry);
        EngineOptions options;
        options.concurrency = 2;
        options.dataDir = m_dir.path();
        m_engine = std::make_unique<TaskEngine>(m_registry, options);
        ServerOptions serverOptions;
        serverOptions.port = 0;
        serverOptions.dataDir = m_dir.path();
        m_server = std::make_unique<HeadwayServer>(*m_engine, serverOptions);
    }
    ~TestServer()
    {
        m_server.reset();
        m_engine.reset();
    }
    Q_DISABLE_COPY_MOVE(TestServer)

    bool listen(QString *error) { return m_server->listen(error); }
    TaskEngine &engine() { return *m_engine; }
    HeadwayServer &server() { return *m_server; }

private:
    QTemporaryDir m_dir;
    TaskTypeRegistry m_registry;
    std::unique_ptr<TaskEngine> m_engine;
    std::unique_ptr<HeadwayServer> m_server;
};
