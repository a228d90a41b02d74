#pragma once

#include "externaltaskdriver.h"

class QObject;

// An ExternalTaskDriver for a driver that lives on another thread than the engine (the upload
// driver on the server's thread): the engine's calls are posted to the driver's thread (its
// context object) and return at once; on the same thread they are made directly. Whoever
// owns it unregisters it from the engine before the context object goes.
class QueuedTaskDriver final : public ExternalTaskDriver
{
public:
    QueuedTaskDriver(QObject *context, ExternalTaskDriver *target);
    QueuedTaskDriver(const QueuedTaskDriver &) = delete;
    QueuedTaskDriver &operator=(const QueuedTaskDriver &) = delete;

    void startTask(const TaskSnapshot &task) override;
    void cancelTask(const TaskSnapshot &task) override;

private:
    using Call = void (ExternalTaskDriver::*)(const TaskSnapshot &);
    // Directly on the driver's thread, else posted there.
    void forward(const TaskSnapshot &task, Call call);

    QObject *m_context;
    ExternalTaskDriver *m_target;
};
