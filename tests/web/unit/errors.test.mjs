import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorFromResponse, networkError, fieldErrorsByName, ApiError } from '../../../web/js/errors.js';
import { backoffDelay, pollDelay } from '../../../web/js/backoff.js';

test('server message is kept, fields parsed', () => {
    const e = errorFromResponse(400, { error: { code: 'invalid_params', message: 'Invalid parameters for "demo": params.steps: Must be at least 1.', fields: [{ field: 'params.steps', message: 'Must be at least 1.' }, { bad: 1 }] } });
    assert.ok(e instanceof ApiError);
    assert.equal(e.status, 400);
    assert.equal(e.code, 'invalid_params');
    assert.match(e.message, /Must be at least 1/);
    assert.deepEqual(e.fields, [{ field: 'params.steps', message: 'Must be at least 1.' }]);
});

test('plain words when the body says nothing', () => {
    assert.match(errorFromResponse(409, { error: { code: 'invalid_transition' } }).message, /not possible/);
    assert.match(errorFromResponse(413, null).message, /too large/);
    assert.match(errorFromResponse(502, 'junk').message, /internal error/);
    assert.match(errorFromResponse(418, {}).message, /HTTP 418/);
    assert.match(errorFromResponse(401, { error: { code: 'unauthorized', message: 'Missing token' } }).message, /Open the link/);
    assert.match(networkError().message, /Cannot reach Headway/);
    assert.equal(networkError().status, 0);
});

test('field errors map to form names', () => {
    const m = fieldErrorsByName([{ field: 'params.steps', message: 'Too big.' }, { field: 'params.steps[1].type', message: 'Bad.' }, { field: 'type', message: 'Unknown.' }]);
    assert.equal(m.get('steps'), 'Too big. Bad.');
    assert.equal(m.get('type'), 'Unknown.');
});

test('backoff doubles, caps and jitters within bounds', () => {
    const none = () => 0.5; // zero spread
    assert.equal(backoffDelay(0, { base: 500, random: none }), 500);
    assert.equal(backoffDelay(3, { base: 500, random: none }), 4000);
    assert.equal(backoffDelay(50, { base: 500, max: 30000, random: none }), 30000);
    for (let i = 0; i < 100; ++i) {
        const d = backoffDelay(2, { base: 1000, jitter: 0.2 });
        assert.ok(d >= 3200 && d <= 4800, String(d));
    }
});

test('polling is slower while hidden and after failures', () => {
    const none = () => 0.5;
    assert.equal(pollDelay({ hidden: false, random: none }), 1000);
    assert.equal(pollDelay({ hidden: true, random: none }), 10000);
    assert.equal(pollDelay({ failures: 1, random: none }), 1000);
    assert.equal(pollDelay({ failures: 3, random: none }), 4000);
    assert.equal(pollDelay({ failures: 20, random: none }), 30000);
});
