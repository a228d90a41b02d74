// Starts `headway --headless --port 0 --data-dir TMP` (HEADWAY_BIN) for the node and browser
// tests and reads the URL it prints. One place for every test that needs the real app.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The headway binary under test (HEADWAY_BIN). Unset is an error, never a skip or a stand-in:
 * these tests are about the real app (ctest sets it).
 */
export function headwayBin() {
    const bin = process.env.HEADWAY_BIN;
    if (!bin)
        throw new Error('HEADWAY_BIN is not set: build headway and run with HEADWAY_BIN=build/app/headway (ctest sets it)');
    return bin;
}

/**
 * {url (with ?token=), origin, port, token, dataDir, pid, stop(signal), close()}; close() stops it and
 * removes dataDir, stop() only stops it (a restart test then starts another on the same
 * dataDir and port: `startHeadway(bin, { dataDir, port })`).
 */
export async function startHeadway(bin = headwayBin(), { dataDir: reuseDir, port = 0 } = {}) {
    const dataDir = reuseDir ?? mkdtempSync(join(tmpdir(), 'headway-web-test-'));
    const child = spawn(bin, ['--headless', '--port', String(port), '--data-dir', dataDir], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' },
    });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const url = await new Promise((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`headway printed no URL in 20 s. stderr:\n${stderr}`)), 20000);
        child.stdout.on('data', (d) => {
            out += d;
            const m = out.match(/Headway is serving at (http:\/\/\S+)/);
            if (m) {
                clearTimeout(timer);
                resolve(m[1]);
            }
        });
        child.on('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`headway exited with ${code} before printing its URL. stderr:\n${stderr}`));
        });
    });
    const parsed = new URL(url);
    const stop = async (signal = 'SIGTERM') => {
        if (child.exitCode === null && child.signalCode === null) {
            const exited = new Promise((r) => child.once('exit', r));
            child.kill(signal);
            const t = setTimeout(() => child.kill('SIGKILL'), 5000);
            await exited;
            clearTimeout(t);
        }
    };
    return {
        url,
        origin: parsed.origin,
        port: Number(parsed.port),
        token: parsed.searchParams.get('token'),
        dataDir,
        pid: child.pid,
        stop,
        close: async () => {
            await stop();
            rmSync(dataDir, { recursive: true, force: true });
        },
    };
}
