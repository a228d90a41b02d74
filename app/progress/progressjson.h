#pragma once

#include "app/progress/progressmodel.h"

#include <QByteArray>
#include <QJsonObject>
#include <QObject>

#include <cstdio>

// --json: one JSON object per line on stdout for another program to read, per change of the
// model ({"percent", "text", "pulsate", "bars"?, "step", "steps", "eta", "state"}), per log line
// ({"log": "..."}), and a last one with the exit status ({"state", "exit"}).
class ProgressJson final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProgressJson)

public:
    ProgressJson(ProgressModel &model, FILE *out, QObject *parent = nullptr);

    void finish(int exitStatus);
    static QJsonObject stateJson(const ProgressModel &model);

private:
    void write(const QJsonObject &object);

    ProgressModel &m_model;
    FILE *m_out;
    QByteArray m_last;
};
