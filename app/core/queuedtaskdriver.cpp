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
    if (m_context->thread() == QThread::currentThread()) {
        m_target->startTask(task);
        return;
    }
    static TsanPostGate gate; // from the engine's thread to the driver's
    ExternalTaskDriver *target = m_target;
    const auto posting = gate.post();
    QMetaObject::invokeMethod(
        m_context,
        [target, task] {
            gate.pass();
            target->startTask(task);
        },
        Qt::QueuedConnection);
}

void QueuedTaskDriver::cancelTask(const TaskSnapshot &task)
{
    if (m_context->thread() == QThread::currentThread()) {
        m_target->cancelTask(task);
        return;
    }
    static TsanPostGate gate; // from the engine's thread to the driver's
    ExternalTaskDriver *target = m_target;
    const auto posting = gate.post();
    QMetaObject::invokeMethod(
        m_context,
        [target, task] {
            gate.pass();
            target->cancelTask(task);
        },
        Qt::QueuedConnection);
}
