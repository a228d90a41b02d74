#include "taskrunner.h"

TaskRunner::~TaskRunner() = default;
