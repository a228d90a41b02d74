import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorFromResponse, networkError, splitField, stepPath, stepMessage, ApiError } from '../../../web/js/errors.js';
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

test('field paths keep the step they name', () => {
    assert.deepEqual(splitField('params.steps'), { top: 'steps', rest: '' });
    assert.deepEqual(splitField('params.steps[1].params.source'), { top: 'steps', rest: '[1].params.source' });
    assert.deepEqual(splitField('type'), { top: 'type', rest: '' });
    assert.deepEqual(splitField('params.arguments[0]'), { top: 'arguments', rest: '[0]' });
    assert.deepEqual(stepPath('[1].params.source'), { index: 1, sub: 'params.source' });
    assert.deepEqual(stepPath('[0]'), { index: 0, sub: '' });
    assert.equal(stepPath('.x'), null);
    assert.equal(stepMessage(1, 'copy', 'Source', 'This parameter is required.'), 'Step 2 (copy): Source: This parameter is required.');
    assert.equal(stepMessage(0, 'demo', '', 'Must be an object.'), 'Step 1 (demo): Must be an object.');
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
