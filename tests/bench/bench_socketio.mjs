// Socket.IO push fan-out: CLIENTS socket.io-client connections (WebSocket), the first TASKS of
// them each start a task of STEPS steps x DELAY ms, and every client follows every task to its
// end. Measured against `headway --headless` (clients subscribe {all: true}; --concurrency
// TASKS) and, in the same run, the tutorial's Flask-SocketIO peer (eventlet + monkey_patch,
// which broadcasts every update). Loopback only, bounded in time; prints one JSON line per
// server and a Markdown table. Figures, not assertions.
//   node tests/bench/bench_socketio.mjs --headway BUILD/app/headway [--peers ../shared/peers]
//        [--clients 50] [--tasks 50] [--steps 100] [--delay-ms 10] [--timeout 120]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { io } = createRequire(join(ROOT, 'tests', 'web', 'package.json'))('socket.io-client');

const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
};
const CLIENTS = Number(arg('clients', 50));
const TASKS = Number(arg('tasks', 50));
const STEPS = Number(arg('steps', 100));
const DELAY = Number(arg('delay-ms', 10));
const TIMEOUT_S = Number(arg('timeout', 120));
const HEADWAY = arg('headway', process.env.HEADWAY_BIN);
const PEERS = arg('peers', [join(ROOT, '..', 'shared', 'peers'), join(ROOT, '..', '..', 'shared', 'peers')]
    .find((d) => existsSync(join(d, 'flask_socketio_app.py'))));
const now = () => Number(process.hrtime.bigint()) / 1e6;
const children = [];

function cpuSeconds(pid) {
    try {
        const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
        return (Number(f[11]) + Number(f[12])) / 100;
    } catch {
        return null;
    }
}
function freePort() {
    return new Promise((resolve) => {
        const s = net.createServer().listen(0, '127.0.0.1', () => {
            const { port } = s.address();
            s.close(() => resolve(port));
        });
    });
}
async function waitForPort(port, child) {
    for (let i = 0; i < 200 && child.exitCode === null; ++i) {
        const ok = await new Promise((resolve) => {
            const c = net.connect(port, '127.0.0.1', () => { c.end(); resolve(true); });
            c.on('error', () => resolve(false));
        });
        if (ok)
            return true;
        await new Promise((r) => setTimeout(r, 100));
    }
    return false;
}
function stop(child) {
    return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null)
            return resolve();
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => { clearTimeout(t); resolve(); });
        child.kill('SIGTERM');
    });
}

async function startHeadway() {
    const dataDir = mkdtempSync(join(tmpdir(), 'headway-bench-sio-'));
    const child = spawn(HEADWAY, ['--headless', '--port', '0', '--data-dir', dataDir, '--concurrency', String(TASKS)],
        { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' } });
    children.push(child);
    const url = await new Promise((resolve, reject) => {
        let out = '';
        const t = setTimeout(() => reject(new Error('headway printed no URL')), 20000);
        child.stdout.on('data', (d) => {
            out += d;
            const m = out.match(/Headway is serving at (http:\/\/\S+)/);
            if (m) { clearTimeout(t); resolve(m[1]); }
        });
    });
    const u = new URL(url);
    return { child, origin: u.origin, token: u.searchParams.get('token'), cleanup: () => rmSync(dataDir, { recursive: true, force: true }) };
}
async function startPeer() {
    const port = await freePort();
    const child = spawn('/usr/bin/python3', [join(PEERS, 'flask_socketio_app.py')], {
        stdio: 'ignore',
        env: { ...process.env, MONKEY_PATCH: '1', STEPS: String(STEPS), DELAY: String(DELAY / 1000), HOST: '127.0.0.1', PORT: String(port) },
    });
    children.push(child);
    if (!(await waitForPort(port, child)))
        throw new Error('the Flask-SocketIO peer did not start');
    return { child, origin: `http://127.0.0.1:${port}`, cleanup: () => {} };
}

async function measure(name, server, { headers = {}, subscribe = false, payload }) {
    const clients = [];
    for (let i = 0; i < CLIENTS; ++i) {
        const c = { events: 0, completed: new Set(), doneAt: null };
        c.socket = io(server.origin, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: headers, timeout: 20000 });
        clients.push(c);
    }
    const connected = await Promise.all(clients.map((c) => new Promise((resolve) => {
        c.socket.once('connect', () => resolve(true));
        c.socket.once('connect_error', () => resolve(false));
    })));
    if (subscribe)
        await Promise.all(clients.map((c) => new Promise((r) => c.socket.emit('subscribe', { all: true }, r))));
    let t0 = null;
    const all = new Promise((resolve) => {
        const timer = setTimeout(resolve, TIMEOUT_S * 1000);
        for (const c of clients) {
            c.socket.on('progress_update', (u) => {
                c.events++;
                if (u.status === 'completed' && !c.completed.has(u.task_id)) {
                    c.completed.add(u.task_id);
                    if (c.completed.size === TASKS) {
                        c.doneAt = now();
                        if (clients.every((x) => x.doneAt !== null)) { clearTimeout(timer); resolve(); }
                    }
                }
            });
        }
    });
    const cpu0 = cpuSeconds(server.child.pid);
    t0 = now();
    for (const c of clients.slice(0, TASKS)) {
        if (payload)
            c.socket.emit('start_task', payload);
        else
            c.socket.emit('start_task');
    }
    await all;
    const cpu1 = cpuSeconds(server.child.pid);
    const done = clients.filter((c) => c.doneAt !== null);
    const events = clients.map((c) => c.events);
    for (const c of clients)
        c.socket.disconnect();
    return {
        server: name, clients: CLIENTS, tasks: TASKS, steps: STEPS, delay_ms: DELAY,
        connected: connected.filter(Boolean).length,
        clients_saw_every_task_end: done.length,
        all_done_s: done.length === CLIENTS ? Math.round(Math.max(...done.map((c) => c.doneAt - t0))) / 1000 : null,
        ideal_s: STEPS * DELAY / 1000,
        events_per_client_min: Math.min(...events), events_per_client_max: Math.max(...events),
        server_cpu_s: cpu0 !== null && cpu1 !== null ? Math.round((cpu1 - cpu0) * 100) / 100 : null,
    };
}

const results = [];
try {
    if (!HEADWAY)
        throw new Error('--headway BIN (or HEADWAY_BIN) is needed');
    const hw = await startHeadway();
    results.push(await measure('headway', hw, {
        headers: { Authorization: `Bearer ${hw.token}` }, subscribe: true,
        payload: { type: 'demo', params: { steps: STEPS, delay_ms: DELAY } },
    }));
    await stop(hw.child);
    hw.cleanup();
    console.log(JSON.stringify(results.at(-1)));
    if (PEERS && !process.env.SKIP_PEER) {
        const peer = await startPeer();
        results.push(await measure('flask-socketio (eventlet, monkey_patch)', peer, {}));
        await stop(peer.child);
        console.log(JSON.stringify(results.at(-1)));
    } else {
        console.error('Flask-SocketIO peer skipped (no ../shared/peers or SKIP_PEER set)');
    }
} finally {
    for (const c of children)
        await stop(c);
}
console.log(`\n| server | clients saw every end | all done (s) | ideal (s) | events/client | server CPU (s) |`);
console.log('|---|---|---|---|---|---|');
for (const r of results)
    console.log(`| ${r.server} | ${r.clients_saw_every_task_end}/${r.clients} | ${r.all_done_s ?? 'timeout'} | ${r.ideal_s} | ${r.events_per_client_min}–${r.events_per_client_max} | ${r.server_cpu_s} |`);
process.exit(results.every((r) => r.clients_saw_every_task_end === r.clients) ? 0 : 1);
