// One vocabulary in the window and the page: the page's words, checked against tests/terms.json,
// the same table tests/ui/tst_taskformat.cpp checks the window's TaskFormat against.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage, startServer } from './harness.mjs';

const TIMEOUT = 20000;
const TERMS = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'terms.json'), 'utf8'));

let server;
let browser;
const opened = [];

before(async () => {
    server = await startServer();
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
    await server?.close();
});

afterEach(async () => {
    for (const o of opened.splice(0))
        await o.context.close().catch(() => {});
});

async function open(options) {
    const o = await openPage(browser, server, options);
    opened.push(o);
    await o.page.locator('#connection[data-status="live"]').waitFor({ timeout: TIMEOUT });
    return o;
}

function row(page, title) {
    return page.locator('li.hw-task', { has: page.locator('.hw-title', { hasText: title }) });
}

async function post(page, path, body) {
    return page.evaluate(async ([p, b]) => {
        const r = await fetch(p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: b === null ? undefined : JSON.stringify(b) });
        if (!r.ok)
            throw new Error(`POST ${p}: ${r.status} ${await r.text()}`);
        return r.json();
    }, [path, body]);
}

function hex(rgb) {
    const m = /^rgba?\((\d+), (\d+), (\d+)/.exec(rgb);
    assert.ok(m, rgb);
    return `#${m.slice(1, 4).map((n) => Number(n).toString(16).padStart(2, '0')).join('')}`;
}

describe('the page speaks the words of tests/terms.json', () => {
    test('states, summary, amounts, speeds, time left and attempts', async () => {
        const { page } = await open();
        const got = await page.evaluate(async (terms) => {
            const f = await import('/js/format.js');
            return {
                states: Object.fromEntries(Object.keys(terms.states).map((s) => [s, f.stateLabel(s)])),
                summary: terms.summary.map((c) => f.formatCounts(c.counts)),
                processed: terms.processed.map((c) => f.formatProcessed({ processed: c.processed, total: c.total, unit: c.unit })),
                speed: terms.speed.map((c) => f.formatSpeed(c.speed, c.unit)),
                eta: terms.eta.map((c) => `${f.formatEta(c.seconds)} left`),
                attempt: terms.attempt.map((c) => f.formatAttempt(c.attempt, c.max_retries)),
            };
        }, TERMS);
        assert.deepEqual(got.states, TERMS.states);
        assert.deepEqual(got.summary, TERMS.summary.map((c) => c.text));
        assert.deepEqual(got.processed, TERMS.processed.map((c) => c.text));
        assert.deepEqual(got.speed, TERMS.speed.map((c) => c.text));
        assert.deepEqual(got.eta, TERMS.eta.map((c) => c.text));
        assert.deepEqual(got.attempt, TERMS.attempt.map((c) => c.text));
    });

    test('the checksum algorithms by their names; no Celery without a broker', async () => {
        const { page } = await open({ viewport: { width: 1280, height: 900 } });
        const kinds = await page.locator('#task-type option').allTextContents();
        assert.ok(kinds.includes('Checksum a file'), kinds.join(', '));
        assert.ok(!kinds.some((k) => /celery/i.test(k)), `offered without a broker: ${kinds.join(', ')}`);
        await page.locator('#task-type').selectOption('checksum');
        const options = await page.locator('#param-algorithm option:not([value=""])').allTextContents();
        assert.deepEqual(options, Object.values(TERMS.algorithms));
    });

    for (const colorScheme of ['light', 'dark']) {
        test(`bars have the window's colour per state (${colorScheme})`, async () => {
            const { page } = await open({ colorScheme, viewport: { width: 1280, height: 900 } });
            const stamp = Date.now();
            const made = {
                succeeded: await post(page, '/api/v1/tasks', { type: 'demo', title: `ok ${stamp}`, params: { steps: 1, delay_ms: 0 } }),
                failed: await post(page, '/api/v1/tasks', { type: 'demo', title: `bad ${stamp}`, params: { steps: 2, delay_ms: 0, fail_at_step: 1 } }),
                paused: await post(page, '/api/v1/tasks', { type: 'demo', title: `hold ${stamp}`, params: { steps: 100, delay_ms: 200 } }),
                canceled: await post(page, '/api/v1/tasks', { type: 'demo', title: `stop ${stamp}`, params: { steps: 100, delay_ms: 200 } }),
            };
            const titles = { succeeded: `ok ${stamp}`, failed: `bad ${stamp}`, paused: `hold ${stamp}`, canceled: `stop ${stamp}` };
            await row(page, titles.paused).locator('.hw-state:text-is("Running")').waitFor({ timeout: TIMEOUT });
            await post(page, `/api/v1/tasks/${made.paused.id}/pause`, null);
            await row(page, titles.canceled).locator('.hw-state:text-is("Running")').waitFor({ timeout: TIMEOUT });
            await post(page, `/api/v1/tasks/${made.canceled.id}/cancel`, null);
            for (const [state, title] of Object.entries(titles)) {
                const card = row(page, title);
                await card.locator(`.hw-state:text-is("${TERMS.states[state]}")`).waitFor({ timeout: TIMEOUT });
                const bg = await card.locator('.hw-bar-fill').evaluate((el) => getComputedStyle(el).backgroundColor);
                assert.equal(hex(bg), TERMS.barColors[colorScheme][state], `${state} bar`);
            }
            await post(page, `/api/v1/tasks/${made.paused.id}/cancel`, null);
        });
    }
});
