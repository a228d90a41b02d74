import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowedActions, canDo, actionRequest, isFinished, isActive } from '../../../web/js/transitions.js';

// Mirrors app/core/taskstate.cpp: the buttons each state enables.
const expected = {
    queued: ['cancel'],
    running: ['pause', 'cancel'],
    paused: ['resume', 'cancel'],
    retrying: ['cancel'],
    succeeded: ['remove'],
    failed: ['retry', 'remove'],
    canceled: ['retry', 'remove'],
    interrupted: ['retry', 'remove'],
    bogus: [],
};

for (const [state, actions] of Object.entries(expected)) {
    test(`actions for ${state}`, () => {
        const allowed = allowedActions(state);
        assert.deepEqual(Object.keys(allowed).filter((a) => allowed[a]).sort(), [...actions].sort());
    });
}

test('finished and active are complementary for known states', () => {
    for (const s of ['queued', 'running', 'paused', 'retrying', 'succeeded', 'failed', 'canceled', 'interrupted'])
        assert.notEqual(isFinished(s), isActive(s), s);
    assert.equal(canDo('explode', 'running'), false);
});

test('action requests', () => {
    assert.deepEqual(actionRequest('cancel', 'ab'), { method: 'POST', path: '/api/v1/tasks/ab/cancel' });
    assert.deepEqual(actionRequest('remove', 'a/b'), { method: 'DELETE', path: '/api/v1/tasks/a%2Fb' });
    assert.throws(() => actionRequest('explode', 'x'));
});
