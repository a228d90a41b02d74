#include "tasktracker.h"

TaskTracker::~TaskTracker() = default;
