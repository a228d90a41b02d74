// bench_upload_browser (issue 6): uploads one large file (default 1 GiB) through the page's
// Uploads card in Debian's Chromium to a fresh `headway --headless`, reloads the page part way
// through, picks the same file again and checks that it resumes from the server's offset (one
// POST, PATCH offsets never going back), then that the saved file's SHA-256 matches. Prints the
// page's MB/s (without the reload pause) and the server's peak RSS growth. Figures, not
// assertions on speed: the exit code is non-zero only when the upload or a check failed.
//
//   HEADWAY_BIN=build/app/headway node tests/bench/bench_upload_browser.mjs [--size-mib 1024]
//
// Needs tests/web's node_modules (npm ci there). Files go to $TMPDIR and are removed at the end.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, openPage } from '../web/browser/harness.mjs';
import { startHeadway } from '../web/headway.mjs';
import { makeRandomFile, rssKb, sha256File } from '../web/files.mjs';

const MiB = 1024 * 1024;
const args = process.argv.slice(2);
const sizeArg = args.indexOf('--size-mib');
const SIZE = (sizeArg >= 0 ? Number(args[sizeArg + 1]) : 1024) * MiB + 12345; // not chunk-aligned
const TIMEOUT_MS = 15 * 60 * 1000;
const deadline = Date.now() + TIMEOUT_MS;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, fn) {
    for (;;) {
        const v = await fn();
        if (v)
            return v;
        if (Date.now() > deadline)
            throw new Error(`timed out waiting for ${what}`);
        await sleep(100);
    }
}

const dir = mkdtempSync(join(tmpdir(), 'headway-bench-upload-browser-'));
let server;
let browser;
let exitCode = 0;
try {
    const name = 'browser-upload.bin';
    const file = join(dir, name);
    console.log(`making a ${(SIZE / MiB).toFixed(0)} MiB file...`);
    const sha256 = makeRandomFile(file, SIZE);

    server = await startHeadway();
    const { pid } = server;
    assert.ok(pid > 0, 'found the headway process');
    browser = await launchBrowser();
    await sleep(300); // let start-up allocations settle before the baseline
    const baselineKb = rssKb(pid);
    let peakKb = baselineKb;
    const sampler = setInterval(() => { peakKb = Math.max(peakKb, rssKb(pid)); }, 50);

    const { context, page: first } = await openPage(browser, server);
    const log = { posts: 0, patches: [], acked: 0 };
    const watch = (page) => {
        page.on('request', (req) => {
            if (!req.url().includes('/api/v1/uploads'))
                return;
            if (req.method() === 'POST')
                log.posts++;
            if (req.method() === 'PATCH')
                log.patches.push(Number(req.headers()['upload-offset']));
        });
        page.on('response', (res) => {
            const req = res.request();
            if (req.url().includes('/api/v1/uploads') && req.method() === 'PATCH' && res.status() === 204)
                log.acked = Math.max(log.acked, Number(res.headers()['upload-offset']));
        });
    };
    watch(first);
    await first.locator('#upload-input').waitFor({ state: 'attached' });

    // Part one: up to ~40%, then a reload (same profile, so the resume URL is kept).
    let t0 = Date.now();
    await first.setInputFiles('#upload-input', file);
    await until('40% acknowledged', () => log.acked >= SIZE * 0.4);
    let activeMs = Date.now() - t0;
    const ackedBeforeReload = log.acked;
    await first.close();

    const page = await context.newPage();
    watch(page);
    await page.goto(server.origin + '/');
    await page.locator('#upload-pending', { hasText: name }).waitFor({ timeout: 30000 });
    const patchesBefore = log.patches.length;
    t0 = Date.now();
    await page.setInputFiles('#upload-input', file);
    await until('a PATCH after the reload', () => log.patches.length > patchesBefore);
    const resumedAt = log.patches[patchesBefore];
    const row = page.locator('#uploads li.hw-upload', { hasText: name });
    await row.and(page.locator('[data-state="done"]')).waitFor({ timeout: TIMEOUT_MS });
    activeMs += Date.now() - t0;
    clearInterval(sampler);
    await context.close();

    // Checks: resumed (not restarted), the server verified it, the saved bytes match.
    assert.equal(log.posts, 1, 'one upload created, never restarted');
    assert.ok(resumedAt >= ackedBeforeReload - 8 * MiB && resumedAt > 0, `resumed at ${resumedAt}`);
    for (let i = 1; i < log.patches.length; i++)
        assert.ok(log.patches[i] >= log.patches[i - 1], 'PATCH offsets never go back');
    const headers = { Authorization: `Bearer ${server.token}` };
    const task = await until('the upload task to finish', async () => {
        const body = await (await fetch(`${server.origin}/api/v1/tasks?type=upload`, { headers })).json();
        const t = (body.tasks || []).find((x) => JSON.stringify(x).includes(name));
        return t && ['succeeded', 'failed', 'canceled'].includes(t.state) ? t : null;
    });
    assert.equal(task.state, 'succeeded', JSON.stringify(task.error));
    assert.equal(task.result.sha256, sha256);
    assert.equal(await sha256File(join(server.dataDir, 'uploads', name)), sha256);

    const mbps = SIZE / 1e6 / (activeMs / 1000);
    const growthMb = (peakKb - baselineKb) / 1024;
    console.log(`file     ${(SIZE / MiB).toFixed(0)} MiB through the page in Chromium, reloaded at ` +
        `${(100 * ackedBeforeReload / SIZE).toFixed(0)}%, resumed at offset ${resumedAt}`);
    console.log(`upload   ${mbps.toFixed(1)} MB/s (${(activeMs / 1000).toFixed(2)} s without the reload)`);
    console.log(`server   RSS baseline ${(baselineKb / 1024).toFixed(1)} MB, peak ${(peakKb / 1024).toFixed(1)} MB, ` +
        `growth ${growthMb.toFixed(1)} MB (goal < 64 MB)`);
    console.log(`check    one POST, ${log.patches.length} PATCHes never going back, sha256 match`);
    console.log(`RESULT browser_upload_mbps=${mbps.toFixed(1)} rss_growth_mb=${growthMb.toFixed(1)} ok=1`);
} catch (e) {
    console.error(`bench_upload_browser: ${e.stack || e}`);
    exitCode = 1;
} finally {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
