#!/usr/bin/env python3
"""Soak benchmark (a figure, not a test; tests/bench/run.sh runs it): against one
`headway --headless` on 127.0.0.1 with TASKS demo tasks running, POLLERS clients poll
/api/v1/sync?rid=N (each about once a second, keep-alive), WS clients hold /api/v1/ws and SSE
clients /api/v1/events, for SECONDS. Prints errors, Headway's RSS (with the push clients connected, 10 s in with every poller
connected, and at the end), the
poll latency (p50/p99) and the longest answer of a /api/v1/health probe sent every 50 ms on its
own connection (an upper bound of the server thread's longest stall: its event loop answers it;
the window's thread is measured by bench_gui --serve).
Then the start-up with STORED finished tasks (written through TaskStore by
`headway_bench --fill-store`): time to "serving" and RSS.

  soak.py HEADWAY HEADWAY_BENCH [--seconds 60] [--pollers 1000] [--ws 200] [--sse 50]
          [--tasks 50] [--stored 10000] [--markdown]
"""
import argparse
import asyncio
import base64
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "faults"))
from harness import Headway  # noqa: E402


class Stats:
    def __init__(self):
        self.errors = 0
        self.error_kinds = {}
        self.latencies = []
        self.health = []
        self.messages = 0

    def error(self, kind):
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


async def read_head(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    headers = {}
    for line in head.split(b"\r\n")[1:]:
        if b":" in line:
            k, v = line.split(b":", 1)
            headers[k.strip().lower()] = v.strip()
    return status, headers


async def read_body(reader, headers):
    if b"content-length" in headers:
        return await reader.readexactly(int(headers[b"content-length"]))
    body = b""
    while True:  # chunked
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        data = await reader.readexactly(size + 2)
        if size == 0:
            return body
        body += data[:-2]


async def poller(hw, stats, stop, rng):
    rid = 0
    reader = writer = None
    await asyncio.sleep(rng.random())  # spread the first polls over a second
    while not stop.is_set():
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", hw.port)
            t0 = time.perf_counter()
            writer.write(("GET /api/v1/sync?rid=%d HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAuthorization: Bearer %s\r\n\r\n"
                          % (rid, hw.port, hw.token)).encode())
            status, headers = await read_head(reader)
            body = await read_body(reader, headers)
            stats.latencies.append(time.perf_counter() - t0)
            if status != 200:
                stats.error("poll %d" % status)
            else:
                rid = json.loads(body)["rid"]
        except (OSError, asyncio.IncompleteReadError, ValueError) as e:
            stats.error("poll " + type(e).__name__)
            writer = None
        await asyncio.sleep(0.5 + rng.random())  # about one poll a second


PROBE = r"""
import json, socket, sys, time
port, seconds = int(sys.argv[1]), float(sys.argv[2])
s = socket.create_connection(("127.0.0.1", port), timeout=60)
times, errors, end = [], 0, time.monotonic() + seconds
while time.monotonic() < end:
    t0 = time.perf_counter()
    s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port)
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(4096)
    head, body = data.split(b"\r\n\r\n", 1)
    length = int([l.split(b":")[1] for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0])
    while len(body) < length:
        body += s.recv(4096)
    times.append(time.perf_counter() - t0)
    errors += b" 200 " not in head.split(b"\r\n")[0]
    time.sleep(0.05)
print(json.dumps({"times": times, "errors": errors}))
"""


async def websocket(hw, stats, stop, connected):
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", hw.port)
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write(("GET /api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer %s\r\n\r\n"
                      % (hw.port, key, hw.token)).encode())
        status, _ = await read_head(reader)
        if status != 101:
            stats.error("ws %d" % status)
            return
        connected.append(1)
        while not stop.is_set():
            b0, b1 = await reader.readexactly(2)
            n = b1 & 0x7F
            if n == 126:
                n = int.from_bytes(await reader.readexactly(2), "big")
            elif n == 127:
                n = int.from_bytes(await reader.readexactly(8), "big")
            payload = await reader.readexactly(n)
            opcode = b0 & 0x0F
            if opcode == 8:
                if not stop.is_set():
                    stats.error("ws closed")
                return
            if opcode == 9:
                mask = os.urandom(4)
                writer.write(bytes([0x8A, 0x80 | len(payload)]) + mask
                             + bytes(c ^ mask[i % 4] for i, c in enumerate(payload)))
            elif opcode == 1:
                stats.messages += 1
    except (OSError, asyncio.IncompleteReadError) as e:
        if not stop.is_set():
            stats.error("ws " + type(e).__name__)


async def sse(hw, stats, stop, connected):
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", hw.port)
        writer.write(("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAccept: text/event-stream\r\n"
                      "Authorization: Bearer %s\r\n\r\n" % (hw.port, hw.token)).encode())
        status, _ = await read_head(reader)
        if status != 200:
            stats.error("sse %d" % status)
            return
        connected.append(1)
        while not stop.is_set():
            data = await reader.read(65536)
            if not data:
                if not stop.is_set():
                    stats.error("sse closed")
                return
            stats.messages += data.count(b"\ndata:") + data.startswith(b"data:")
    except (OSError, asyncio.IncompleteReadError) as e:
        if not stop.is_set():
            stats.error("sse " + type(e).__name__)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


async def soak(hw, args):
    stats = Stats()
    stop = asyncio.Event()
    rng = random.Random(1)
    connected = []
    push = [asyncio.create_task(websocket(hw, stats, stop, connected)) for _ in range(args.ws)]
    push += [asyncio.create_task(sse(hw, stats, stop, connected)) for _ in range(args.sse)]
    while len(connected) + stats.errors < args.ws + args.sse:
        await asyncio.sleep(0.05)
    rss_start = hw.rss_kib()
    peak = rss_start
    pollers = [asyncio.create_task(poller(hw, stats, stop, random.Random(rng.random())))
               for _ in range(args.pollers)]
    # The stall probe runs in its own process, so the saturated client loop does not delay it.
    probe = await asyncio.create_subprocess_exec(sys.executable, "-c", PROBE, str(hw.port), str(args.seconds),
                                                 stdout=asyncio.subprocess.PIPE)
    cpu0 = hw.cpu_seconds()
    t0 = time.monotonic()
    rss_warm = None  # after 10 s: every connection open, the growth after it is the steady state
    while time.monotonic() - t0 < args.seconds:
        await asyncio.sleep(1)
        peak = max(peak, hw.rss_kib())
        if rss_warm is None and time.monotonic() - t0 >= min(10, args.seconds / 2):
            rss_warm = hw.rss_kib()
    stop.set()
    cpu = (hw.cpu_seconds() - cpu0) / (time.monotonic() - t0)
    rss_end = hw.rss_kib()
    probed = json.loads((await probe.communicate())[0])
    stats.health = probed["times"]
    for _ in range(probed["errors"]):
        stats.error("health")
    await asyncio.wait(pollers, timeout=30)
    for t in push + pollers:
        t.cancel()
    await asyncio.gather(*push, *pollers, return_exceptions=True)
    return stats, (rss_start, rss_warm, rss_end, peak), len(connected), cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("headway")
    ap.add_argument("bench")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--pollers", type=int, default=1000)
    ap.add_argument("--ws", type=int, default=200)
    ap.add_argument("--sse", type=int, default=50)
    ap.add_argument("--tasks", type=int, default=50)
    ap.add_argument("--stored", type=int, default=10000)
    ap.add_argument("--markdown", action="store_true", help="only the table rows")
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # Headway inherits it

    tmp = tempfile.mkdtemp(prefix="headway-soak-")
    rows = []
    try:
        hw = Headway(args.headway, os.path.join(tmp, "soak"), ["--concurrency", str(args.tasks)]).start()
        try:
            for _ in range(args.tasks):
                hw.submit({"type": "demo", "params": {"steps": 100000, "delay_ms": 100}})
            stats, (rss_start, rss_warm, rss_end, peak), connected, cpu = asyncio.run(soak(hw, args))
            running = sum(1 for t in hw.tasks().values() if t["state"] == "running")
        finally:
            hw.stop()
        polls = len(stats.latencies)
        label = "soak %ds: %d pollers + %d WS + %d SSE, %d running tasks" % (
            args.seconds, args.pollers, args.ws, args.sse, args.tasks)
        rows.append((label + ": errors", "%d%s" % (stats.errors, " %s" % stats.error_kinds if stats.errors else "")))
        rows.append((label + ": polls answered", "%d (%.0f/s); %d push messages received; %d/%d push clients connected; %d tasks still running"
                     % (polls, polls / args.seconds, stats.messages, connected, args.ws + args.sse, running)))
        rows.append((label + ": Headway's CPU (all its threads)", "%.0f%% of one core" % (cpu * 100)))
        rows.append((label + ": poll latency p50 / p99", "%.1f ms / %.1f ms" % (
            percentile(stats.latencies, 0.5) * 1000, percentile(stats.latencies, 0.99) * 1000)))
        rows.append((label + ": longest /health answer (server-thread stall bound)",
                     "%.1f ms (p99 %.1f ms, %d probes)" % (max(stats.health or [float("nan")]) * 1000,
                                                           percentile(stats.health, 0.99) * 1000, len(stats.health))))
        rows.append((label + ": RSS push clients connected → 10 s in (all pollers connected) → end",
                     "%.1f → %.1f → %.1f MiB (+%.1f MiB after the first 10 s; peak %.1f MiB)" % (
                         rss_start / 1024, rss_warm / 1024, rss_end / 1024, (rss_end - rss_warm) / 1024,
                         peak / 1024)))

        # Start-up with STORED finished tasks, written through TaskStore.
        data = os.path.join(tmp, "stored")
        os.makedirs(data)
        subprocess.run([args.bench, "--fill-store", str(args.stored), os.path.join(data, "tasks.sqlite")],
                       check=True, stdout=subprocess.DEVNULL)
        hw = Headway(args.headway, data)
        t0 = time.monotonic()
        hw.start()
        startup = time.monotonic() - t0
        try:
            count = len(hw.tasks())  # at most 1000 in one page: the rest is checked by total
            status, body = hw.api("GET", "/api/v1/tasks?limit=1")
            rss = hw.rss_kib()
        finally:
            hw.stop()
        rows.append(("start-up with %d finished tasks in the store" % args.stored,
                     "%.2f s to serving; RSS %.1f MiB; %d tasks listed" % (startup, rss / 1024, body["total"])))
        assert count and body["total"] == args.stored, "the store did not load every task"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for name, value in rows:
        print("| %s | %s |" % (name, value) if args.markdown else "%-90s %s" % (name, value))
    return 0


if __name__ == "__main__":
    sys.exit(main())
