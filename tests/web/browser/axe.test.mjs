// axe-core on the page: no accessibility violations in light and dark, wide and narrow, with
// tasks in every state on the list.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startServer, launchBrowser, openPage } from './harness.mjs';

const TIMEOUT = 30000;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server;
let browser;
before(async () => {
    server = await startServer();
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await server?.close();
});

// A finished, a failed and a running task, so badges, bars, errors and buttons are all drawn.
async function addTasks(page) {
    return page.evaluate(async () => {
        const post = async (body) => (await (await fetch('/api/v1/tasks', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json()).id;
        return {
            done: await post({ type: 'demo', title: 'Done', params: { steps: 1, delay_ms: 10 } }),
            broken: await post({ type: 'demo', title: 'Broken', params: { steps: 2, delay_ms: 10, fail_at_step: 1 } }),
            long: await post({ type: 'demo', title: 'Long', params: { steps: 1000, delay_ms: 1000 } }),
        };
    });
}

describe('axe-core', () => {
    for (const colorScheme of ['light', 'dark']) {
        for (const width of [1280, 375]) {
            test(`no violations, ${colorScheme} at ${width} px`, async () => {
                const { page, context } = await openPage(browser, server, { viewport: { width, height: 900 }, colorScheme });
                let ids = null;
                try {
                    await page.locator('#connection[data-status="live"]').waitFor({ timeout: TIMEOUT });
                    ids = await addTasks(page);
                    await page.locator(`li.hw-task[data-id="${ids.done}"][data-state="succeeded"]`).waitFor({ timeout: TIMEOUT });
                    await page.locator(`li.hw-task[data-id="${ids.broken}"][data-state="failed"]`).waitFor({ timeout: TIMEOUT });
                    // Their toasts fade in: axe reads colours mid-fade as too faint, so wait until shown.
                    await page.waitForFunction(() => {
                        const toasts = [...document.querySelectorAll('#toasts .toast')];
                        return toasts.some((t) => t.textContent.includes('Broken')) && toasts.every((t) => t.classList.contains('show') && !t.classList.contains('showing') && getComputedStyle(t).opacity === '1');
                    }, null, { timeout: TIMEOUT });
                    // The page's CSP refuses injected script tags: evaluate() runs outside it.
                    await page.evaluate(AXE);
                    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
                    const found = result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.length}× ${v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' ' + (n.any[0]?.message || '')).join(' | ')}`);
                    assert.deepEqual(found, []);
                } finally {
                    // The long task would hold a worker through the next runs.
                    if (ids)
                        await page.evaluate((id) => fetch(`/api/v1/tasks/${id}/cancel`, { method: 'POST' }), ids.long).catch(() => {});
                    await context.close();
                }
            });
        }
    }
});
