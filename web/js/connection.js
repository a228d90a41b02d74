// Keeps the page's task mirror live over the best transport that works:
//   WebSocket /api/v1/ws  ->  Server-Sent Events /api/v1/events  ->  polling /api/v1/sync?rid=N
// A transport counts as working once it delivered its first sync payload (the snapshot), so a
// socket that opens and dies at once is a failure, not a loop. A working transport that drops
// is reconnected with backoff; one that cannot connect hands over to the next, and a probe
// later tries to climb back to the WebSocket. `?transport=ws|sse|poll` pins one (tests, debugging).
import { backoffDelay, pollDelay } from './backoff.js';
import { isSyncMessage } from './sync.js';

export const LADDER = ['ws', 'sse', 'poll'];
// Payload event names an SSE server may use besides the default "message".
const SSE_EVENTS = ['snapshot', 'sync', 'change', 'changes', 'update', 'tasks'];

function parse(data) {
    try {
        return JSON.parse(data);
    } catch {
        return null;
    }
}

function openWebSocket(callbacks) {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/ws`;
    let healthy = false;
    let closed = false;
    let ws;
    const handle = {
        kind: 'ws',
        get socket() { return ws; },
        isOpen: () => !closed && ws && ws.readyState === WebSocket.OPEN,
        close() {
            closed = true;
            if (ws && ws.readyState <= WebSocket.OPEN)
                ws.close(1000, 'client');
        },
        send(obj) {
            if (ws && ws.readyState === WebSocket.OPEN)
                ws.send(JSON.stringify(obj));
        },
    };
    try {
        ws = new WebSocket(url);
    } catch {
        queueMicrotask(() => callbacks.onFail(handle));
        return handle;
    }
    ws.addEventListener('message', (event) => {
        if (closed)
            return;
        const msg = parse(event.data);
        if (!msg || typeof msg !== 'object')
            return;
        if (msg.reply_to !== undefined) {
            callbacks.onReply?.(msg);
            return;
        }
        if (!isSyncMessage(msg))
            return; // pings and anything newer than this page
        callbacks.onMessage(msg);
        if (!healthy) {
            healthy = true;
            callbacks.onHealthy(handle);
        }
    });
    ws.addEventListener('close', () => {
        if (closed)
            return;
        closed = true;
        (healthy ? callbacks.onDrop : callbacks.onFail)(handle);
    });
    return handle;
}

function openEventSource(callbacks) {
    let healthy = false;
    let closed = false;
    let es;
    const handle = {
        kind: 'sse',
        get source() { return es; },
        isOpen: () => !closed && es && es.readyState === EventSource.OPEN,
        close() {
            closed = true;
            es?.close();
        },
    };
    try {
        es = new EventSource('/api/v1/events', { withCredentials: true });
    } catch {
        queueMicrotask(() => callbacks.onFail(handle));
        return handle;
    }
    const onData = (event) => {
        if (closed)
            return;
        const msg = parse(event.data);
        if (!isSyncMessage(msg))
            return;
        callbacks.onMessage(msg);
        if (!healthy) {
            healthy = true;
            callbacks.onHealthy(handle);
        }
    };
    es.addEventListener('message', onData);
    for (const name of SSE_EVENTS)
        es.addEventListener(name, onData);
    // EventSource would retry by itself, blindly: we decide instead (backoff, or step down).
    es.addEventListener('error', () => {
        if (closed)
            return;
        closed = true;
        es.close();
        (healthy ? callbacks.onDrop : callbacks.onFail)(handle);
    });
    return handle;
}

function openPolling(callbacks, { fetchSync, getRid, isHidden }) {
    let closed = false;
    let timer = 0;
    let inFlight = null;
    let failures = 0;
    let healthy = false;
    let again = false;
    const handle = {
        kind: 'poll',
        isOpen: () => !closed && failures === 0 && healthy,
        close() {
            closed = true;
            clearTimeout(timer);
            inFlight?.abort();
        },
        // Poll now (page shown again, network back, our own action); when a request is out,
        // right after it (its answer may predate the change).
        poke() {
            if (closed)
                return;
            if (inFlight) {
                again = true;
                return;
            }
            clearTimeout(timer);
            failures = 0;
            run();
        },
        get failures() { return failures; },
    };
    const schedule = () => {
        if (!closed)
            timer = setTimeout(run, pollDelay({ hidden: isHidden(), failures }));
    };
    async function run() {
        if (closed || inFlight)
            return; // one request in flight, ever
        inFlight = new AbortController();
        try {
            const msg = await fetchSync(getRid(), { signal: inFlight.signal });
            if (closed)
                return;
            failures = 0;
            callbacks.onMessage(msg);
            if (!healthy) {
                healthy = true;
                callbacks.onHealthy(handle);
            } else {
                callbacks.onRecovered?.(handle);
            }
        } catch (e) {
            if (closed || e?.name === 'AbortError')
                return;
            failures += 1;
            callbacks.onTrouble?.(handle, e);
        } finally {
            inFlight = null;
        }
        if (again && !closed && failures === 0) {
            again = false;
            run();
            return;
        }
        schedule();
    }
    queueMicrotask(run);
    return handle;
}

const STATUS_OF = { ws: 'live', sse: 'sse', poll: 'polling' };

export class Connection {
    /**
     * onMessage(msg): a sync payload to merge. onStatus(status, detail): 'connecting' | 'live' |
     * 'sse' | 'polling' | 'offline'. fetchSync(rid, {signal}) -> payload. forced: one of LADDER.
     */
    constructor({ onMessage, onStatus, onReply, fetchSync, getRid, forced = null, isHidden = () => document.hidden }) {
        this.onMessage = onMessage;
        this.onStatus = onStatus;
        this.onReply = onReply;
        this.fetchSync = fetchSync;
        this.getRid = getRid;
        this.isHidden = isHidden;
        this.ladder = LADDER.includes(forced) ? [forced] : LADDER;
        this.level = 0;
        this.current = null;
        this.retries = 0;      // consecutive failed (re)connects, for backoff
        this.probes = 0;       // consecutive failed climbs back up
        this.retryTimer = 0;
        this.probeTimer = 0;
        this.probe = null;
        this.status = 'connecting';
        this.stopped = false;
    }

    get kind() {
        return this.current?.kind ?? null;
    }

    start() {
        this.connect(0);
    }

    stop() {
        this.stopped = true;
        clearTimeout(this.retryTimer);
        clearTimeout(this.probeTimer);
        this.probe?.close();
        this.current?.close();
        this.current = null;
    }

    setStatus(status, detail = '') {
        if (this.status === status && !detail)
            return;
        this.status = status;
        this.onStatus(status, detail);
    }

    connect(level) {
        if (this.stopped)
            return;
        clearTimeout(this.retryTimer);
        clearTimeout(this.probeTimer);
        this.probe?.close();
        this.probe = null;
        this.current?.close();
        this.level = level;
        const kind = this.ladder[level];
        if (this.status !== 'offline')
            this.setStatus('connecting');
        this.current = this.open(kind, {
            onHealthy: (h) => {
                if (h !== this.current)
                    return;
                this.retries = 0;
                this.setStatus(STATUS_OF[kind]);
                this.scheduleProbe();
            },
            onFail: (h) => {
                if (h !== this.current)
                    return;
                if (level + 1 < this.ladder.length)
                    this.connect(level + 1);
                else
                    this.retryLater(level);
            },
            onDrop: (h) => {
                if (h !== this.current)
                    return;
                // Worked before: try the same transport again, quickly at first.
                this.retryLater(level, false);
            },
            onTrouble: (h, error) => {
                if (h === this.current)
                    this.setStatus('offline', error?.message || '');
            },
            onRecovered: (h) => {
                if (h === this.current)
                    this.setStatus(STATUS_OF[kind]);
            },
        });
    }

    open(kind, callbacks) {
        const cb = { onMessage: (m) => this.onMessage(m), onReply: (m) => this.onReply?.(m), ...callbacks };
        if (kind === 'ws')
            return openWebSocket(cb);
        if (kind === 'sse')
            return openEventSource(cb);
        return openPolling(cb, { fetchSync: this.fetchSync, getRid: this.getRid, isHidden: this.isHidden });
    }

    retryLater(level, offline = true) {
        if (this.stopped)
            return;
        this.current = null;
        if (offline)
            this.setStatus('offline');
        else
            this.setStatus('connecting');
        const delay = backoffDelay(this.retries, { base: 500, max: 30000 });
        this.retries += 1;
        this.retryTimer = setTimeout(() => this.connect(level), delay);
    }

    // On a lower transport, try now and then to climb back to the WebSocket (or SSE).
    scheduleProbe() {
        clearTimeout(this.probeTimer);
        if (this.level === 0 || this.stopped)
            return;
        const delay = backoffDelay(this.probes, { base: 5000, max: 60000 });
        this.probeTimer = setTimeout(() => this.runProbe(0), delay);
    }

    runProbe(target) {
        if (this.stopped || target >= this.level)
            return;
        const kind = this.ladder[target];
        const probe = this.open(kind, {
            onMessage: (msg) => {
                if (this.probe === probe || this.current === probe)
                    this.onMessage(msg);
            },
            onHealthy: (h) => {
                if (h !== this.probe)
                    return;
                // Take over: the better transport already delivered a fresh snapshot.
                this.probe = null;
                this.probes = 0;
                this.current?.close();
                this.current = h;
                this.level = target;
                this.retries = 0;
                this.setStatus(STATUS_OF[kind]);
                this.scheduleProbe();
            },
            onFail: (h) => {
                if (h !== this.probe)
                    return;
                this.probe = null;
                if (target + 1 < this.level) {
                    this.runProbe(target + 1);
                    return;
                }
                this.probes += 1;
                this.scheduleProbe();
            },
            onDrop: (h) => {
                if (h === this.current)
                    this.retryLater(target, false);
            },
        });
        this.probe = probe;
    }

    /** Something just changed on the server (our own action): a poller asks now. */
    poke() {
        if (this.current?.kind === 'poll')
            this.current.poke();
    }

    /** The page became visible or the network came back: catch up now. */
    resync() {
        if (this.stopped)
            return;
        const cur = this.current;
        if (!cur) {
            this.retries = 0;
            this.connect(0);
            return;
        }
        if (cur.kind === 'poll') {
            cur.poke();
            if (this.level > 0) {
                this.probes = 0;
                this.scheduleProbe();
            }
            return;
        }
        if (!cur.isOpen()) {
            this.retries = 0;
            this.connect(this.level);
            return;
        }
        // A push transport that looks open may have missed nothing, or may be half-dead after
        // a sleep: one sync request costs little and fills any gap (stale answers are ignored).
        this.fetchSync(this.getRid()).then((msg) => this.onMessage(msg), () => {});
    }
}
