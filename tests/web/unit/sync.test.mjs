import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TaskStore, isSyncMessage, mergeTask, compareTasks } from '../../../web/js/sync.js';

const task = (id, state = 'queued', extra = {}) => ({
    id, type: 'demo', title: id, state, created: `2026-01-01T00:00:0${id.slice(-1)}.000Z`,
    progress: { percent: 0, step: -1, steps: [], message: '' }, ...extra,
});

test('a full update replaces everything and sets rid', () => {
    const s = new TaskStore();
    s.apply({ rid: 3, full_update: true, tasks: [task('a1'), task('a2')], removed: [] });
    const r = s.apply({ rid: 5, full_update: true, tasks: [task('a2', 'running')], removed: [] });
    assert.equal(s.rid, 5);
    assert.deepEqual([...s.tasks.keys()], ['a2']);
    assert.deepEqual([...r.removed], ['a1']);
    assert.deepEqual(r.transitions, [{ id: 'a2', from: 'queued', to: 'running' }]);
    assert.ok(r.full);
});

test('a diff upserts changed tasks and drops removed ones', () => {
    const s = new TaskStore();
    s.apply({ rid: 1, full_update: true, tasks: [task('a1'), task('a2')] });
    const r = s.apply({ rid: 2, full_update: false, tasks: [task('a3'), { id: 'a1', state: 'running', progress: { percent: 40 } }], removed: ['a2'] });
    assert.equal(s.rid, 2);
    assert.deepEqual([...s.tasks.keys()].sort(), ['a1', 'a3']);
    assert.equal(s.tasks.get('a1').progress.percent, 40);
    assert.deepEqual(s.tasks.get('a1').progress.steps, [], 'partial progress keeps other fields');
    assert.equal(s.tasks.get('a1').title, 'a1', 'partial task keeps other fields');
    assert.deepEqual([...r.changed].sort(), ['a1', 'a3']);
    assert.deepEqual([...r.removed], ['a2']);
});

test('a stale diff is ignored, an equal-rid one applies', () => {
    const s = new TaskStore();
    s.apply({ rid: 10, full_update: true, tasks: [task('a1', 'running')] });
    const stale = s.apply({ rid: 9, tasks: [task('a1', 'queued')] });
    assert.equal(stale.applied, false);
    assert.equal(s.tasks.get('a1').state, 'running');
    const same = s.apply({ rid: 10, tasks: [task('a1', 'paused')] });
    assert.equal(same.applied, true);
    assert.equal(s.tasks.get('a1').state, 'paused');
});

test('removing an unknown id is harmless and removed wins over changed', () => {
    const s = new TaskStore();
    s.apply({ rid: 1, full_update: true, tasks: [] });
    const r = s.apply({ rid: 2, tasks: [task('a1')], removed: ['a1', 'zz'] });
    assert.equal(s.tasks.size, 0);
    assert.deepEqual([...r.changed], []);
    assert.deepEqual([...r.removed], ['a1']);
});

test('non-sync messages are not applied', () => {
    const s = new TaskStore();
    for (const m of [null, 42, 'x', [], { reply_to: 1, ok: true }, { type: 'ping' }])
        assert.equal(s.apply(m).applied, false);
    assert.equal(isSyncMessage({ tasks: [] }), true);
    assert.equal(isSyncMessage({ removed: ['x'] }), true);
});

test('tasks without an id are skipped; upsert merges a REST answer', () => {
    const s = new TaskStore();
    s.apply({ rid: 1, full_update: true, tasks: [{ title: 'no id' }, task('a1')] });
    assert.equal(s.tasks.size, 1);
    const r = s.upsert(task('a1', 'canceled'));
    assert.deepEqual(r.transitions, [{ id: 'a1', from: 'queued', to: 'canceled' }]);
    assert.equal(s.rid, 1, 'a REST answer has no rid and keeps ours');
});

test('order is newest first and counts add up', () => {
    const s = new TaskStore();
    s.apply({ rid: 1, full_update: true, tasks: [task('a1', 'running'), task('a3'), task('a2', 'running')] });
    assert.deepEqual(s.ordered().map((t) => t.id), ['a3', 'a2', 'a1']);
    assert.deepEqual(s.counts(), { running: 2, queued: 1 });
    assert.equal(compareTasks({ id: 'b', created: 'x' }, { id: 'a', created: 'x' }), -1);
});

test('mergeTask without an old task copies', () => {
    const p = { id: 'a', progress: { percent: 1 } };
    const m = mergeTask(undefined, p);
    assert.deepEqual(m, p);
    assert.notEqual(m, p);
});

test('1000 tasks with 1000 diffs stay fast', () => {
    const s = new TaskStore();
    const all = Array.from({ length: 1000 }, (_, i) => task(`t${i}`, 'running'));
    s.apply({ rid: 1, full_update: true, tasks: all });
    const t0 = performance.now();
    for (let rid = 2; rid < 1002; ++rid)
        s.apply({ rid, tasks: [{ id: `t${rid % 1000}`, progress: { percent: rid % 100 } }] });
    assert.ok(performance.now() - t0 < 500);
    assert.equal(s.tasks.size, 1000);
});
