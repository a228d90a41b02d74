#pragma once

#include "app/core/tasktracker.h"
#include "app/progress/installermanifest.h"
#include "app/progress/progressmodel.h"

#include <memory>

class TaskEngine;
class TaskTypeRegistry;

// One `headway run MANIFEST.json`: the manifest's steps run as one `pipeline` task through the
// engine (its workers, its cancel of a command's process group, its smoothed ETA); every
// snapshot of that task is mirrored into a ProgressModel for the window or the terminal.
// ended() tells the view the result; close() (the window's Close, or the terminal at once)
// emits finished() with the exit status: 0 succeeded, 1 failed, 3 canceled.
class InstallerSession final : public TaskTracker
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InstallerSession)

public:
    InstallerSession(const TaskTypeRegistry &registry, InstallerManifest manifest,
                     QObject *parent = nullptr);
    ~InstallerSession() override;

    bool start(QString *error);
    void cancel();
    void close();

    const InstallerManifest &manifest() const { return m_manifest; }
    ProgressModel &model() { return m_model; }
    bool hasEnded() const { return m_status >= 0; }
    int exitStatus() const { return m_status; }
    int failedStep() const { return m_failedStep; } // -1 = none
    QString errorText() const { return m_errorText; }

    static constexpr int kExitFailed = 1;
    static constexpr int kExitBadManifest = 2;
    static constexpr int kExitCanceled = 3;

    void tasksChanged(const TaskEvents &events) override;
    // Mirrors one snapshot of the pipeline task (the engine's events; screenshots hand one in).
    void apply(const TaskSnapshot &task);

Q_SIGNALS:
    void ended(int status);
    void finished(int status);

private:
    InstallerManifest m_manifest;
    std::unique_ptr<TaskEngine> m_engine;
    ProgressModel m_model;
    QString m_taskId;
    int m_status = -1;
    int m_failedStep = -1;
    QString m_errorText;
};
