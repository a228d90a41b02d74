// Which actions a task's state allows: the page's copy of the engine's state machine
// (app/core/taskstate.cpp). The server stays the judge (409 on an illegal transition); this
// only decides which buttons are enabled.

export const ACTIONS = ['pause', 'resume', 'cancel', 'retry', 'remove'];

const FINISHED = new Set(['succeeded', 'failed', 'canceled', 'interrupted']);
const RETRYABLE = new Set(['failed', 'canceled', 'interrupted']);

export function isFinished(state) {
    return FINISHED.has(state);
}

export function isRetryable(state) {
    return RETRYABLE.has(state);
}

/** True while something may still happen to the task on its own (progress, a next attempt). */
export function isActive(state) {
    return state === 'queued' || state === 'running' || state === 'paused' || state === 'retrying';
}

/** Is `action` (pause|resume|cancel|retry|remove) legal in `state`? */
export function canDo(action, state) {
    switch (action) {
    case 'cancel':
        return state === 'queued' || state === 'running' || state === 'paused' || state === 'retrying';
    case 'pause':
        return state === 'running';
    case 'resume':
        return state === 'paused';
    case 'retry':
        return RETRYABLE.has(state);
    case 'remove':
        return FINISHED.has(state);
    default:
        return false;
    }
}

/** {pause, resume, cancel, retry, remove} -> enabled? for one state. */
export function allowedActions(state) {
    const result = {};
    for (const a of ACTIONS)
        result[a] = canDo(a, state);
    return result;
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
