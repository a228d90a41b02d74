import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIONS, canDo, actionRequest, isFinished, isActive } from '../../../web/js/transitions.js';

// The page keeps no copy of the state machine: the buttons follow the task's own "actions".
const cases = [
    { name: 'running built-in task', task: { state: 'running', actions: ['cancel', 'pause'] }, enabled: ['cancel', 'pause'] },
    { name: 'running upload (not pausable)', task: { state: 'running', actions: ['cancel'] }, enabled: ['cancel'] },
    { name: 'failed external task (not retryable)', task: { state: 'failed', actions: ['remove'] }, enabled: ['remove'] },
    { name: 'canceling', task: { state: 'running', actions: [] }, enabled: [] },
    { name: 'no actions field', task: { state: 'running' }, enabled: [] },
    { name: 'unknown action name ignored', task: { state: 'running', actions: ['explode'] }, enabled: [] },
];

for (const { name, task, enabled } of cases) {
    test(`buttons for a ${name}`, () => {
        assert.deepEqual(ACTIONS.filter((a) => canDo(a, task)).sort(), [...enabled].sort());
    });
}

test('no task, no action', () => {
    assert.equal(canDo('cancel', undefined), false);
    assert.equal(canDo('cancel', null), false);
});

test('finished and active are complementary for known states', () => {
    for (const s of ['queued', 'running', 'paused', 'retrying', 'succeeded', 'failed', 'canceled', 'interrupted'])
        assert.notEqual(isFinished(s), isActive(s), s);
});

test('action requests', () => {
    assert.deepEqual(actionRequest('cancel', 'ab'), { method: 'POST', path: '/api/v1/tasks/ab/cancel' });
    assert.deepEqual(actionRequest('remove', 'a/b'), { method: 'DELETE', path: '/api/v1/tasks/a%2Fb' });
    assert.throws(() => actionRequest('explode', 'x'));
});
