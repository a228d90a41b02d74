#include "taskcapabilities.h"

#include "tasktype.h"

TaskCapabilities taskCapabilities(const TaskType *type, bool external)
{
    TaskCapabilities c = type ? type->capabilities : TaskCapabilities {};
    if (external)
        c.pausable = false; // its runner is elsewhere: nothing here could hold it
    return c;
}
