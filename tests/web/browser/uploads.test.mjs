// The page's Uploads card in Chromium against `headway --headless` (HEADWAY_BIN; unset is an
// error): a 50 MB file picked with the file input, interrupted (Pause/Resume buttons, a
// network drop, a reload) and resumed from the server's offset, never from 0; then the "upload"
// task succeeds and the saved file's SHA-256 matches. No delays: the test holds the PATCH at a
// chosen offset (a gate in the request route) and interrupts while it is held, so where each
// interruption lands is known, however fast or slow the machine.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUTPUT, launchBrowser, openPage } from './harness.mjs';
import { headwayBin, startHeadway } from '../headway.mjs';
import { makeRandomFile } from '../files.mjs';

const TIMEOUT = 30000;
const MiB = 1024 * 1024;
const SIZE = 50 * 1000 * 1000 + 4321; // 50 MB, not a multiple of the chunk size


function makeFile(dir, name, size = SIZE) {
    const path = join(dir, name);
    return { path, name, sha256: makeRandomFile(path, size) };
}

const poll = () => new Promise((r) => setTimeout(r, 50));

// Waits for a condition (polled, like QTRY_VERIFY); the timeout only ends a hung test.
async function until(what, fn, timeout = TIMEOUT) {
    const end = Date.now() + timeout;
    for (;;) {
        const v = await fn();
        if (v)
            return v;
        if (Date.now() > end)
            throw new Error(`timed out waiting for ${what}`);
        await poll();
    }
}

describe('uploads card', () => {
    let server;
    let browser;
    let dir;
    let file;

    before(async () => {
        server = await startHeadway(headwayBin());
        browser = await launchBrowser();
        dir = mkdtempSync(join(tmpdir(), 'headway-upload-file-'));
        file = makeFile(dir, 'big-upload.bin');
    });

    after(async () => {
        await browser?.close();
        await server?.close();
        if (dir)
            rmSync(dir, { recursive: true, force: true });
    });

    const auth = () => ({ Authorization: `Bearer ${server.token}`, 'Tus-Resumable': '1.0.0' });

    async function serverOffset(uploadUrl) {
        const r = await fetch(uploadUrl, { method: 'HEAD', headers: auth() });
        assert.equal(r.status, 200, `HEAD ${uploadUrl}`);
        return Number(r.headers.get('upload-offset'));
    }

    async function uploadTask(name) {
        const r = await fetch(`${server.origin}/api/v1/tasks?type=upload`, { headers: auth() });
        const body = await r.json();
        return (body.tasks || []).filter((t) => t.type === 'upload')
            .find((t) => JSON.stringify(t).includes(name));
    }

    // Opens the page with the tus traffic recorded and gated: a PATCH at or past
    // log.holdFrom waits in log.held until release() lets it through ('continue') or fails it
    // ('abort', as a dropped connection would), so the test interrupts at a known offset.
    async function openUploads({ holdFrom = Infinity } = {}) {
        const o = await openPage(browser, server);
        const log = { posts: [], patches: [], acked: 0, uploadUrl: null, holdFrom, held: [], dropAll: false };
        await o.context.route('**/api/v1/uploads**', async (route) => {
            const req = route.request();
            let action = 'continue';
            if (req.method() === 'PATCH') {
                const offset = Number(req.headers()['upload-offset']);
                log.patches.push(offset);
                // A request of a page already closed (a retry that was on its way while the
                // test closed it) never reaches the server: a streamed PATCH cut short would
                // keep the bytes that arrived, and move the offset the test then checks.
                let closed = true;
                try {
                    closed = req.frame().page().isClosed();
                } catch {
                    // no frame: its page is gone
                }
                if (log.dropAll || closed)
                    action = 'abort';
                else if (offset >= log.holdFrom)
                    action = await new Promise((resolve) => log.held.push({ offset, url: req.url(), headers: req.headers(), resolve }));
            } else if (req.method() === 'POST') {
                log.posts.push(req.url());
            }
            // The page may have aborted it meanwhile (Pause, offline, Cancel): nothing to do.
            await (action === 'abort' ? route.abort() : route.continue()).catch(() => {});
        });
        o.page.on('response', (res) => {
            const req = res.request();
            if (!req.url().includes('/api/v1/uploads'))
                return;
            if (req.method() === 'POST' && res.status() === 201)
                log.uploadUrl = new URL(res.headers().location, server.origin).href;
            if (req.method() === 'PATCH' && res.status() === 204)
                log.acked = Math.max(log.acked, Number(res.headers()['upload-offset']));
        });
        await o.page.locator('#upload-input').waitFor({ state: 'attached', timeout: TIMEOUT });
        await o.page.waitForFunction(() => window.__headway?.uploads, null, { timeout: TIMEOUT });
        return { ...o, log };
    }

    // Lets the held PATCHes (those `which` picks) go on or fail, and holds from `holdFrom` next.
    function release(log, action, { holdFrom = Infinity, which = () => true } = {}) {
        log.holdFrom = holdFrom;
        const go = log.held.filter(which);
        log.held = log.held.filter((h) => !which(h));
        for (const h of go)
            h.resolve(action);
    }

    const row = (page) => page.locator('#uploads li.hw-upload', { hasText: file.name });

    function assertNeverBack(offsets) {
        for (let i = 1; i < offsets.length; i++)
            assert.ok(offsets[i] >= offsets[i - 1], `PATCH offsets went back: ${offsets.join(', ')}`);
    }

    async function assertCompleted(page, log, { posts = 1 } = {}) {
        await row(page).and(page.locator('[data-state="done"]')).waitFor({ timeout: 60000 });
        assert.equal(await row(page).locator('[role="progressbar"]').getAttribute('aria-valuenow'), '100');
        const task = await until('the upload task to succeed', async () => {
            const t = await uploadTask(file.name);
            return t && ['succeeded', 'failed', 'canceled'].includes(t.state) ? t : null;
        }, 60000);
        assert.equal(task.state, 'succeeded', JSON.stringify(task.error));
        assert.deepEqual(task.progress.steps, ['Upload', 'Verify', 'Complete']);
        assert.equal(task.result.sha256, file.sha256);
        const saved = readFileSync(join(server.dataDir, 'uploads', file.name));
        assert.equal(saved.length, SIZE);
        assert.equal(createHash('sha256').update(saved).digest('hex'), file.sha256);
        assert.equal(log.posts.length, posts, 'one upload created, never restarted');
        assertNeverBack(log.patches);
        // The task list shows the same upload, as every viewer sees it.
        await page.locator('li.hw-task', { hasText: file.name }).locator('.hw-state', { hasText: 'Succeeded' })
            .waitFor({ timeout: TIMEOUT });
        // Finished uploads forget their resume URL.
        assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tus::')).length), 0);
    }

    test('pause and resume with the buttons, then a network drop: resumes from the server offset', async () => {
        const { context, page, log, problems } = await openUploads({ holdFrom: 16 * MiB });
        try {
            await page.setInputFiles('#upload-input', file.path);
            const r = row(page);
            await r.waitFor({ timeout: TIMEOUT });
            await until('16 MiB acknowledged', () => log.acked >= 16 * MiB);
            await until('the PATCH at 16 MiB held', () => log.held.length > 0);

            const bar = r.locator('[role="progressbar"]');
            await r.locator('.hw-upload-speed').filter({ hasText: '/s' }).waitFor({ timeout: TIMEOUT });
            assert.match(await r.locator('.hw-upload-eta').textContent(), /left$/);
            assert.ok(Number(await bar.getAttribute('aria-valuenow')) > 0);
            assert.match(await bar.getAttribute('aria-valuetext'), /of 48 MiB/);
            await page.screenshot({ path: join(OUTPUT, 'uploads-in-progress.png') });

            // 1. Pause: nothing more is sent; Resume goes on at the server's offset.
            // The PATCH Pause interrupted never reaches the server (as if the connection broke).
            await r.getByRole('button', { name: 'Pause' }).click();
            await r.and(page.locator('[data-state="paused"]')).waitFor({ timeout: TIMEOUT });
            await page.screenshot({ path: join(OUTPUT, 'uploads-paused.png') });
            const sentBefore = log.patches.length;
            release(log, 'abort', { holdFrom: 0 }); // anything sent while paused would be held
            const pausedAt = await serverOffset(log.uploadUrl);
            assert.equal(pausedAt, 16 * MiB, `paused at ${pausedAt}`);
            // The page had its turn (a round trip through it): still nothing sent or held.
            await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
            assert.equal(log.patches.length, sentBefore, 'nothing is sent while paused');
            assert.equal(log.held.length, 0);
            assert.equal(await serverOffset(log.uploadUrl), pausedAt, 'nothing arrives while paused');
            release(log, 'continue', { holdFrom: pausedAt + 8 * MiB });
            await r.getByRole('button', { name: 'Resume' }).click();
            await until('a PATCH after Resume', () => log.patches.length > sentBefore);
            assert.equal(log.patches[sentBefore], pausedAt, 'resumed at the server offset, not 0');

            // 2. Network drop: the page waits, then resumes from the server's offset by itself.
            await until('8 MiB more acknowledged', () => log.acked >= pausedAt + 8 * MiB);
            await until('the next PATCH held', () => log.held.length > 0);
            await context.setOffline(true);
            release(log, 'abort'); // the held PATCH is lost with the network
            await r.and(page.locator('[data-state="offline"]')).waitFor({ timeout: TIMEOUT });
            const droppedAt = await serverOffset(log.uploadUrl);
            assert.equal(droppedAt, pausedAt + 8 * MiB, `dropped at ${droppedAt}`);
            const sentOffline = log.patches.length;
            await context.setOffline(false);
            await until('a PATCH after the network came back', () => log.patches.length > sentOffline);
            assert.equal(log.patches[sentOffline], droppedAt, 'resumed at the server offset after the drop');

            await assertCompleted(page, log);
            assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|Failed to load|WebSocket|net::/.test(p)), []);
        } finally {
            await context.close();
        }
    });

    test('after a reload, picking the same file again resumes it', async () => {
        rmSync(join(server.dataDir, 'uploads', file.name), { force: true });
        await fetch(`${server.origin}/api/v1/tasks?state=finished`, { method: 'DELETE', headers: auth() });
        const first = await openUploads({ holdFrom: 16 * MiB });
        const { context } = first;
        try {
            await first.page.setInputFiles('#upload-input', file.path);
            await until('16 MiB acknowledged', () => first.log.acked >= 16 * MiB);
            await until('the PATCH at 16 MiB held', () => first.log.held.length > 0);
            const uploadUrl = first.log.uploadUrl;

            // A new page load in the same browser profile (localStorage kept). Every PATCH of
            // the old page fails from now on (its retries too), so nothing is left held, and
            // nothing reaches the server, when it closes.
            first.log.dropAll = true;
            release(first.log, 'abort');
            await first.page.close();
            first.log.dropAll = false;
            const page = await context.newPage();
            const log = { posts: [], patches: [], acked: 0 };
            page.on('request', (req) => {
                if (req.url().includes('/api/v1/uploads') && req.method() === 'PATCH')
                    log.patches.push(Number(req.headers()['upload-offset']));
                if (req.url().includes('/api/v1/uploads') && req.method() === 'POST')
                    log.posts.push(req.url());
            });
            await page.goto(server.origin + '/');
            await page.locator('#upload-pending', { hasText: file.name }).waitFor({ timeout: TIMEOUT });
            assert.match(await page.locator('#upload-pending').textContent(), /Pick the same file again/);

            // At least what was acknowledged; a chunk the old page had on the wire when it
            // closed may have added the bytes that arrived (tus keeps them, and the server
            // streams them to disk). Whatever it is, the new page resumes exactly there.
            const offset = await serverOffset(uploadUrl);
            assert.ok(offset >= 16 * MiB && offset < SIZE, `offset ${offset}`);
            await page.setInputFiles('#upload-input', file.path);
            await until('a PATCH after the reload', () => log.patches.length > 0);
            assert.equal(log.patches[0], offset, 'resumed at the server offset, not 0');
            await row(page).locator('.hw-upload-note', { hasText: 'Resumed at' }).waitFor({ timeout: TIMEOUT });
            await assertCompleted(page, log, { posts: 0 }); // the first page made the only POST
            assert.equal(first.log.posts.length, 1);
        } finally {
            await context.close();
        }
    });

    test('Headway restarts mid-upload: the upload waits, then goes on by itself', async () => {
        rmSync(join(server.dataDir, 'uploads', file.name), { force: true });
        await fetch(`${server.origin}/api/v1/tasks?state=finished`, { method: 'DELETE', headers: auth() });
        const { page, context, log } = await openUploads({ holdFrom: 16 * MiB });
        try {
            await page.setInputFiles('#upload-input', file.path);
            await until('16 MiB acknowledged', () => log.acked >= 16 * MiB);
            await until('the PATCH at 16 MiB held', () => log.held.length > 0);
            const { dataDir, port } = server;
            await server.stop('SIGKILL');
            release(log, 'abort'); // it never reached the server that was killed
            // tus-js-client's own retries run out: the row waits for Headway, it does not fail.
            await row(page).and(page.locator('[data-state="unreachable"]')).waitFor({ timeout: TIMEOUT });
            assert.match(await row(page).textContent(), /Waiting for Headway/);
            const ackedBefore = log.acked;
            const patchesBefore = log.patches.length;
            server = await startHeadway(headwayBin(), { dataDir, port });
            // No click: the page reconnects, and the upload resumes from what reached the disk.
            await until('a PATCH after the restart', () => log.patches.length > patchesBefore, 60000);
            assert.ok(log.patches[patchesBefore] >= ackedBefore,
                `resumed at ${log.patches[patchesBefore]}, ${ackedBefore} acknowledged before`);
            await assertCompleted(page, log);
            const task = await uploadTask(file.name);
            assert.equal(task.attempt, 2, 'the interrupted upload task was resumed, not recreated');
        } finally {
            await context.close();
        }
    });

    test('several files upload in parallel; Cancel removes one from the server', async () => {
        const keep = makeFile(dir, 'keep.bin', 12 * MiB + 7);
        const drop = makeFile(dir, 'drop.bin', 12 * MiB + 9);
        const { context, page, log } = await openUploads({ holdFrom: 0 }); // every PATCH held
        const urls = new Map();
        page.on('response', (res) => {
            if (res.request().method() === 'POST' && res.status() === 201)
                urls.set(res.request().headers()['upload-metadata'], new URL(res.headers().location, server.origin).href);
        });
        try {
            await page.setInputFiles('#upload-input', [keep.path, drop.path]);
            const rowOf = (name) => page.locator('#uploads li.hw-upload', { hasText: name });
            // Both are created and sending before either is done: in parallel, not one by one.
            await until('two uploads created', () => log.posts.length === 2);
            await until('both sending', () => log.held.filter((h) => h.offset === 0).length === 2);
            assert.equal(await page.locator('#uploads li.hw-upload[data-state="done"]').count(), 0);

            await rowOf('drop.bin').getByRole('button', { name: 'Cancel' }).click();
            await rowOf('drop.bin').and(page.locator('[data-state="canceled"]')).waitFor({ timeout: TIMEOUT });
            // The canceled one's chunk fails with its connection; the other goes on, unheld.
            const dropMeta = Buffer.from('drop.bin').toString('base64');
            const dropUrl = [...urls.entries()].find(([meta]) => meta.includes(dropMeta))[1];
            release(log, 'abort', { which: (h) => h.url === dropUrl });
            release(log, 'continue');
            await rowOf('keep.bin').and(page.locator('[data-state="done"]')).waitFor({ timeout: 60000 });
            await until('the canceled upload to be gone', async () =>
                (await fetch(dropUrl, { method: 'HEAD', headers: auth() })).status === 404);
            assert.equal(createHash('sha256').update(readFileSync(join(server.dataDir, 'uploads', 'keep.bin'))).digest('hex'), keep.sha256);
            assert.throws(() => readFileSync(join(server.dataDir, 'uploads', 'drop.bin')));
            const kept = await until('keep.bin task to succeed', async () => {
                const t = await uploadTask('keep.bin');
                return t?.state === 'succeeded' ? t : null;
            });
            assert.equal(kept.result.sha256, keep.sha256);
            // Nothing left to resume: the list of unfinished uploads is empty.
            assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tus::')).length), 0);
            await rowOf('drop.bin').getByRole('button', { name: 'Dismiss' }).click();
            assert.equal(await rowOf('drop.bin').count(), 0);
        } finally {
            await context.close();
        }
    });

    test('a file dropped on the drop area uploads', async () => {
        const { context, page } = await openUploads();
        try {
            const zone = page.locator('#upload-zone');
            const dataTransfer = await page.evaluateHandle(() => {
                const dt = new DataTransfer();
                dt.items.add(new File([new Uint8Array(300 * 1024).fill(7)], 'dropped.bin', { type: 'application/octet-stream' }));
                return dt;
            });
            await zone.dispatchEvent('dragenter', { dataTransfer });
            assert.match(await zone.getAttribute('class'), /hw-drop-over/);
            await zone.dispatchEvent('drop', { dataTransfer });
            assert.doesNotMatch(await zone.getAttribute('class'), /hw-drop-over/);
            await page.locator('#uploads li.hw-upload[data-state="done"]', { hasText: 'dropped.bin' }).waitFor({ timeout: TIMEOUT });
            const expected = createHash('sha256').update(Buffer.alloc(300 * 1024, 7)).digest('hex');
            const task = await until('dropped.bin task to succeed', async () => {
                const t = await uploadTask('dropped.bin');
                return t?.state === 'succeeded' ? t : null;
            });
            assert.equal(task.result.sha256, expected);
        } finally {
            await context.close();
        }
    });
});
