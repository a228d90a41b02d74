// Takes screenshots of the page for a person to look at, against the real app:
//   HEADWAY_BIN=build/app/headway node look.mjs [width] [tasks]
// With [tasks], that many demo tasks are submitted through the API first (a long list).
import { startServer, launchBrowser, openPage, OUTPUT } from './browser/harness.mjs';
const width = Number(process.argv[2] || 1280);
const server = await startServer();
for (let i = 0; i < Number(process.argv[3] || 0); i++) {
    await fetch(`${server.origin}/api/v1/tasks`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'demo', title: `Demo ${i + 1}`, params: { steps: 100, delay_ms: 1000 } }),
    });
}
const browser = await launchBrowser();
try {
    const { page, problems } = await openPage(browser, server, { viewport: { width, height: 900 }, colorScheme: process.env.SCHEME || 'light' });
    await page.waitForSelector('#connection[data-status="live"]', { timeout: 10000 });
    if (!process.argv[3]) {
        for (const [steps, delay] of [[5, 300], [8, 800]]) {
            await page.fill('#param-steps', String(steps));
            await page.fill('#param-delay_ms', String(delay));
            await page.click('#start-task');
        }
        await page.selectOption('#task-type', 'pipeline');
        await page.click('#start-task');
    }
    await page.waitForTimeout(2000);
    await page.screenshot({ path: `${OUTPUT}/look-${width}.png`, fullPage: !process.argv[3] });
    console.log(problems.join('\n') || 'no problems');
} finally {
    await browser.close();
    await server.close();
}
