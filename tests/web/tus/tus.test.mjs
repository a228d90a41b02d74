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

test('tus-js-client uploads with an interruption and a resume', { skip: !process.env.HEADWAY_BIN }, async () => {
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

test('tus-js-client terminates an upload', { skip: !process.env.HEADWAY_BIN }, async () => {
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
