#pragma once

#include "headwayserver.h"

#include <QObject>
#include <QString>
#include <QThread>
#include <QUrl>

#include <functional>
#include <memory>

class EngineCall;
class TaskEngine;

// The HTTP server on a thread of its own ("headway-server"), the engine and the window staying
// on the main thread: a 1 GiB upload or fifty pollers never stall a frame. HeadwayServer and
// everything it owns (QHttpServer, the transport guard, the sync hub, the push clients, the
// upload receiving) is built, run and destroyed on that thread; it reaches the engine through
// an EngineCall (one call per request that needs it, uploads' progress posted), and the
// engine's events reach its hub queued, as every tracker's do.
//
// Made and used on the engine's thread. stop() (also the destructor) closes the EngineCall
// first, so requests still waiting for the engine get 503 shutting_down at once, then destroys
// the server on its thread (answers being written are written: the sockets close after them),
// then ends the thread.
class ServerThread final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerThread)

public:
    ServerThread(TaskEngine &engine, ServerOptions options, QObject *parent = nullptr);
    ~ServerThread() override;

    // Builds the server on its thread and listens; false with a readable message (port busy,
    // bad token file...), the thread ended again.
    bool start(QString *errorMessage);
    void stop();
    bool isRunning() const { return m_server != nullptr; }

    // What the server said at start (copies: no call to its thread).
    quint16 port() const { return m_port; }
    QString token() const { return m_token; }
    QUrl pageUrl(bool withToken = true) const { return withToken ? m_pageUrlToken : m_pageUrl; }

    // Runs f with the server on the server's thread and returns when it has (setting it up:
    // the workers provider, the demo task; tests read it this way).
    void withServer(const std::function<void(HeadwayServer &)> &f);
    // The server object, to compare its thread (never use it from this thread).
    const QObject *serverObject() const { return m_server; }
    EngineCall &engineCall() const { return *m_call; }

private:
    TaskEngine &m_engine;
    ServerOptions m_options;
    std::shared_ptr<EngineCall> m_call;
    std::unique_ptr<QThread> m_thread;
    QObject *m_context = nullptr; // lives on m_thread: what calls to it are posted to
    HeadwayServer *m_server = nullptr; // built and destroyed on m_thread
    quint16 m_port = 0;
    QString m_token;
    QUrl m_pageUrl;
    QUrl m_pageUrlToken;
};
