#pragma once

class TaskTypeRegistry;

// Registers the external task type "celery": {"task": "tasks.resize", "args": [], "kwargs": {},
// "queue": "celery", "countdown": null}. Its tasks run on a Celery cluster through a
// CeleryDriver set with TaskEngine::setExternalDriver("celery", ...); without one the engine
// cancels them with "no backend is connected".
void registerCeleryTaskType(TaskTypeRegistry &registry);
