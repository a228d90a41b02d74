// tus-js-client (the standard tus client, unchanged) against `headway --headless`: a few MB
// in 1 MiB chunks, aborted half-way and resumed from the server's offset; then the file, its
// SHA-256 and the "upload" task are checked. Needs HEADWAY_BIN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tus from 'tus-js-client';
import { startHeadway } from '../headway.mjs';


function upload(data, options) {
    return new Promise((resolve, reject) => {
        const u = new tus.Upload(data, {
            ...options,
            onError: reject,
            onSuccess: () => resolve(u),
        });
        options.onCreate?.(u);
        u.start();
    });
}

test('tus-js-client uploads with an interruption and a resume', async () => {
    const server = await startHeadway();
    try {
        const data = randomBytes(5 * 1024 * 1024 + 123);
        const common = {
            endpoint: `${server.origin}/api/v1/uploads`,
            chunkSize: 1024 * 1024,
            retryDelays: [],
            headers: { Authorization: `Bearer ${server.token}` },
            metadata: { filename: 'tus-test.bin', filetype: 'application/octet-stream' },
        };

        // First attempt: abort after 2 MiB have been acknowledged.
        let first;
        await new Promise((resolve, reject) => {
            first = new tus.Upload(data, {
                ...common,
                onError: reject,
                onSuccess: () => reject(new Error('should have been aborted')),
                onChunkComplete: (_size, accepted) => {
                    if (accepted >= 2 * 1024 * 1024) {
                        first.abort(false).then(resolve, reject);
                    }
                },
            });
            first.start();
        });
        assert.ok(first.url, 'the upload got a URL');
        const head = await fetch(first.url, {
            method: 'HEAD',
            headers: { Authorization: `Bearer ${server.token}`, 'Tus-Resumable': '1.0.0' },
        });
        assert.equal(head.status, 200);
        const offset = Number(head.headers.get('upload-offset'));
        assert.ok(offset >= 2 * 1024 * 1024 && offset < data.length, `offset ${offset}`);

        // Resume: tus-js-client asks the server for the offset (HEAD) and goes on from there.
        const patchOffsets = [];
        await upload(data, {
            ...common,
            uploadUrl: first.url,
            onBeforeRequest: (req) => {
                if (req.getMethod() === 'PATCH') patchOffsets.push(Number(req.getHeader('Upload-Offset')));
            },
        });
        assert.equal(patchOffsets[0], offset, 'resumed at the server offset');

        const saved = readFileSync(join(server.dataDir, 'uploads', 'tus-test.bin'));
        assert.equal(saved.length, data.length);
        assert.ok(saved.equals(data));
        assert.deepEqual(readdirSync(join(server.dataDir, 'uploads')), ['tus-test.bin']);

        const tasks = await (await fetch(`${server.origin}/api/v1/tasks?type=upload`, {
            headers: { Authorization: `Bearer ${server.token}` },
        })).json();
        const task = tasks.tasks.find((t) => t.type === 'upload');
        assert.ok(task, 'an upload task exists');
        assert.equal(task.state, 'succeeded');
        assert.equal(task.result.bytes, data.length);
        assert.equal(task.result.sha256, createHash('sha256').update(data).digest('hex'));
        assert.deepEqual(task.progress.steps, ['Upload', 'Verify', 'Complete']);
    } finally {
        await server.close();
    }
});

test('tus-js-client terminates an upload', async () => {
    const server = await startHeadway();
    try {
        const data = randomBytes(3 * 1024 * 1024);
        let u;
        await new Promise((resolve, reject) => {
            u = new tus.Upload(data, {
                endpoint: `${server.origin}/api/v1/uploads`,
                chunkSize: 1024 * 1024,
                retryDelays: [],
                headers: { Authorization: `Bearer ${server.token}` },
                metadata: { filename: 'gone.bin' },
                onError: reject,
                onChunkComplete: () => { u.abort(true).then(resolve, reject); },
            });
            u.start();
        });
        assert.deepEqual(readdirSync(join(server.dataDir, 'uploads')), []);
        const head = await fetch(u.url, {
            method: 'HEAD',
            headers: { Authorization: `Bearer ${server.token}`, 'Tus-Resumable': '1.0.0' },
        });
        assert.equal(head.status, 404);
    } finally {
        await server.close();
    }
});

// Headway is killed (SIGKILL, as in a crash) in the middle of an upload and started again on
// the same data dir and port: tus-js-client's own retries ask the server for its offset
// (HEAD) and go on from there; the file, its SHA-256 and the task (resumed, attempt 2) are
// right.
test('tus-js-client resumes after Headway restarts mid-upload', async () => {
    let server = await startHeadway();
    const { dataDir, port } = server;
    try {
        const data = randomBytes(6 * 1024 * 1024 + 77);
        let restarted = null;
        let acceptedAtKill = 0;
        const requests = [];
        await upload(data, {
            endpoint: `${server.origin}/api/v1/uploads`,
            chunkSize: 1024 * 1024,
            // Generous: the new process must be listening before they run out.
            retryDelays: [200, 500, 1000, 1000, 2000, 2000, 4000, 4000],
            headers: { Authorization: `Bearer ${server.token}` },
            metadata: { filename: 'restart.bin', filetype: 'application/octet-stream' },
            onBeforeRequest: (req) => {
                requests.push(`${req.getMethod()} ${req.getHeader('Upload-Offset') ?? ''}`.trim());
            },
            onChunkComplete: (_size, accepted) => {
                if (!restarted && accepted >= 2 * 1024 * 1024) {
                    acceptedAtKill = accepted;
                    restarted = server.stop('SIGKILL').then(async () => {
                        server = await startHeadway(undefined, { dataDir, port });
                    });
                }
            },
        });
        await restarted;
        assert.ok(acceptedAtKill >= 2 * 1024 * 1024 && acceptedAtKill < data.length);
        // After the kill: a HEAD (the client asking for the offset) and a PATCH resuming at an
        // offset past the start (what had reached the disk), never a new upload.
        const headAt = requests.indexOf('HEAD');
        assert.ok(headAt > 0, `a HEAD after the restart: ${requests.join(', ')}`);
        const resumedAt = Number(requests.slice(headAt).find((r) => r.startsWith('PATCH')).split(' ')[1]);
        assert.ok(resumedAt >= acceptedAtKill, `resumed at ${resumedAt}, ${acceptedAtKill} accepted before the kill`);
        assert.equal(requests.filter((r) => r === 'POST').length, 1, 'one upload, never created again');

        const saved = readFileSync(join(dataDir, 'uploads', 'restart.bin'));
        assert.ok(saved.equals(data));
        assert.deepEqual(readdirSync(join(dataDir, 'uploads')), ['restart.bin']);
        const tasks = await (await fetch(`${server.origin}/api/v1/tasks?type=upload`, {
            headers: { Authorization: `Bearer ${server.token}` },
        })).json();
        const uploads = tasks.tasks.filter((t) => t.type === 'upload');
        assert.equal(uploads.length, 1);
        assert.equal(uploads[0].state, 'succeeded');
        assert.equal(uploads[0].attempt, 2, 'the interrupted task was resumed');
        assert.equal(uploads[0].result.sha256, createHash('sha256').update(data).digest('hex'));
    } finally {
        await server.close();
    }
});
