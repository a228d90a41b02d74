#pragma once

#include "apiclient.h"

#include <QEventLoop>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>

class QWebSocket;

// Follows tasks live over the WebSocket (/api/v1/sync polling when that fails) for `watch`,
// `wait` and `submit --wait`: bars redrawn in place on a terminal (at most 10 times a
// second), one plain line per change on a pipe, or the API's task JSON, one line per change.
class TaskWatch final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TaskWatch)

public:
    enum class Output { None, Bars, Lines, Json };

    // `ids` empty: every task active when watching starts or added later, until interrupted.
    TaskWatch(ApiClient &client, QStringList ids, Output output, QObject *parent = nullptr);
    ~TaskWatch() override;

    // Returns once all the given tasks ended, with the exit status of their outcomes.
    int run();

private:
    void openSocket();
    void poll();
    void apply(const QJsonObject &diff);
    void changed(const QString &id);
    void draw();
    void finishIfDone();
    void stop(int status);

    ApiClient &m_client;
    QStringList m_ids; // shown, in order
    const bool m_followAll;
    const Output m_output;
    std::unique_ptr<QWebSocket> m_socket;
    QTimer m_pollTimer;
    QTimer m_drawTimer;
    QEventLoop m_loop;
    QHash<QString, QJsonObject> m_tasks;
    QHash<QString, QString> m_printed; // Lines/Json: what was written last per task
    QStringList m_gone; // watched and removed meanwhile
    qint64 m_rid = 0;
    int m_drawnLines = 0;
    bool m_seen = false; // a first snapshot arrived
    int m_status = 0;
};
