#include "queuedtaskdriver.h"

#include "tasksnapshot.h"
#include "tsanpostgate.h"

#include <QObject>
#include <QThread>

QueuedTaskDriver::QueuedTaskDriver(QObject *context, ExternalTaskDriver *target)
    : m_context(context), m_target(target)
{
}

void QueuedTaskDriver::startTask(const TaskSnapshot &task)
{
    forward(task, &ExternalTaskDriver::startTask);
}

void QueuedTaskDriver::cancelTask(const TaskSnapshot &task)
{
    forward(task, &ExternalTaskDriver::cancelTask);
}

void QueuedTaskDriver::forward(const TaskSnapshot &task, Call call)
{
    if (m_context->thread() == QThread::currentThread()) {
        (m_target->*call)(task);
        return;
    }
    static TsanPostGate gate; // from the engine's thread to the driver's
    ExternalTaskDriver *target = m_target;
    const auto posting = gate.post();
    QMetaObject::invokeMethod(
        m_context,
        [target, task, call] {
            gate.pass();
            (target->*call)(task);
        },
        Qt::QueuedConnection);
}
