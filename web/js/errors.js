// Says what went wrong in plain words, from an API error body {"error": {code, message, fields}}
// or a failed fetch. Pure, unit-tested.

const BY_CODE = {
    not_found: 'That task no longer exists.',
    invalid_transition: 'That is not possible in the task\'s current state.',
    not_finished: 'Only finished tasks can be removed.',
    unknown_type: 'Headway does not know that kind of task.',
    invalid_params: 'Some fields need fixing.',
};

const BY_STATUS = {
    400: 'Headway could not understand the request.',
    401: 'This page is no longer signed in to Headway. Open the link Headway printed (or its window) again.',
    403: 'Headway refused the request from this page.',
    404: 'Headway does not have that.',
    405: 'Headway does not allow that here.',
    409: 'That is not possible in the task\'s current state.',
    413: 'That is too large for Headway to accept.',
    415: 'Headway expected JSON.',
    429: 'Too many tries: wait a moment and try again.',
};

/** An error from a call to Headway: status (0 = no answer), code, message for people, fields. */
export class ApiError extends Error {
    constructor({ status = 0, code = '', message = '', fields = [] } = {}) {
        super(message);
        this.name = 'ApiError';
        this.status = status;
        this.code = code;
        this.fields = fields;
    }
}

/** Builds an ApiError from an HTTP status and the parsed body (or null when not JSON). */
export function errorFromResponse(status, body) {
    const err = body && typeof body === 'object' && body.error && typeof body.error === 'object' ? body.error : {};
    const code = typeof err.code === 'string' ? err.code : '';
    const serverMessage = typeof err.message === 'string' ? err.message.trim() : '';
    const fields = Array.isArray(err.fields)
        ? err.fields.filter((f) => f && typeof f.field === 'string').map((f) => ({ field: f.field, message: String(f.message || '') }))
        : [];
    let message = serverMessage;
    if (!message)
        message = BY_CODE[code] || BY_STATUS[status] || (status >= 500 ? 'Headway hit an internal error. Try again.' : `Headway answered with an error (HTTP ${status}).`);
    // The server's words are already plain; 401 gets ours since it needs an instruction.
    if (status === 401)
        message = BY_STATUS[401];
    return new ApiError({ status, code, message, fields });
}

/** For a fetch that got no answer at all (app closed, network down). */
export function networkError() {
    return new ApiError({ status: 0, code: 'network', message: 'Cannot reach Headway. Is it still running?' });
}

/** "params.steps[1].params.source" -> {top: "steps", rest: "[1].params.source"}; "type" -> {top: "type", rest: ""}. */
export function splitField(field) {
    const name = field.startsWith('params.') ? field.slice('params.'.length) : field;
    const cut = name.search(/[.[]/);
    return cut < 0 ? { top: name, rest: '' } : { top: name.slice(0, cut), rest: name.slice(cut) };
}

/** "[1].params.source" -> {index: 1, sub: "params.source"}; null when it names no step. */
export function stepPath(rest) {
    const m = /^\[(\d+)\]\.?(.*)$/.exec(rest || '');
    return m ? { index: Number(m[1]), sub: m[2] } : null;
}

/** The line that names a step's problem: "Step 2 (copy): Source: This parameter is required." */
export function stepMessage(index, type, where, message) {
    const head = `Step ${index + 1} (${type})`;
    return where ? `${head}: ${where}: ${message}` : `${head}: ${message}`;
}
