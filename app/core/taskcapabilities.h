#pragma once

#include "taskactions.h"

struct TaskType;

// What the runner of a task of `type` can do. `external`: it runs elsewhere (a cluster driver,
// an upload, an external reporter), so nothing here could hold it: never pausable. The engine
// and a fixed task source (StaticTaskSource) decide a task's actions with it.
TaskCapabilities taskCapabilities(const TaskType *type, bool external);
