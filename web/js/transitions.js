// The task actions the page offers, and which states count as finished or active.

export const ACTIONS = ['pause', 'resume', 'cancel', 'retry', 'remove'];

const FINISHED = new Set(['succeeded', 'failed', 'canceled', 'interrupted']);

export function isFinished(state) {
    return FINISHED.has(state);
}

/** True while something may still happen to the task on its own (progress, a next attempt). */
export function isActive(state) {
    return state === 'queued' || state === 'running' || state === 'paused' || state === 'retrying';
}

/**
 * Does the task allow `action` (pause|resume|cancel|retry|remove) now? The engine works it out
 * from the task's state and its runner and ships it as `task.actions`; the server stays the
 * judge (409), this only decides which buttons are enabled.
 */
export function canDo(action, task) {
    return Array.isArray(task?.actions) && task.actions.includes(action);
}

/** The REST call for an action: {method, path}. */
export function actionRequest(action, id) {
    const path = `/api/v1/tasks/${encodeURIComponent(id)}`;
    if (action === 'remove')
        return { method: 'DELETE', path };
    if (!ACTIONS.includes(action))
        throw new Error(`Unknown action ${action}`);
    return { method: 'POST', path: `${path}/${action}` };
}
