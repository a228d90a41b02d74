// The tutorial's three client pages, unchanged, in Chromium against `headway --headless`:
// the polling page (/start-task, /task-progress), the Celery page (/task-status) and the
// Flask-SocketIO page (socket.io-client 4.4.1, start_task, progress_update). The pages are
// read from ../shared/seed-pages/ (never copied into the project) and served at the server's
// origin by request interception; their CDN scripts and styles come from the npm packages of
// the versions the pages name. Each page's bar must reach 100 % and say "Task completed!".
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startServer } from '../browser/harness.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..', '..');
const require = createRequire(import.meta.url);

// ../shared/seed-pages from the project's root (a git worktree sits one level deeper).
function seedPagesDir() {
    const candidates = [process.env.HEADWAY_SEED_PAGES, join(ROOT, '..', 'shared', 'seed-pages'),
        join(ROOT, '..', '..', 'shared', 'seed-pages')].filter(Boolean);
    return candidates.find((d) => existsSync(join(d, 'socketio_index.html')));
}
const SEED = seedPagesDir();
// HEADWAY_BIN unset is an error (startServer throws); only the tutorial's own pages may be absent.
const skip = !SEED ? 'the tutorial pages are not at ../shared/seed-pages (set HEADWAY_SEED_PAGES)' : false;

function packageFile(pkg, file) {
    return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}
function pinnedVersion(pkg) {
    return JSON.parse(readFileSync(packageFile(pkg, 'package.json'), 'utf8')).version;
}

// Every CDN URL the pages load, served from node_modules (and the version checked).
const CDN = [
    { url: 'https://code.jquery.com/jquery-3.6.0.min.js', pkg: 'jquery', version: '3.6.0',
        file: 'dist/jquery.min.js', type: 'text/javascript' },
    { url: 'https://cdn.jsdelivr.net/npm/bootstrap@5.3.0/dist/js/bootstrap.bundle.min.js',
        pkg: 'bootstrap', version: '5.3.0', file: 'dist/js/bootstrap.bundle.min.js', type: 'text/javascript' },
    { url: 'https://cdn.jsdelivr.net/npm/bootstrap@5.3.0/dist/css/bootstrap.min.css',
        pkg: 'bootstrap', version: '5.3.0', file: 'dist/css/bootstrap.min.css', type: 'text/css' },
    { url: 'https://cdn.socket.io/4.4.1/socket.io.min.js', pkg: 'socket.io-client', version: '4.4.1',
        file: 'dist/socket.io.min.js', type: 'text/javascript' },
];

let server;
let browser;

before(async () => {
    if (skip)
        return;
    server = await startServer();
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
    await server?.close();
});

async function runPage(name) {
    const html = readFileSync(join(SEED, name));
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = [];
    const offline = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    // Nothing leaves the machine: the CDN URLs are answered here, anything else foreign fails.
    await context.route((url) => url.hostname !== '127.0.0.1', async (route) => {
        const entry = CDN.find((c) => c.url === route.request().url());
        if (!entry) {
            offline.push(route.request().url());
            return route.abort();
        }
        return route.fulfill({ status: 200, contentType: entry.type, body: readFileSync(packageFile(entry.pkg, entry.file)) });
    });
    const pageUrl = `${server.origin}/tutorial/${name}`;
    await context.route(pageUrl, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    try {
        await page.goto(server.url); // the printed ?token= link: the session cookie
        await page.goto(pageUrl);
        await page.click('#start-task');
        // The polling and Socket.IO pages say it in #progress-text, the Celery page in #status-text.
        await page.waitForFunction(() => [...document.querySelectorAll('#progress-text, #status-text')]
            .some((e) => e.textContent === 'Task completed!'), null, { timeout: 90000 });
        const width = await page.$eval('#progress-bar', (e) => e.style.width);
        assert.equal(width, '100%');
        assert.deepEqual(problems, []);
        assert.deepEqual(offline, []);
    } finally {
        await context.close();
    }
}

describe('the tutorial pages, unchanged', { skip, concurrency: true }, () => {
    test('the CDN stand-ins are the versions the pages name', () => {
        for (const c of CDN)
            assert.equal(pinnedVersion(c.pkg), c.version, c.pkg);
    });
    test('polling page (index.html): /start-task, /task-progress', () => runPage('index.html'));
    test('Celery page (celery_index.html): /task-status', () => runPage('celery_index.html'));
    test('Flask-SocketIO page (socketio_index.html): io(), start_task, progress_update',
        () => runPage('socketio_index.html'));
});
