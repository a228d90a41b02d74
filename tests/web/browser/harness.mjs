// Starts the server under test and Chromium for the browser tests: always the real app
// (`headway --headless --port 0 --data-dir TMP` from HEADWAY_BIN; unset is an error).
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { headwayBin, startHeadway } from '../headway.mjs';

export const OUTPUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'output');
mkdirSync(OUTPUT, { recursive: true });

const CHROMIUM = process.env.HEADWAY_CHROMIUM || '/usr/bin/chromium';

/** {url (with ?token=), origin, close()} for a fresh server with an empty data dir. */
export async function startServer() {
    return startHeadway(headwayBin());
}

export async function launchBrowser() {
    return chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update',
            '--disable-default-apps', '--disable-sync', '--no-first-run', '--disable-features=Translate,OptimizationHints,MediaRouter'],
    });
}

/**
 * A page signed in through the printed ?token= link, with every request recorded.
 * options: browser context options (viewport, colorScheme, javaScriptEnabled...); waitUntil:
 * when the first navigation counts as done ('load'; 'commit' when the page redirects at once).
 */
export async function openPage(browser, server, { path = '/', beforeGoto = null, waitUntil = 'load', ...options } = {}) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
    const page = await context.newPage();
    const requests = [];
    const problems = [];
    page.on('request', (r) => requests.push(r.url()));
    context.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
        if (m.type() === 'error')
            problems.push(`console: ${m.text()}`);
    });
    if (beforeGoto)
        await beforeGoto(page);
    await page.goto(server.url, { waitUntil }); // sets the session cookie, redirects to "/"
    if (path !== '/')
        await page.goto(server.origin + path);
    return { context, page, requests, problems };
}

/** Requests whose host is not the loopback server's. */
export function foreignRequests(requests) {
    return requests.filter((u) => {
        if (u.startsWith('data:') || u.startsWith('blob:') || u === 'about:blank')
            return false;
        try {
            return new URL(u).hostname !== '127.0.0.1';
        } catch {
            return true;
        }
    });
}
