#include "tasksource.h"

TaskSource::~TaskSource() = default;
