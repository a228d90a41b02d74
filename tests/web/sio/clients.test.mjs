// socket.io-client 4.4.1 from node against `headway --headless --port 0` (HEADWAY_BIN):
// long-polling only, WebSocket only and polling upgraded to WebSocket; acknowledgements,
// subscriptions, reconnection, and the security rules as a client sees them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { startHeadway } from '../headway.mjs';

const FAST = { type: 'demo', params: { steps: 5, delay_ms: 20 } };
let server;

before(async () => {
    server = await startHeadway(); // HEADWAY_BIN unset: an error, never a skip
});
after(async () => {
    await server?.close();
});

function connect(options = {}) {
    const { token = server.token, ...rest } = options;
    return io(server.origin, {
        reconnection: false,
        forceNew: true,
        extraHeaders: token ? { Authorization: `Bearer ${token}` } : {},
        ...rest,
    });
}
function once(emitter, event) {
    return new Promise((resolve) => emitter.once(event, resolve));
}
function emitAck(socket, event, payload) {
    return new Promise((resolve) => socket.emit(event, payload, resolve));
}
// Emits start_task and collects the task's updates until its last one.
async function runTask(socket, spec) {
    const updates = [];
    const started = once(socket, 'task_started');
    const done = new Promise((resolve) => {
        socket.on('progress_update', (u) => {
            updates.push(u);
            if (u.status !== 'in_progress')
                resolve();
        });
    });
    if (spec === undefined)
        socket.emit('start_task');
    else
        socket.emit('start_task', spec);
    const { task_id: id } = await started;
    await done;
    return { id, updates };
}
function assertCompleted({ id, updates }) {
    assert.ok(id);
    assert.ok(updates.length >= 1);
    let last = -1;
    for (const u of updates) {
        assert.equal(u.task_id, id);
        assert.ok(u.progress >= last, 'progress never goes back');
        last = u.progress;
    }
    assert.equal(updates.at(-1).status, 'completed');
    assert.equal(updates.at(-1).progress, 100);
}

describe('socket.io-client against Headway', () => {
    for (const transports of [['polling'], ['websocket']]) {
        test(`${transports[0]} only: start_task, task_started, progress_update to completed`, async () => {
            const socket = connect({ transports });
            await once(socket, 'connect');
            assert.equal(socket.io.engine.transport.name, transports[0]);
            assertCompleted(await runTask(socket, FAST));
            socket.disconnect();
        });
    }

    test('polling upgrades to WebSocket, then events flow over it', async () => {
        const socket = connect();
        await once(socket, 'connect');
        if (socket.io.engine.transport.name !== 'websocket')
            await once(socket.io.engine, 'upgrade');
        assert.equal(socket.io.engine.transport.name, 'websocket');
        assertCompleted(await runTask(socket, FAST));
        socket.disconnect();
    });

    test('acknowledgements for start_task and the commands', async () => {
        const socket = connect();
        await once(socket, 'connect');
        // The ack comes when the task is queued; only a running task can pause (a queued one
        // is refused with invalid_transition), so wait for its first step of progress.
        const running = new Promise((resolve) => {
            socket.on('progress_update', (u) => { if (u.state === 'running' && u.progress > 0) resolve(); });
        });
        const ack = await emitAck(socket, 'start_task', { type: 'demo', params: { steps: 200, delay_ms: 50 } });
        assert.equal(ack.ok, true);
        assert.equal(ack.task.id, ack.task_id);
        await running;
        const paused = await emitAck(socket, 'pause', { task_id: ack.task_id });
        assert.equal(paused.ok, true, JSON.stringify(paused));
        const canceled = await new Promise((resolve) => {
            socket.on('progress_update', (u) => { if (u.status === 'canceled') resolve(u); });
            socket.emit('cancel', ack.task_id, (reply) => assert.equal(reply.ok, true));
        });
        assert.ok(canceled.error);
        const again = await emitAck(socket, 'cancel', { task_id: ack.task_id });
        assert.equal(again.ok, false);
        assert.equal(again.error.code, 'invalid_transition');
        const unknown = await emitAck(socket, 'explode', {});
        assert.equal(unknown.error.code, 'bad_command');
        socket.disconnect();
    });

    test('a client only gets its own tasks unless it subscribes', async () => {
        const a = connect();
        const b = connect();
        const c = connect();
        await Promise.all([once(a, 'connect'), once(b, 'connect'), once(c, 'connect')]);
        const seenByB = [];
        b.on('progress_update', (u) => seenByB.push(u.task_id));
        const subscribed = await emitAck(c, 'subscribe', { all: true });
        assert.equal(subscribed.ok, true);
        const seenByC = [];
        c.on('task', (t) => seenByC.push(t.id));
        const run = await runTask(a, FAST);
        assertCompleted(run);
        // b's own task completing after a's shows b's stream is live and never carried a's.
        const own = await runTask(b, FAST);
        assert.ok(!seenByB.includes(run.id));
        assert.ok(seenByB.includes(own.id));
        assert.ok(seenByC.includes(run.id));
        for (const s of [a, b, c])
            s.disconnect();
    });

    test('reconnects after the connection drops', async () => {
        const socket = connect({ reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 100 });
        await once(socket, 'connect');
        const firstSid = socket.id;
        socket.io.engine.close(); // as if the network dropped
        await once(socket, 'connect');
        assert.notEqual(socket.id, firstSid);
        assertCompleted(await runTask(socket, FAST));
        socket.disconnect();
    });

    test('binary attachments are refused with a clear error', async () => {
        const socket = connect({ transports: ['websocket'] });
        await once(socket, 'connect');
        const error = new Promise((resolve) => socket.once('connect_error', resolve));
        socket.emit('start_task', Buffer.from([1, 2, 3]));
        assert.match((await error).message, /Binary attachments are not supported/);
        socket.close();
    });

    for (const transports of [['polling'], ['websocket']]) {
        test(`${transports[0]}: refused without token, with a wrong token and from a foreign Origin`, async () => {
            for (const options of [{ token: null }, { token: 'wrong' },
                { extraHeaders: { Authorization: `Bearer ${server.token}`, Origin: 'http://evil.example' } }]) {
                const socket = connect({ transports, ...options });
                const error = await once(socket, 'connect_error');
                assert.ok(error instanceof Error);
                assert.equal(socket.connected, false);
                socket.close();
            }
        });
    }

});
