// Calls Headway's REST API from the page. Same origin, so the HttpOnly session cookie set by
// the ?token= link authenticates every call; errors become ApiError with words for people.
import { ApiError, errorFromResponse, networkError } from './errors.js';

async function readJson(response) {
    const text = await response.text();
    if (!text)
        return null;
    try {
        return JSON.parse(text);
    } catch {
        return null;
    }
}

/** fetch() + JSON both ways; resolves with the parsed body, rejects with ApiError. */
export async function request(method, path, body, { signal } = {}) {
    const init = { method, credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' }, signal };
    if (body !== undefined) {
        init.headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
    }
    let response;
    try {
        response = await fetch(path, init);
    } catch (e) {
        if (e && e.name === 'AbortError')
            throw e;
        throw networkError();
    }
    const data = await readJson(response);
    if (!response.ok)
        throw errorFromResponse(response.status, data);
    return data;
}

export const api = {
    taskTypes: () => request('GET', '/api/v1/task-types'),
    sync: (rid, options) => request('GET', `/api/v1/sync?rid=${encodeURIComponent(rid)}`, undefined, options),
    submit: (spec) => request('POST', '/api/v1/tasks', spec),
    // The server's verdict on a task request, nothing started: {valid, errors, warnings}.
    check: (spec) => request('POST', '/api/v1/task-checks', spec),
    act: (method, path) => request(method, path),
    output: (id) => request('GET', `/api/v1/tasks/${encodeURIComponent(id)}/output`),
    removeFinished: () => request('DELETE', '/api/v1/tasks?state=finished'),
};

export { ApiError };
