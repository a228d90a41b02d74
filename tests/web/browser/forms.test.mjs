// The New task form against the real `headway --headless` (HEADWAY_BIN): pipeline steps edited
// step by step with errors that name the step, and warnings, asked of the server before
// starting, for a path the task would read that is not there.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUTPUT, launchBrowser, openPage, startServer } from './harness.mjs';

const TIMEOUT = 20000;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const real = Boolean(process.env.HEADWAY_BIN);

let server;
let browser;
let opened = null;
const files = mkdtempSync(join(tmpdir(), 'headway-forms-'));
writeFileSync(join(files, 'present.bin'), 'data');

before(async () => {
    if (!real)
        return;
    server = await startServer();
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
    await server?.close();
});

afterEach(async () => {
    await opened?.context.close().catch(() => {});
    opened = null;
});

async function open(options) {
    opened = await openPage(browser, server, options);
    const { page } = opened;
    await page.locator('#connection[data-status="live"]').waitFor({ timeout: TIMEOUT });
    await page.locator('#task-type option[value="pipeline"]').waitFor({ state: 'attached', timeout: TIMEOUT });
    return opened;
}

async function tasks(page) {
    return page.evaluate(async () => (await (await fetch('/api/v1/tasks')).json()).tasks);
}

describe('the New task form', { skip: real ? false : 'needs HEADWAY_BIN (the real server judges)' }, () => {
    test('pipeline steps are edited step by step and errors name the step', async () => {
        const { page, problems } = await open();
        await page.locator('#task-type').selectOption('pipeline');
        // No JSON box: a list of steps with "Add step".
        assert.equal(await page.locator('textarea#param-steps').count(), 0);
        const add = page.locator('#param-steps-add');
        await add.click();
        await add.click();
        const steps = page.locator('#param-steps li.hw-step');
        assert.equal(await steps.count(), 2);
        // Only types that can be steps: no nested pipeline, nothing Celery runs.
        const offered = await steps.nth(0).locator('select').first().locator('option').evaluateAll((os) => os.map((o) => o.value));
        assert.deepEqual(offered.sort(), ['checksum', 'command', 'copy', 'demo']);
        await steps.nth(0).locator('select').first().selectOption('demo');
        await steps.nth(1).locator('select').first().selectOption('copy');
        // The step's own form: copy's Source and Destination.
        assert.equal(await steps.nth(1).locator('input[name="source"]').count(), 1);

        await page.click('#start-task');
        const summary = steps.nth(1).locator('.hw-step-summary');
        await summary.waitFor({ state: 'visible', timeout: TIMEOUT });
        // The wording of "required" is the server's (the page sends an empty required text).
        assert.match(await summary.textContent(), /^Step 2 \(copy\): Source: (This parameter is required|Must not be empty)\.$/m);
        const source = steps.nth(1).locator('input[name="source"]');
        assert.equal(await source.evaluate((el) => el.classList.contains('is-invalid')), true);
        assert.match(await steps.nth(1).locator('input[name="source"] ~ .invalid-feedback').textContent(), /required|empty/);
        assert.equal(await source.evaluate((el) => el === document.activeElement), true);
        assert.equal(await steps.nth(0).locator('.hw-step-summary').isVisible(), false);
        await page.screenshot({ path: join(OUTPUT, 'form-pipeline-errors.png'), fullPage: true });

        // Reorder: copy first, then remove a third step again.
        await steps.nth(1).locator('button[data-action="up"]').click();
        assert.match(await steps.nth(0).locator('.hw-step-title').textContent(), /Step 1/);
        assert.equal(await steps.nth(0).locator('select').first().inputValue(), 'copy');
        assert.equal(await steps.nth(0).locator('button[data-action="up"]').isDisabled(), true);
        await add.click();
        assert.equal(await steps.count(), 3);
        await steps.nth(2).locator('button[data-action="remove"]').click();
        assert.equal(await steps.count(), 2);

        await steps.nth(0).locator('input[name="source"]').fill(join(files, 'present.bin'));
        await steps.nth(0).locator('input[name="destination"]').fill(join(files, 'copied.bin'));
        await steps.nth(1).locator('input[name="steps"]').fill('2');
        await steps.nth(1).locator('input[name="delay_ms"]').fill('10');
        await steps.nth(1).locator('input[placeholder="Label (optional)"]').fill('Count');
        await page.fill('#task-title', 'Stepwise');
        await page.click('#start-task');
        await page.locator('li.hw-task .hw-title', { hasText: 'Stepwise' }).waitFor({ timeout: TIMEOUT });
        const task = (await tasks(page)).find((t) => t.title === 'Stepwise');
        assert.deepEqual(task.params.steps.map((s) => s.type), ['copy', 'demo']);
        assert.equal(task.params.steps[1].label, 'Count');
        assert.equal(task.params.steps[0].params.source, join(files, 'present.bin'));
        assert.deepEqual(problems, []);
    });

    test('a missing file is warned about before starting; Start anyway starts', async () => {
        const { page, problems } = await open();
        await page.locator('#task-type').selectOption('checksum');
        const missing = join(files, 'missing.iso');
        await page.fill('#param-path', missing);
        await page.locator('#param-path').blur(); // leaving the field asks the server
        const warning = page.locator('#param-path-warning');
        await warning.waitFor({ state: 'visible', timeout: TIMEOUT });
        assert.match(await warning.textContent(), /^Warning: Nothing exists at this path/);
        assert.equal(await page.locator('#param-path.is-invalid').count(), 0); // not an error

        const before = (await tasks(page)).length;
        await page.click('#start-task');
        await page.locator('#start-task', { hasText: 'Start anyway' }).waitFor({ timeout: TIMEOUT });
        assert.equal((await tasks(page)).length, before); // nothing started yet
        await page.screenshot({ path: join(OUTPUT, 'form-missing-path.png'), fullPage: true });
        await page.click('#start-task');
        await page.waitForFunction(async (n) => (await (await fetch('/api/v1/tasks')).json()).tasks.length > n, before, { timeout: TIMEOUT });
        await page.locator('#start-task', { hasText: /^Start$/ }).waitFor({ timeout: TIMEOUT });

        // An existing file: no warning, starts at once.
        await page.fill('#param-path', join(files, 'present.bin'));
        await page.locator('#param-path').blur();
        await warning.waitFor({ state: 'hidden', timeout: TIMEOUT });
        const count = (await tasks(page)).length;
        await page.click('#start-task');
        await page.waitForFunction(async (n) => (await (await fetch('/api/v1/tasks')).json()).tasks.length > n, count, { timeout: TIMEOUT });
        assert.deepEqual(problems, []);
    });

    test('every problem at once, a pipeline step\'s warning named with its step', async () => {
        const { page, problems } = await open();
        await page.locator('#task-type').selectOption('pipeline');
        await page.locator('#param-steps-add').click();
        await page.locator('#param-steps-add').click();
        const steps = page.locator('#param-steps li.hw-step');
        await steps.nth(0).locator('select').first().selectOption('checksum');
        await steps.nth(0).locator('input[name="path"]').fill(join(files, 'gone.iso'));
        await steps.nth(1).locator('select').first().selectOption('command');
        await steps.nth(1).locator('textarea[name="arguments"]').fill('-la\n/tmp');
        await page.click('#start-task');
        // The missing program (an error) and the missing file (a warning) together.
        const second = steps.nth(1).locator('.hw-step-summary');
        await second.waitFor({ state: 'visible', timeout: TIMEOUT });
        assert.match(await second.textContent(), /^Step 2 \(command\): Program: (This parameter is required|Must not be empty)\.$/m);
        const first = steps.nth(0).locator('.hw-step-summary');
        assert.match(await first.textContent(), /^Warning: Step 1 \(checksum\): File: Nothing exists/);
        assert.equal(await page.locator('#start-task').textContent(), 'Start');
        assert.deepEqual(problems, []);
    });

    for (const colorScheme of ['light', 'dark']) {
        test(`the step editor with an error and a warning has no axe violations (${colorScheme})`, async () => {
            const { page } = await open({ colorScheme });
            await page.locator('#task-type').selectOption('pipeline');
            await page.locator('#param-steps-add').click();
            await page.locator('#param-steps-add').click();
            const steps = page.locator('#param-steps li.hw-step');
            await steps.nth(0).locator('select').first().selectOption('checksum');
            await steps.nth(0).locator('input[name="path"]').fill(join(files, 'gone.iso'));
            await steps.nth(1).locator('select').first().selectOption('copy');
            await page.click('#start-task');
            await steps.nth(1).locator('.hw-step-summary').waitFor({ state: 'visible', timeout: TIMEOUT });
            await steps.nth(0).locator('.hw-step-summary').waitFor({ state: 'visible', timeout: TIMEOUT });
            await page.evaluate(AXE);
            const result = await page.evaluate(() => window.axe.run(document.getElementById('new-task'), { resultTypes: ['violations'] }));
            const found = result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.length}× ${v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' ' + (n.any[0]?.message || '')).join(' | ')}`);
            assert.deepEqual(found, []);
            await page.screenshot({ path: join(OUTPUT, `form-pipeline-${colorScheme}.png`), fullPage: true });
        });
    }
});
