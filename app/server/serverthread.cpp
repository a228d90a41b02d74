#include "serverthread.h"

#include "app/core/enginecall.h"
#include "app/core/taskengine.h"

using namespace Qt::StringLiterals;

ServerThread::ServerThread(TaskEngine &engine, ServerOptions options, QObject *parent)
    : QObject(parent), m_engine(engine), m_options(std::move(options))
{
}

ServerThread::~ServerThread()
{
    stop();
}

bool ServerThread::start(QString *errorMessage)
{
    stop();
    m_call = std::make_shared<EngineCall>(&m_engine);
    m_options.engineCall = m_call;
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(u"headway-server"_s);
    m_context = new QObject;
    m_context->moveToThread(m_thread.get());
    m_thread->start();

    bool listening = false;
    QString error;
    // Building it attaches it to the engine (its hub, the upload driver): runOn serves those
    // calls meanwhile.
    m_call->runOn(m_context, [&] {
        m_server = new HeadwayServer(m_engine, m_options);
        listening = m_server->listen(&error);
        m_port = m_server->port();
        m_token = m_server->token();
        m_pageUrl = m_server->pageUrl(false);
        m_pageUrlToken = m_server->pageUrl(true);
    });
    if (!listening) {
        stop();
        if (errorMessage)
            *errorMessage = error;
        return false;
    }
    return true;
}

void ServerThread::withServer(const std::function<void(HeadwayServer &)> &f)
{
    if (m_server)
        m_call->runOn(m_context, [&] { f(*m_server); });
}

void ServerThread::stop()
{
    if (!m_thread)
        return;
    // Requests waiting for the engine give up now (503); the server's teardown still detaches
    // it from the engine, served by runOn while this thread waits.
    m_call->close();
    m_call->runOn(m_context, [this] {
        delete m_server;
        m_server = nullptr;
    });
    m_thread->quit();
    m_thread->wait();
    delete m_context; // its thread has ended
    m_context = nullptr;
    m_thread.reset();
    m_options.engineCall.reset();
    m_call.reset();
}
