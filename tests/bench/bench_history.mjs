// bench_history (issue 18, item 4, "big histories"): N finished tasks (default 10,000) written
// through TaskStore (`headway_bench --fill-store N`), then, over RUNS runs of `headway --headless`
// on that data dir: exec -> "serving" line, exec -> first API answer, RSS once it answers and
// after the page loaded, and the page's first full render in Debian's Chromium (navigation ->
// the list shows its first rows and the counts say N), beside the same page over an empty store
// in the same run (the ceiling). Prints each figure beside its goal.
// Figures, not assertions on speed: the exit code is non-zero only when a measurement failed
// (the page or the API not listing every task is such a failure).
//
//   HEADWAY_BIN=build/app/headway HEADWAY_BENCH=build/tests/bench/headway_bench \
//     node tests/bench/bench_history.mjs [--tasks 10000] [--runs 3]
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '../web/browser/harness.mjs';
import { startHeadway } from '../web/headway.mjs';
import { rssKb } from '../web/files.mjs';

// RSS once it stops moving: samples 50 ms apart until two agree within 256 KiB (at most 100).
async function settledRssMiB(pid) {
    let last = rssKb(pid);
    for (let i = 0; i < 100; ++i) {
        await new Promise((r) => setTimeout(r, 50));
        const now = rssKb(pid);
        if (Math.abs(now - last) <= 256)
            return now / 1024;
        last = now;
    }
    return last / 1024;
}

const args = process.argv.slice(2);
const arg = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : fallback;
};
const N = arg('--tasks', 10000);
const RUNS = arg('--runs', 3);
const BIN = process.env.HEADWAY_BIN;
const FILL = process.env.HEADWAY_BENCH;
assert.ok(BIN && FILL, 'set HEADWAY_BIN and HEADWAY_BENCH');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs, digits = 0) => xs.map((x) => x.toFixed(digits)).join(' / ');

const dir = mkdtempSync(join(tmpdir(), 'headway-bench-history-'));
let browser;
let exitCode = 0;
try {
    let t0 = performance.now();
    execFileSync(FILL, ['--fill-store', String(N), join(dir, 'tasks.sqlite')], { stdio: 'inherit' });
    console.log(`filled the store with ${N} finished tasks through TaskStore in ${(performance.now() - t0).toFixed(0)} ms`);
    browser = await launchBrowser();
    const serving = [];
    const answering = [];
    const rssStart = [];
    const rssPage = [];
    const render = [];
    const renderEmpty = [];
    let rowsDrawn = 0;
    // The same page over an empty store in the same run: what loading the page itself costs
    // on this machine at this load (the ceiling the 10,000-task figure is compared to).
    const emptyRender = async () => {
        const server = await startHeadway(BIN);
        try {
            const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
            const page = await context.newPage();
            const t = performance.now();
            await page.goto(server.url, { waitUntil: 'commit' });
            await page.waitForFunction(() => {
                const empty = document.querySelector('#empty');
                return empty && !empty.classList.contains('d-none') && empty.textContent.startsWith('No tasks yet');
            }, null, { timeout: 60000, polling: 'raf' });
            renderEmpty.push(performance.now() - t);
            await context.close();
        } finally {
            await server.close();
        }
    };
    for (let run = 0; run < RUNS; ++run) {
        await emptyRender();
        t0 = performance.now();
        const server = await startHeadway(BIN, { dataDir: dir });
        try {
            serving.push(performance.now() - t0);
            const res = await fetch(`${server.origin}/api/v1/tasks?limit=1`, { headers: { Authorization: `Bearer ${server.token}` } });
            const body = await res.json();
            answering.push(performance.now() - t0);
            assert.equal(body.total, N, 'the API lists every stored task');
            rssStart.push(await settledRssMiB(server.pid)); // after what start-up queued has run

            const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
            const page = await context.newPage();
            const want = `${N} finished`;
            t0 = performance.now();
            await page.goto(server.url, { waitUntil: 'commit' }); // the token link redirects to "/"
            await page.waitForFunction((text) => {
                const counts = document.querySelector('#task-counts');
                const first = document.querySelector('#tasks li.hw-task:not(.hw-hidden)');
                return counts && counts.textContent.includes(text) && first && first.getBoundingClientRect().height > 0;
            }, want, { timeout: 60000, polling: 'raf' });
            render.push(performance.now() - t0);
            rowsDrawn = await page.evaluate(() => document.querySelectorAll('#tasks li.hw-task').length);
            rssPage.push(await settledRssMiB(server.pid));
            await context.close();
        } finally {
            await server.stop();
        }
    }
    const load = loadavg().map((l) => l.toFixed(2)).join(' ');
    const rows = [
        ['start-up: exec -> "serving" line (ms)', fmt(serving), median(serving), 1000],
        ['start-up: exec -> first API answer (ms)', fmt(answering), median(answering), 1000],
        ['RSS after start (MiB)', fmt(rssStart, 1), median(rssStart), 100],
        ['RSS after the page loaded (MiB)', fmt(rssPage, 1), median(rssPage), 100],
        ['page: navigation -> list and counts shown (ms)', fmt(render), median(render), 1000],
        ['the same page over an empty store (ms, ceiling)', fmt(renderEmpty), median(renderEmpty), null],
    ];
    console.log(`\nbig history: ${N} finished tasks, ${RUNS} runs, load average ${load}`);
    console.log(`${'measure'.padEnd(48)} ${'runs'.padEnd(28)} ${'median'.padEnd(8)} goal`);
    for (const [name, runs, med, goal] of rows) {
        const verdict = goal === null ? '' : `<= ${goal} ${med <= goal ? 'met' : 'NOT met'}`;
        console.log(`${name.padEnd(48)} ${runs.padEnd(28)} ${med.toFixed(name.includes('MiB') ? 1 : 0).padEnd(8)} ${verdict}`);
    }
    console.log(`page rows in the DOM after the first render: ${rowsDrawn} of ${N}`);
    console.log(`RESULT tasks=${N} serving_ms=${median(serving).toFixed(0)} answer_ms=${median(answering).toFixed(0)} rss_mib=${median(rssStart).toFixed(1)} rss_page_mib=${median(rssPage).toFixed(1)} render_ms=${median(render).toFixed(0)} empty_render_ms=${median(renderEmpty).toFixed(0)} dom_rows=${rowsDrawn}`);
} catch (err) {
    console.error(err);
    exitCode = 1;
} finally {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
