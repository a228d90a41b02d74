// A small stand-in for `headway --headless`, speaking the same API to the page (for developing
// the page without a build, and for page tests that need odd server behaviour). Not a spec:
// app/server is. Run: node tests/web/mock/server.mjs [--port N] [--tasks N]
// Prints "Headway is serving at http://127.0.0.1:PORT/?token=TOKEN" like the app.
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = fileURLToPath(new URL('../../../web/', import.meta.url));
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };

const TYPES = [
    {
        name: 'demo', title: 'Demo', description: 'Counts through steps with a pause between them.',
        schema: {
            type: 'object', required: [],
            properties: {
                steps: { type: 'integer', default: 10, minimum: 1, maximum: 1000, title: 'Steps' },
                delay_ms: { type: 'integer', default: 1000, minimum: 0, maximum: 60000, title: 'Delay (ms)', description: 'Time per step.' },
                fail: { type: 'boolean', default: false, description: 'Fail at the last step.' },
            },
        },
    },
    {
        name: 'pipeline', title: 'Pipeline', description: 'Runs named steps one after another.',
        schema: {
            type: 'object', required: ['stages'],
            properties: {
                stages: { type: 'array', items: { type: 'string' }, default: ['Fetch', 'Hash', 'Copy', 'Verify'], title: 'Stages' },
                delay_ms: { type: 'integer', default: 500, minimum: 0 },
            },
        },
    },
];

export function startMock({ port = 0, tasks: seedCount = 0 } = {}) {
    const token = randomBytes(16).toString('hex');
    const session = randomBytes(16).toString('hex');
    const tasks = new Map();
    const taskRid = new Map();
    const removed = []; // [rid, id]
    let rid = 0;
    let counter = 0;
    const pushers = new Set();

    const iso = () => new Date().toISOString();
    // The real engine ships what a task allows ("actions"); the mock works it out the same way.
    const ACTIONS_BY_STATE = {
        queued: ['cancel'], running: ['cancel', 'pause'], paused: ['cancel', 'resume'], retrying: ['cancel'],
        succeeded: ['remove'], failed: ['retry', 'remove'], canceled: ['retry', 'remove'], interrupted: ['retry', 'remove'],
    };
    function changed(task) {
        task.actions = ACTIONS_BY_STATE[task.state] || [];
        rid += 1;
        taskRid.set(task.id, rid);
        for (const p of pushers)
            p.pump();
    }
    function diffSince(since) {
        const full = since <= 0 || since > rid;
        const out = { rid, full_update: full, tasks: [], removed: [] };
        for (const [id, t] of tasks) {
            if (full || taskRid.get(id) > since)
                out.tasks.push(t);
        }
        if (!full)
            out.removed = removed.filter(([r]) => r > since).map(([, id]) => id);
        return out;
    }

    function makeTask(type, params, title) {
        counter += 1;
        const id = `${String(counter).padStart(8, '0')}-mock-${randomBytes(4).toString('hex')}`;
        const stepsLabels = type === 'pipeline' ? params.stages : [];
        const total = type === 'pipeline' ? params.stages.length : params.steps;
        return {
            id, type, title: title || (type === 'demo' ? `Demo (${total} steps)` : 'Pipeline'), state: 'queued', priority: 0, attempt: 1, params,
            created: new Date(Date.now() + counter).toISOString(), started: null, finished: null,
            progress: { percent: 0, processed: 0, total, unit: type === 'pipeline' ? '' : 'steps', speed: 0, eta: null, step: stepsLabels.length ? 0 : -1, steps: stepsLabels, message: '' },
            result: null, error: null, actions: ['cancel'],
        };
    }
    const timers = new Map();
    function run(task) {
        task.state = 'running';
        task.started ??= iso();
        changed(task);
        const delay = task.params.delay_ms;
        const tick = () => {
            if (task.state !== 'running')
                return;
            const p = task.progress;
            p.processed += 1;
            p.percent = (100 * p.processed) / p.total;
            p.speed = delay > 0 ? 1000 / delay : 0;
            p.eta = delay > 0 ? ((p.total - p.processed) * delay) / 1000 : 0;
            if (p.steps.length)
                p.step = Math.min(p.processed, p.steps.length - 1);
            p.message = `Step ${p.processed} of ${p.total}`;
            if (p.processed >= p.total) {
                timers.delete(task.id);
                task.finished = iso();
                if (task.params.fail) {
                    task.state = 'failed';
                    task.error = { code: 'demo_failure', message: 'The demo failed on purpose.' };
                } else {
                    task.state = 'succeeded';
                    task.result = { status: 'Task completed!' };
                    if (p.steps.length)
                        p.step = p.steps.length;
                }
                p.speed = 0;
                p.eta = null;
            } else {
                timers.set(task.id, setTimeout(tick, delay));
            }
            changed(task);
        };
        timers.set(task.id, setTimeout(tick, delay));
    }
    function stop(task) {
        clearTimeout(timers.get(task.id));
        timers.delete(task.id);
    }

    function validate(body) {
        const fields = [];
        const type = TYPES.find((t) => t.name === body?.type);
        if (!type)
            return { error: { code: 'unknown_type', message: `Unknown task type "${body?.type}".`, fields: [{ field: 'type', message: 'Unknown task type.' }] } };
        const params = { ...(body.params || {}) };
        for (const [name, prop] of Object.entries(type.schema.properties)) {
            if (params[name] === undefined && prop.default !== undefined)
                params[name] = prop.default;
            const v = params[name];
            if (v === undefined)
                continue;
            if (prop.type === 'integer' && !Number.isInteger(v))
                fields.push({ field: `params.${name}`, message: 'Must be a whole number.' });
            else if (prop.minimum !== undefined && v < prop.minimum)
                fields.push({ field: `params.${name}`, message: `Must be at least ${prop.minimum}.` });
            else if (prop.maximum !== undefined && v > prop.maximum)
                fields.push({ field: `params.${name}`, message: `Must be at most ${prop.maximum}.` });
        }
        for (const r of type.schema.required) {
            if (params[r] === undefined || (Array.isArray(params[r]) && params[r].length === 0))
                fields.push({ field: `params.${r}`, message: 'This parameter is required.' });
        }
        if (fields.length)
            return { error: { code: 'invalid_params', message: `Invalid parameters for "${type.name}": ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, fields } };
        return { params };
    }

    function act(task, action) {
        if (!task.actions.includes(action))
            return { status: 409, body: { error: { code: 'invalid_transition', message: `Cannot ${action} a task that is ${task.state}.` } } };
        if (action === 'cancel') {
            stop(task);
            task.state = 'canceled';
            task.finished = iso();
            task.progress.speed = 0;
            task.progress.eta = null;
            changed(task);
        } else if (action === 'pause') {
            stop(task);
            task.state = 'paused';
            changed(task);
        } else if (action === 'resume') {
            run(task);
        } else if (action === 'retry') {
            task.attempt += 1;
            task.error = null;
            task.finished = null;
            Object.assign(task.progress, { percent: 0, processed: 0, message: '' });
            task.state = 'queued';
            changed(task);
            setTimeout(() => task.state === 'queued' && run(task), 50);
        }
        return { status: 200, body: task };
    }

    function send(res, status, body, headers = {}) {
        const data = body === undefined ? '' : JSON.stringify(body);
        res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
        res.end(data);
    }
    const csp = (host) => `default-src 'self'; connect-src 'self' ws://${host}; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'self'`;
    const authed = (req) => (req.headers.cookie || '').split(/;\s*/).includes(`headway_session=${session}`);

    async function readBody(req) {
        const chunks = [];
        for await (const c of req)
            chunks.push(c);
        return Buffer.concat(chunks).toString('utf8');
    }

    const server = createServer(async (req, res) => {
        const url = new URL(req.url, 'http://x');
        const path = url.pathname;
        const sec = { 'Content-Security-Policy': csp(req.headers.host), 'X-Content-Type-Options': 'nosniff' };
        if (url.searchParams.get('token') === token) {
            res.writeHead(303, { Location: path, 'Set-Cookie': `headway_session=${session}; HttpOnly; SameSite=Strict; Path=/` });
            res.end();
            return;
        }
        if (!authed(req) && path !== '/api/v1/health')
            return send(res, 401, { error: { code: 'unauthorized', message: 'Open the link Headway printed.' } });

        if (!path.startsWith('/api/')) {
            if (path === '/plain') {
                res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...sec });
                res.end(`<!doctype html><meta http-equiv="refresh" content="2"><h1>Headway tasks</h1><ul>${[...tasks.values()].map((t) => `<li>${t.title} ${t.state} ${Math.round(t.progress.percent || 0)}%</li>`).join('')}</ul>`);
                return;
            }
            const rel = normalize(path === '/' ? '/index.html' : path);
            if (rel.includes('..'))
                return send(res, 404, { error: { code: 'not_found', message: 'Nothing here.' } });
            try {
                const data = await readFile(join(WEB, rel));
                res.writeHead(200, { 'Content-Type': MIME[extname(rel)] || 'application/octet-stream', 'Cache-Control': 'no-cache', ...sec });
                res.end(data);
            } catch {
                send(res, 404, { error: { code: 'not_found', message: 'Nothing here.' } });
            }
            return;
        }

        if (req.method === 'GET' && path === '/api/v1/task-types')
            return send(res, 200, { task_types: TYPES });
        if (req.method === 'GET' && path === '/api/v1/sync')
            return send(res, 200, diffSince(Number(url.searchParams.get('rid') || 0)));
        if (req.method === 'GET' && path === '/api/v1/events') {
            res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
            const p = { sent: Number(req.headers['last-event-id'] || 0), pump() {
                if (this.sent !== rid || !this.started) {
                    const d = diffSince(this.sent);
                    res.write(`id: ${rid}\ndata: ${JSON.stringify({ type: d.full_update ? 'snapshot' : 'changes', ...d })}\n\n`);
                    this.sent = rid;
                    this.started = true;
                }
            } };
            pushers.add(p);
            p.pump();
            req.on('close', () => pushers.delete(p));
            return;
        }
        if (req.method === 'POST' && path === '/api/v1/tasks') {
            let body;
            try {
                body = JSON.parse(await readBody(req));
            } catch {
                return send(res, 400, { error: { code: 'bad_json', message: 'The body is not valid JSON.' } });
            }
            const v = validate(body);
            if (v.error)
                return send(res, 400, v);
            const task = makeTask(body.type, v.params, body.title);
            tasks.set(task.id, task);
            changed(task);
            setTimeout(() => task.state === 'queued' && run(task), 20);
            return send(res, 201, task);
        }
        if (req.method === 'DELETE' && path === '/api/v1/tasks') {
            let n = 0;
            for (const t of [...tasks.values()]) {
                if (['succeeded', 'failed', 'canceled', 'interrupted'].includes(t.state)) {
                    tasks.delete(t.id);
                    rid += 1;
                    removed.push([rid, t.id]);
                    n += 1;
                }
            }
            for (const p of pushers)
                p.pump();
            return send(res, 200, { removed: n });
        }
        const m = path.match(/^\/api\/v1\/tasks\/([^/]+)(?:\/(cancel|pause|resume|retry))?$/);
        if (m) {
            const task = tasks.get(decodeURIComponent(m[1]));
            if (!task)
                return send(res, 404, { error: { code: 'not_found', message: `No task with id ${m[1]}.` } });
            if (req.method === 'GET' && !m[2])
                return send(res, 200, task);
            if (req.method === 'DELETE' && !m[2]) {
                if (!['succeeded', 'failed', 'canceled', 'interrupted'].includes(task.state))
                    return send(res, 409, { error: { code: 'not_finished', message: 'Only finished tasks can be removed.' } });
                tasks.delete(task.id);
                rid += 1;
                removed.push([rid, task.id]);
                for (const p of pushers)
                    p.pump();
                res.writeHead(204);
                res.end();
                return;
            }
            if (req.method === 'POST' && m[2]) {
                const r = act(task, m[2]);
                return send(res, r.status, r.body);
            }
        }
        send(res, 404, { error: { code: 'not_found', message: 'Nothing here.' } });
    });

    // A bare WebSocket server: handshake, text frames out, close frames in.
    server.on('upgrade', (req, socket) => {
        if (!authed(req) || new URL(req.url, 'http://x').pathname !== '/api/v1/ws') {
            socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
            return;
        }
        const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
        const frame = (opcode, payload) => {
            const len = payload.length;
            const head = len < 126 ? Buffer.from([0x80 | opcode, len])
                : len < 65536 ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 255])
                    : Buffer.concat([Buffer.from([0x80 | opcode, 127]), (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(len)); return b; })()]);
            socket.write(Buffer.concat([head, payload]));
        };
        const p = { sent: 0, started: false, pump() {
            if (this.sent !== rid || !this.started) {
                const d = diffSince(this.sent);
                frame(1, Buffer.from(JSON.stringify({ type: d.full_update ? 'snapshot' : 'changes', ...d })));
                this.sent = rid;
                this.started = true;
            }
        } };
        pushers.add(p);
        p.pump();
        socket.on('data', (buf) => {
            if ((buf[0] & 0x0f) === 8) {
                frame(8, Buffer.alloc(0));
                socket.end();
            }
        });
        socket.on('close', () => pushers.delete(p));
        socket.on('error', () => pushers.delete(p));
    });

    for (let i = 0; i < seedCount; ++i) {
        const t = makeTask('demo', { steps: 100 + (i % 400), delay_ms: 200 + (i % 7) * 100, fail: false }, `Seed task ${i + 1}`);
        tasks.set(t.id, t);
        changed(t);
        if (i % 3 !== 2)
            run(t);
    }

    return new Promise((resolve) => {
        server.listen(port, '127.0.0.1', () => {
            const url = `http://127.0.0.1:${server.address().port}/?token=${token}`;
            resolve({
                url, server, tasks,
                close: () => new Promise((r) => {
                    for (const t of timers.values())
                        clearTimeout(t);
                    server.closeAllConnections?.();
                    server.close(() => r());
                }),
            });
        });
    });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    const arg = (name, def) => {
        const i = process.argv.indexOf(name);
        return i > 0 ? Number(process.argv[i + 1]) : def;
    };
    const { url } = await startMock({ port: arg('--port', 0), tasks: arg('--tasks', 0) });
    console.log(`Headway is serving at ${url}`);
}
