import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatAmount, formatProcessed, formatSpeed, formatEta, formatPercent, clampPercent, stateLabel, formatStep, formatCounts, formatAttempt } from '../../../web/js/format.js';

const rows = (fn, cases) => {
    for (const [input, expected] of cases)
        assert.equal(fn(...(Array.isArray(input) ? input : [input])), expected, `${JSON.stringify(input)}`);
};

test('formatBytes', () => rows(formatBytes, [
    [0, '0 B'], [1023, '1023 B'], [1024, '1 KiB'], [1536, '1.5 KiB'], [10 * 1024, '10 KiB'],
    [1048575, '1 MiB'], [5.25 * 1024 ** 3, '5.3 GiB'], [123.4 * 1024 ** 2, '123 MiB'], [-1, ''], [NaN, ''],
]));

test('formatAmount', () => rows(formatAmount, [
    [[3, 'files'], '3 files'], [[3, ''], '3'], [[2048, 'bytes'], '2 KiB'], [[2.5, 'items'], '2.5 items'], [[null, 'x'], ''],
]));

test('formatProcessed', () => rows(formatProcessed, [
    [{ processed: 12 * 1024 ** 2, total: 100 * 1024 ** 2, unit: 'bytes' }, '12 MiB of 100 MiB'],
    [{ processed: 3, total: 10, unit: 'files' }, '3 of 10 files'],
    [{ processed: 7, total: null, unit: 'files' }, '7 files'],
    [{ processed: 0, total: null, unit: '' }, ''],
    [{ processed: 0, total: 5, unit: '' }, '0 of 5'],
    [null, ''],
]));

test('formatSpeed', () => rows(formatSpeed, [
    [[1048576, 'bytes'], '1 MiB/s'], [[2.5, 'files'], '2.5 files/s'], [[0.333, 'items'], '0.33 items/s'],
    [[12.34, ''], '12.3 items/s'], [[250.4, 'files'], '250 files/s'], [[0, 'bytes'], ''], [[NaN, 'x'], ''],
]));

// The same rows as TaskFormat::duration's in tests/ui/tst_taskformat.cpp: both views say it alike.
test('formatEta', () => rows(formatEta, [
    [0, '0 s'], [5, '5 s'], [59.4, '59 s'], [60, '1 min'], [80, '1 min 20 s'], [65, '1 min 5 s'], [3600, '1 h'],
    [7500, '2 h 5 min'], [86400, '1 d'], [200000, '2 d 7 h'], [null, ''], [undefined, ''], [-3, ''], [Infinity, ''],
]));

test('formatPercent', () => rows(formatPercent, [
    [0, '0%'], [0.4, '<1%'], [42.345, '42%'], [99.4, '99%'], [99.96, '99.9%'], [100, '100%'], [130, '100%'], [null, ''],
]));

test('clampPercent', () => rows(clampPercent, [[-5, 0], [50, 50], [101, 100], [null, null], [NaN, null]]));

test('stateLabel', () => rows(stateLabel, [['running', 'Running'], ['interrupted', 'Interrupted'], ['weird', 'weird'], ['', 'Unknown']]));

test('formatStep', () => rows(formatStep, [
    [{ steps: ['Fetch', 'Hash', 'Copy'], step: 1 }, 'Step 2 of 3: Hash'],
    [{ steps: ['Fetch', 'Hash'], step: -1 }, '2 steps'],
    [{ steps: ['A', 'B'], step: 2 }, 'All 2 steps done'],
    [{ steps: [], step: 0 }, ''],
    [{}, ''],
]));

test('formatCounts', () => rows(formatCounts, [
    [{ running: 2, queued: 1, succeeded: 2, failed: 1 }, '2 running · 1 queued · 3 finished'],
    // The same words as the window's status bar (tst_mainwindow statusBarSaysEachState).
    [{ running: 1, queued: 2, paused: 1, retrying: 1, canceled: 1, interrupted: 1 }, '1 running · 2 queued · 1 paused · 1 retrying · 1 finished · 1 interrupted'],
    [{ paused: 1, canceled: 1, interrupted: 2 }, '1 paused · 1 finished · 2 interrupted'],
    [{ interrupted: 1 }, '1 interrupted'],
    [{}, ''],
    [null, ''],
]));

test('formatAttempt', () => rows(formatAttempt, [
    [[1, 0], ''],
    [[2, 0], 'attempt 2'],
    [[2, 2], 'attempt 2 of 3'],
    [[undefined, 2], ''],
]));
