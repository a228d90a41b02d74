// bench_upload_tus (issue 6): uploads one large file (default 1 GiB) with tus-js-client, the
// standard client unchanged, from an fs.ReadStream in 8 MiB chunks to `headway --headless`;
// part way through, Headway is killed (SIGKILL) and started again on the same data dir and
// port, and tus-js-client's own retries resume from the server's offset. Checks one POST, a
// resume past what was acknowledged before the kill, the saved file's SHA-256 and the task
// (succeeded, attempt 2); prints MB/s (restart excluded) and the peak RSS growth of the second
// process. Figures, not assertions on speed: non-zero exit only when the upload or a check failed.
//
//   HEADWAY_BIN=build/app/headway node tests/bench/bench_upload_tus.mjs [--size-mib 1024]
//
// Needs tests/web's node_modules (npm ci there). Files go to $TMPDIR and are removed at the end.
import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHeadway } from '../web/headway.mjs';
import { makeRandomFile, rssKb, sha256File } from '../web/files.mjs';

// tus-js-client lives in tests/web's node_modules.
const require = createRequire(new URL('../web/package.json', import.meta.url));
const tus = require('tus-js-client');

const MiB = 1024 * 1024;
const args = process.argv.slice(2);
const sizeArg = args.indexOf('--size-mib');
const SIZE = (sizeArg >= 0 ? Number(args[sizeArg + 1]) : 1024) * MiB + 4321; // not chunk-aligned

const dir = mkdtempSync(join(tmpdir(), 'headway-bench-upload-tus-'));
let server;
let exitCode = 0;
try {
    const name = 'tus-upload.bin';
    const file = join(dir, name);
    console.log(`making a ${(SIZE / MiB).toFixed(0)} MiB file...`);
    const sha256 = makeRandomFile(file, SIZE);

    server = await startHeadway();
    const { dataDir, port } = server;
    let restart = null;
    let restartMs = 0;
    let acceptedAtKill = 0;
    let peak = { pid: 0, baseline: 0, max: 0 };
    const sampler = setInterval(() => {
        if (peak.pid)
            peak.max = Math.max(peak.max, rssKb(peak.pid));
    }, 50);
    const requests = [];
    const t0 = Date.now();
    await new Promise((resolve, reject) => {
        const upload = new tus.Upload(createReadStream(file), {
            endpoint: `${server.origin}/api/v1/uploads`,
            chunkSize: 8 * MiB,
            uploadSize: SIZE,
            retryDelays: [200, 500, 1000, 1000, 2000, 2000, 4000, 4000],
            headers: { Authorization: `Bearer ${server.token}` },
            metadata: { filename: name, filetype: 'application/octet-stream' },
            onBeforeRequest: (req) => {
                requests.push(`${req.getMethod()} ${req.getHeader('Upload-Offset') ?? ''}`.trim());
            },
            onChunkComplete: (_size, accepted) => {
                if (!restart && accepted >= SIZE * 0.4) {
                    acceptedAtKill = accepted;
                    const t = Date.now();
                    restart = server.stop('SIGKILL').then(async () => {
                        server = await startHeadway(undefined, { dataDir, port });
                        restartMs = Date.now() - t;
                        const { pid } = server;
                        peak = { pid, baseline: rssKb(pid), max: rssKb(pid) };
                    });
                }
            },
            onError: reject,
            onSuccess: resolve,
        });
        upload.start();
    });
    await restart;
    const totalMs = Date.now() - t0;
    clearInterval(sampler);

    const headAt = requests.indexOf('HEAD');
    assert.ok(headAt > 0, 'a HEAD after the restart');
    const resumedAt = Number(requests.slice(headAt).find((r) => r.startsWith('PATCH')).split(' ')[1]);
    assert.ok(resumedAt >= acceptedAtKill, `resumed at ${resumedAt}, ${acceptedAtKill} accepted before the kill`);
    assert.equal(requests.filter((r) => r === 'POST').length, 1, 'one upload, never created again');
    const headers = { Authorization: `Bearer ${server.token}` };
    let task;
    for (const end = Date.now() + 60000; Date.now() < end;) {
        const body = await (await fetch(`${server.origin}/api/v1/tasks?type=upload`, { headers })).json();
        task = (body.tasks || []).find((t) => t.type === 'upload');
        if (task && ['succeeded', 'failed', 'canceled'].includes(task.state))
            break;
        await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(task?.state, 'succeeded', JSON.stringify(task?.error));
    assert.equal(task.attempt, 2, 'the interrupted task was resumed');
    assert.equal(task.result.sha256, sha256);
    assert.equal(await sha256File(join(dataDir, 'uploads', name)), sha256);

    const activeMs = totalMs - restartMs;
    const mbps = SIZE / 1e6 / (activeMs / 1000);
    const growthMb = (peak.max - peak.baseline) / 1024;
    console.log(`file     ${(SIZE / MiB).toFixed(0)} MiB with tus-js-client (fs.ReadStream, 8 MiB chunks); Headway ` +
        `killed at ${(100 * acceptedAtKill / SIZE).toFixed(0)}% and restarted in ${(restartMs / 1000).toFixed(2)} s, ` +
        `resumed at offset ${resumedAt}`);
    console.log(`upload   ${mbps.toFixed(1)} MB/s (${(activeMs / 1000).toFixed(2)} s without the restart)`);
    console.log(`server   RSS growth after the restart ${growthMb.toFixed(1)} MB (goal < 64 MB)`);
    console.log(`check    one POST, task succeeded at attempt 2, sha256 match`);
    console.log(`RESULT tus_upload_mbps=${mbps.toFixed(1)} rss_growth_mb=${growthMb.toFixed(1)} ok=1`);
} catch (e) {
    console.error(`bench_upload_tus: ${e.stack || e}`);
    exitCode = 1;
} finally {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
