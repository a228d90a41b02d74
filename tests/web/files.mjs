// Large test files for the upload tests and benchmarks: random bytes written in 8 MiB blocks
// (never all in memory) and their SHA-256, plus reading a process's resident memory.
import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, createReadStream, openSync, readFileSync, writeSync } from 'node:fs';

const BLOCK = 8 * 1024 * 1024;

/** Writes `size` random bytes to `path`; returns their SHA-256 (hex). */
export function makeRandomFile(path, size) {
    const hash = createHash('sha256');
    const fd = openSync(path, 'w');
    const buf = Buffer.alloc(Math.min(BLOCK, Math.max(size, 1)));
    try {
        for (let left = size; left > 0;) {
            const n = Math.min(left, buf.length);
            randomFillSync(buf, 0, n);
            writeSync(fd, buf, 0, n);
            hash.update(buf.subarray(0, n));
            left -= n;
        }
    } finally {
        closeSync(fd);
    }
    return hash.digest('hex');
}

/** The SHA-256 (hex) of a file, streamed. */
export async function sha256File(path) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path, { highWaterMark: BLOCK }))
        hash.update(chunk);
    return hash.digest('hex');
}

/** VmRSS of a process in kB from /proc (0 when it is gone). */
export function rssKb(pid) {
    try {
        return Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]);
    } catch {
        return 0;
    }
}
