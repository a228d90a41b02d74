#pragma once

class TaskTypeRegistry;

// The "external" task type: a task that another process runs and reports through
// POST /api/v1/tasks/ID/report and /finish (ReportApi drives it).
void registerReportTaskType(TaskTypeRegistry &registry);
