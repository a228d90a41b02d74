// Push fan-out measured from another process the way a browser connects (issue 18): CLIENTS
// WebSocket clients (npm's `ws`, the RFC 6455 client Node programs use) on /api/v1/ws of a
// running `headway --headless`. Every client waits for its snapshot; the first then starts
// TASKS demo tasks (STEPS x DELAY ms) with WebSocket commands; the clock stops when every client
// has seen every one of them succeed. Ideal: STEPS x DELAY ms. Loopback only, bounded in time.
// Prints one line of key=value figures (the format of bench_push, which run.sh also runs).
//   node tests/bench/bench_push_ws.mjs --url http://127.0.0.1:PORT --token TOKEN
//        [--clients 50] [--tasks 50] [--steps 100] [--delay-ms 10] [--timeout 30]
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WebSocket = createRequire(join(ROOT, 'tests', 'web', 'package.json'))('ws');

const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
};
const URL_ = arg('url');
const TOKEN = arg('token', '');
const CLIENTS = Math.max(1, Number(arg('clients', 50)));
const TASKS = Math.max(1, Number(arg('tasks', 50)));
const STEPS = Number(arg('steps', 100));
const DELAY = Number(arg('delay-ms', 10));
const TIMEOUT_S = Number(arg('timeout', 30));
if (!URL_ || !/^http:\/\/127\.0\.0\.1:\d+$/.test(URL_)) {
    console.error('bench_push_ws: --url http://127.0.0.1:PORT is required (loopback only)');
    process.exit(2);
}
const wsUrl = `${URL_.replace(/^http/, 'ws')}/api/v1/ws`;
const now = () => Number(process.hrtime.bigint()) / 1e6;

const ours = new Set();
let startedAt = -1;
let snapshots = 0;
let replies = 0;
let failures = 0;
let doneClients = 0;
const clients = [];

function finish(code, message) {
    if (message)
        console.error(`bench_push_ws: ${message}`);
    for (const c of clients)
        c.socket.terminate();
    const done = clients.filter((c) => c.doneMs >= 0).map((c) => c.doneMs).sort((a, b) => a - b);
    const all = done.length === CLIENTS ? done.at(-1) : -1;
    const ideal = STEPS * DELAY;
    const messages = clients.reduce((n, c) => n + c.messages, 0);
    const bytes = clients.reduce((n, c) => n + c.bytes, 0);
    console.log(`client=node-ws clients=${CLIENTS} tasks=${TASKS} steps=${STEPS} delay_ms=${DELAY} ` +
        `ideal_ms=${ideal} clients_done=${done.length} all_delivered_ms=${all.toFixed(1)} ` +
        `first_client_ms=${(done[0] ?? -1).toFixed(1)} ratio=${(all > 0 ? all / ideal : -1).toFixed(3)} ` +
        `messages=${messages} MB=${(bytes / 1e6).toFixed(1)}`);
    process.exit(code);
}
function checkDone(c) {
    if (c.doneMs >= 0 || ours.size < TASKS)
        return;
    for (const id of ours) {
        if (!c.succeeded.has(id))
            return;
    }
    c.doneMs = now() - startedAt;
    if (++doneClients === CLIENTS)
        finish(0);
}
function startTasks() {
    startedAt = now();
    for (let i = 0; i < TASKS; ++i) {
        clients[0].socket.send(JSON.stringify({
            id: i, command: 'start', type: 'demo', title: `bench ${i}`,
            params: { steps: STEPS, delay_ms: DELAY },
        }));
    }
}

for (let i = 0; i < CLIENTS; ++i) {
    const c = { socket: new WebSocket(wsUrl, { headers: { Authorization: `Bearer ${TOKEN}` } }),
        snapshot: false, succeeded: new Set(), doneMs: -1, messages: 0, bytes: 0 };
    clients.push(c);
    c.socket.on('message', (data) => {
        ++c.messages;
        c.bytes += data.length;
        const msg = JSON.parse(data);
        if (msg.type === 'reply') {
            ++replies;
            if (msg.ok)
                ours.add(msg.task.id);
            else
                ++failures;
            if (replies === TASKS) {
                if (failures)
                    finish(1, `${failures} start commands failed`);
                for (const other of clients)
                    checkDone(other);
            }
            return;
        }
        for (const task of msg.tasks ?? []) {
            if (task.state === 'succeeded')
                c.succeeded.add(task.id);
        }
        if (msg.type === 'snapshot' && !c.snapshot) {
            c.snapshot = true;
            if (++snapshots === CLIENTS && startedAt < 0)
                startTasks();
        }
        if (startedAt >= 0)
            checkDone(c);
    });
    c.socket.on('error', (e) => finish(1, `client ${i}: ${e.message}`));
    c.socket.on('close', () => {
        if (c.doneMs < 0 && doneClients < CLIENTS)
            finish(1, `client ${i} disconnected`);
    });
}
setTimeout(() => finish(1, `timeout (${snapshots}/${CLIENTS} snapshots, ${doneClients}/${CLIENTS} clients done)`),
    TIMEOUT_S * 1000).unref();
