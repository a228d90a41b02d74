import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpeedMeter } from '../../../web/js/uploads.js';

const MiB = 1024 * 1024;

test('unknown until there are two samples', () => {
    const m = new SpeedMeter();
    assert.equal(m.speed(), 0);
    m.add(0, 0);
    assert.equal(m.speed(), 0);
});

test('a quarter second of samples gives the rate', () => {
    const m = new SpeedMeter();
    m.add(0, 0);
    m.add(100, 100 * 1024);
    assert.equal(m.speed(), 0, 'a tenth of a second and 100 KiB: too little to tell');
    m.add(250, 250 * 1024);
    assert.equal(m.speed(), 1000 * 1024);
});

test('a fast link: a megabyte within a quarter second is enough', () => {
    const m = new SpeedMeter();
    m.add(0, 0);
    m.add(100, 16 * MiB);
    assert.equal(m.speed(), 160 * MiB);
});

test('samples at the same instant say nothing', () => {
    const m = new SpeedMeter();
    m.add(5, 0);
    m.add(5, 8 * MiB);
    assert.equal(m.speed(), 0);
});

test('the window forgets old samples; fewer bytes (a failed chunk) start again', () => {
    const m = new SpeedMeter(1000);
    m.add(0, 0);
    m.add(500, 10 * MiB); // 20 MiB/s
    m.add(2000, 12 * MiB);
    m.add(2500, 13 * MiB); // the window now holds 2000..2500: 2 MiB/s
    assert.equal(m.speed(), 2 * MiB);
    m.add(2600, 4 * MiB);
    assert.equal(m.speed(), 0);
});
