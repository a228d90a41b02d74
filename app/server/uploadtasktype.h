#pragma once

class TaskTypeRegistry;

// Registers the "upload" task type: an external task (no runner) whose driver is the server's
// UploadDriver. Its params are {filename, size}; tasks of this type are created by
// POST /api/v1/uploads (tus), never by POST /api/v1/tasks (those end at once with an error).
void registerUploadTaskType(TaskTypeRegistry &registry);
