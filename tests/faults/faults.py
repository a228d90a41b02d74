#!/usr/bin/env python3
"""Fault tests against a real `headway --headless` (ctest label "faults"). One scenario per run:

  faults.py HEADWAY_BINARY kill9|diskfull|redis|slowclient [--seed N]

kill9       kill -9 at 20 seeded random moments of a mixed load (demo, copy, checksum, pipeline,
            a tus upload, API writes); after each restart nothing a client saw is lost.
diskfull    a small tmpfs as data dir and copy target: disk_full errors, store readable, serving.
redis       Redis killed (-9) and restarted while Celery tasks run: they finish, results arrive.
slowclient  a WebSocket client stopped with SIGSTOP while 50 tasks report: RSS stays within
            16 MB of the start and the other clients keep their rate.

Exit 0 passed, 1 failed (with the reason), 77 skipped (ctest SKIP_RETURN_CODE). Loopback only;
every wait is for an event (output line, SSE/WebSocket message, HTTP answer), bounded."""
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import EventStream, Headway, WebSocket, die_with_parent, sha256_file  # noqa: E402

FINISHED = {"succeeded", "failed", "canceled", "interrupted"}
SKIP = 77


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def apply(known, message):
    """Folds a sync/SSE message into id -> latest snapshot."""
    if message.get("full_update"):
        known.clear()
    for task in message.get("tasks", []):
        known[task["id"]] = task
    for gone in message.get("removed", []):
        known.pop(gone, None)


def wait_for(stream, known, predicate, max_messages=200000):
    """Reads SSE messages until predicate(known) holds (bounded by a message count)."""
    if predicate(known):
        return
    for n, message in enumerate(stream.messages()):
        apply(known, message)
        if predicate(known):
            return
        check(n < max_messages, "no progress after %d messages" % max_messages)


def write_random(path, size, rng):
    with open(path, "wb") as f:
        left = size
        while left:
            n = min(left, 1 << 20)
            f.write(rng.randbytes(n))
            left -= n


# --------------------------------------------------------------------------------- kill -9 ----
def scenario_kill9(binary, tmp, seed):
    hw = Headway(binary, os.path.join(tmp, "data"), ["--concurrency", "4"])
    try:
        return kill9_with(hw, tmp, seed)
    finally:
        hw.kill9()  # on a failure too: nothing outlives the test


def kill9_with(hw, tmp, seed):  # noqa: C901 - one story, told in order
    rounds = int(os.environ.get("FAULTS_KILLS", "20"))
    rng = random.Random(seed)
    print("kill9: seed %d (FAULTS_SEED=%d reproduces it), %d kills" % (seed, seed, rounds))
    src = os.path.join(tmp, "source.bin")
    write_random(src, 8 << 20, rng)
    src_sha = sha256_file(src)
    dst = os.path.join(tmp, "dst")
    os.makedirs(dst)
    upload_file = os.path.join(tmp, "upload.bin")
    write_random(upload_file, 40 << 20, rng)
    upload_sha = sha256_file(upload_file)
    upload_size = os.path.getsize(upload_file)
    chunk = 512 << 10
    uploaded = False  # the last PATCH answered with the full length: the upload is gone

    seen = {}  # id -> the last snapshot a client saw before a kill
    succeeded = {}  # id -> result of every task seen succeeded
    copies = 0
    location = task_id = None
    kills_mid_patch = 0

    def verify_after_restart():
        tasks = hw.tasks()  # the store opened and serves
        for tid, last in seen.items():
            check(tid in tasks, "task %s (%s, seen %s) is lost" % (tid, last["type"], last["state"]))
            now = tasks[tid]
            if tid in succeeded:
                check(now["state"] == "succeeded" and now["result"] == succeeded[tid],
                      "task %s was seen succeeded with %s, now %s with %s"
                      % (tid, succeeded[tid], now["state"], now["result"]))
            elif last["state"] in ("running", "paused"):
                check(now["state"] in FINISHED,
                      "task %s was running, after the restart it is %s" % (tid, now["state"]))
        for tid, now in tasks.items():
            check(now["state"] != "running" or tid not in seen or seen[tid]["state"] == "queued",
                  "task %s runs right after a restart without a retry" % tid)
            if now["state"] == "interrupted":
                check(now["error"] and now["error"]["code"] == "interrupted",
                      "interrupted task %s has error %s" % (tid, now["error"]))
                status, body = hw.api("POST", "/api/v1/tasks/%s/retry" % tid)
                check(status == 200, "retry of interrupted task %s: %d %s" % (tid, status, body))
        for name in os.listdir(dst):
            path = os.path.join(dst, name)
            if name.startswith("."):
                continue  # a .NAME.headway-part file: never under the final name
            check(os.path.getsize(path) == os.path.getsize(src) and sha256_file(path) == src_sha,
                  "copy target %s exists half-written (%d bytes)" % (name, os.path.getsize(path)))

    for round_no in range(rounds + 1):
        hw.start()
        if round_no:
            verify_after_restart()
        if location is None:
            location, task_id = hw.tus_create(upload_size, "upload.bin", upload_sha)
        if round_no == rounds:
            break
        stream = EventStream(hw)
        for spec in (
            {"type": "demo", "params": {"steps": 20, "delay_ms": 25}},
            {"type": "copy", "params": {"source": src, "destination": os.path.join(dst, "copy-%d.bin" % copies)}},
            {"type": "checksum", "params": {"path": src}},
            {"type": "pipeline", "params": {"steps": [
                {"type": "demo", "params": {"steps": 5, "delay_ms": 20}},
                {"type": "checksum", "params": {"path": src}}]}},
        ):
            hw.submit(spec)
        copies += 1
        victim = hw.submit({"type": "demo", "params": {"steps": 40, "delay_ms": 25}})["id"]
        kill_after = rng.randint(1, 40)  # messages observed before the kill
        mid_patch = rng.random() < 0.3
        killed_mid_patch = False
        n = 0
        for message in stream.messages():
            apply(seen, message)
            for tid, t in seen.items():
                if t["state"] == "succeeded":
                    succeeded.setdefault(tid, t["result"])
            n += 1
            if n == 2:
                hw.api("POST", "/api/v1/tasks/%s/pause" % victim)
            elif n == 4:
                hw.api("POST", "/api/v1/tasks/%s/resume" % victim)
            elif n % 4 == 0 and not uploaded:
                offset = hw.tus_offset(location)
                if offset < upload_size:
                    with open(upload_file, "rb") as f:
                        f.seek(offset)
                        data = f.read(chunk)
                    if mid_patch and n + 3 > kill_after:
                        # Half a chunk on the wire, then the kill.
                        conn = hw.connection()
                        conn.putrequest("PATCH", location)
                        for k, v in hw.headers({"Tus-Resumable": "1.0.0", "Upload-Offset": str(offset),
                                                "Content-Type": "application/offset+octet-stream",
                                                "Content-Length": str(len(data))}).items():
                            conn.putheader(k, v)
                        conn.endheaders()
                        conn.send(data[:len(data) // 2])
                        kills_mid_patch += 1
                        killed_mid_patch = True
                        hw.kill9()
                        conn.close()
                        break
                    status, body, resp = hw.tus_patch(location, offset, data)
                    check(status == 204, "PATCH at %d: %d %s" % (offset, status, body))
                    uploaded = int(resp.getheader("Upload-Offset")) == upload_size
            if n >= kill_after:
                hw.kill9()
                break
        stream.close()
        if hw.proc:
            hw.kill9()
        print("kill %d/%d after %d messages%s; %d tasks seen, %d succeeded"
              % (round_no + 1, rounds, n, " (mid-PATCH)" if killed_mid_patch else "",
                 len(seen), len(succeeded)))

    # The end: the upload resumes to its end and its digest matches; every task finishes.
    offset = upload_size if uploaded else hw.tus_offset(location)
    with open(upload_file, "rb") as f:
        while offset < upload_size:
            f.seek(offset)
            status, body, resp = hw.tus_patch(location, offset, f.read(chunk))
            check(status == 204, "PATCH at %d: %d %s" % (offset, status, body))
            offset = int(resp.getheader("Upload-Offset"))
    stream = EventStream(hw)
    known = {}
    wait_for(stream, known, lambda k: task_id in k and k[task_id]["state"] in FINISHED
             and all(t["state"] in FINISHED and t["state"] != "interrupted" for t in k.values()))
    stream.close()
    upload_task = known[task_id]
    check(upload_task["state"] == "succeeded", "upload task: %s" % upload_task)
    check(upload_task["result"].get("sha256") == upload_sha,
          "upload digest %s, expected %s" % (upload_task["result"], upload_sha))
    for tid, t in known.items():
        if t["type"] == "copy":
            # Killed between the rename and the store's commit, a copy comes back interrupted
            # with its target complete; its retry then refuses to overwrite it.
            check(t["state"] == "succeeded" or (t["state"] == "failed" and t["error"]["code"] == "destination_exists"),
                  "copy %s ended %s: %s" % (tid, t["state"], t["error"]))
            target = t["params"]["destination"]
            check(sha256_file(target) == src_sha, "copy target %s differs from the source" % target)
        if t["type"] == "checksum" and t["state"] == "succeeded":
            check(t["result"]["digest"] == src_sha, "checksum %s: %s" % (tid, t["result"]))
    hw.stop()
    print("kill9: %d kills (%d mid-PATCH), %d tasks, none lost; upload of %d MiB resumed, sha256 matches"
          % (rounds, kills_mid_patch, len(known), upload_size >> 20))


# ------------------------------------------------------------------------------- disk full ----
def scenario_diskfull(binary, tmp, seed):
    full = os.path.join(tmp, "full")
    os.makedirs(full)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m,mode=0700", "tmpfs", full],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        print("SKIP: cannot mount a tmpfs (needs root and mount permission): "
              + mounted.stderr.strip())
        return SKIP
    try:
        return diskfull_on(binary, tmp, full, seed)
    finally:
        subprocess.run(["umount", "-l", full])


def diskfull_on(binary, tmp, full, seed):
    hw = Headway(binary, os.path.join(full, "data"))
    try:
        return diskfull_with(hw, tmp, full, seed)
    finally:
        hw.kill9()


def diskfull_with(hw, tmp, full, seed):
    rng = random.Random(seed)
    src = os.path.join(tmp, "source.bin")
    write_random(src, 16 << 20, rng)
    hw.start()
    stream = EventStream(hw)
    known = {}
    target = os.path.join(full, "copy.bin")
    copy = hw.submit({"type": "copy", "params": {"source": src, "destination": target}})["id"]
    wait_for(stream, known, lambda k: copy in k and k[copy]["state"] in FINISHED)
    t = known[copy]
    check(t["state"] == "failed" and t["error"]["code"] == "disk_full",
          "a copy onto a full disk ended %s with %s" % (t["state"], t["error"]))
    check(t["error"]["message"], "disk_full without a message")
    check(not os.path.exists(target), "a half-written copy exists under its final name")
    print("copy onto a full disk: failed, %s: %s" % (t["error"]["code"], t["error"]["message"]))

    # Now fill the disk completely: the store cannot write, Headway must keep serving.
    with open(os.path.join(full, "filler"), "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    status, body, resp = hw.tus("POST", "/api/v1/uploads", headers={"Upload-Length": str(4 << 20)})
    if status == 201:
        status, body, resp = hw.tus_patch(resp.getheader("Location"), 0, b"x" * (1 << 20))
    check(status == 507 and body["error"]["code"] == "disk_full",
          "an upload onto a full disk answered %d %s" % (status, body))
    demo = hw.submit({"type": "demo", "params": {"steps": 3, "delay_ms": 10}})["id"]
    wait_for(stream, known, lambda k: demo in k and k[demo]["state"] in FINISHED)
    check(known[demo]["state"] == "succeeded", "a demo task on a full disk: %s" % known[demo])
    check(hw.api("GET", "/api/v1/health")[0] == 200 and copy in hw.tasks(),
          "Headway stopped serving on a full disk")
    stream.close()
    hw.stop()
    os.remove(os.path.join(full, "filler"))
    hw.start()
    tasks = hw.tasks()
    check(copy in tasks and tasks[copy]["error"]["code"] == "disk_full",
          "after a restart the store lost the disk_full task: %s" % tasks.get(copy))
    hw.stop()
    print("diskfull: disk_full errors, Headway served on a full disk, the store reopens")
    return 0


# ---------------------------------------------------------------------------------- redis ----
def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def scenario_redis(binary, tmp, seed):
    if not shutil.which("redis-server"):
        print("SKIP: redis-server is not installed")
        return SKIP
    if subprocess.run(["/usr/bin/python3", "-c", "import celery, redis"], capture_output=True).returncode:
        print("SKIP: python3-celery/python3-redis are not installed")
        return SKIP
    port = free_port()
    url = "redis://127.0.0.1:%d/0" % port
    tasks_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cluster")

    def start_redis():
        return subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                 "--appendonly", "no"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                preexec_fn=die_with_parent)

    def await_output(proc, needle):
        """Drains the process's output in a thread (so it never blocks on a full pipe) and
        waits for the line holding needle."""
        seen = threading.Event()
        lines = []

        def drain():
            for line in proc.stdout:
                lines.append(line)
                if needle in line:
                    seen.set()
            seen.set()  # the process ended

        threading.Thread(target=drain, daemon=True).start()
        if not seen.wait(120) or not any(needle in line for line in lines):
            raise Failure("no %r from %s: %s" % (needle, proc.args[0], b"".join(lines[-20:]).decode(errors="replace")))

    redis = start_redis()
    await_output(redis, b"Ready to accept connections")
    worker = subprocess.Popen(["/usr/bin/python3", "-m", "celery", "-A", "tasks", "worker", "-E", "--concurrency=4",
                               "--loglevel=info", "-n", "faults@%h", "--without-mingle", "--without-gossip"],
                              cwd=tasks_dir, env=dict(os.environ, HEADWAY_BROKER_URL=url, PYTHONUNBUFFERED="1",
                                                      PYTHONPATH=tasks_dir),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
    hw = None
    try:
        await_output(worker, b" ready.")
        print("redis on port %d and a Celery worker are ready" % port, flush=True)
        hw = Headway(binary, os.path.join(tmp, "data"), ["--celery", url]).start()
        stream = EventStream(hw)
        known = {}
        keys = ["faults-%d-%d" % (seed, i) for i in range(4)]
        ids = [hw.submit({"type": "celery", "params": {"task": "tasks.wait_for", "args": [key, 120]}})["id"]
               for key in keys]

        def message(k, i):
            return (k[i]["progress"] or {}).get("message") or ""

        wait_for(stream, known, lambda k: all(i in k and k[i]["state"] == "running"
                                              and message(k, i).startswith("waiting for ") for i in ids))
        print("4 Celery tasks running", flush=True)
        redis.send_signal(signal.SIGKILL)
        redis.wait()
        print("redis killed (-9) with 4 Celery tasks running", flush=True)
        wait_for(stream, known, lambda k: all(message(k, i) == "Waiting for broker…" for i in ids))
        redis = start_redis()
        await_output(redis, b"Ready to accept connections")
        print("redis restarted on the same port", flush=True)
        # The tasks report to the new Redis again; then the test lets them end.
        wait_for(stream, known, lambda k: all(message(k, i).startswith("waiting for ") for i in ids))
        with socket.create_connection(("127.0.0.1", port), timeout=30) as r:
            for key in keys:
                r.sendall(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$1\r\n1\r\n" % (len(key), key.encode()))
                check(r.recv(64).startswith(b"+OK"), "SET %s failed" % key)
        wait_for(stream, known, lambda k: all(k[i]["state"] in FINISHED for i in ids))
        for i in ids:
            check(known[i]["state"] == "succeeded" and known[i]["result"] == "released",
                  "Celery task %s after the Redis restart: %s %s %s"
                  % (i, known[i]["state"], known[i]["result"], known[i]["error"]))
        stream.close()
        print("redis: 4 Celery tasks finished across a Redis kill -9, results arrived")
        return 0
    finally:
        if hw:
            hw.stop()
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        redis.terminate()
        redis.wait()


# ----------------------------------------------------------------------------- slow client ----
def scenario_slowclient(binary, tmp, seed):
    hw = Headway(binary, os.path.join(tmp, "data"), ["--concurrency", "50"]).start()
    here = os.path.dirname(os.path.abspath(__file__))
    sleeper = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; sys.path.insert(0, %r); from harness import Headway, WebSocket\n"
         "hw = Headway(None, None); hw.port = %d; hw.token = %r\n"
         "ws = WebSocket(hw); print('connected', flush=True)\n"
         "while True: ws.recv()" % (here, hw.port, hw.token)],
        stdout=subprocess.PIPE, preexec_fn=die_with_parent)
    try:
        check(sleeper.stdout.readline().strip() == b"connected", "the sleeping client did not connect")
        clients = [WebSocket(hw) for _ in range(3)]
        for ws in clients:
            ws.recv()  # the snapshot
        start_rss = hw.rss_kib()
        ids = [hw.submit({"type": "demo", "params": {"steps": 3000, "delay_ms": 20}})["id"] for _ in range(50)]
        stamps = [[] for _ in clients]  # arrival times of each client's messages
        marks = {}  # the windows, set by client 0: a steady phase, the SIGSTOP, a second phase
        peak = [start_rss]
        ready = set()  # the clients that have seen every task running
        errors = []

        def read(i):
            known = {}
            try:
                while True:
                    msg = clients[i].recv()
                    if msg.get("type") not in ("snapshot", "changes"):
                        continue
                    apply(known, msg)
                    now = time.monotonic()
                    stamps[i].append(now)
                    if all(x in known and known[x]["state"] in FINISHED for x in ids):
                        return
                    if i not in ready and all(x in known and known[x]["state"] == "running" for x in ids):
                        ready.add(i)  # the windows start once every client is there
                    if i:
                        continue
                    peak[0] = max(peak[0], hw.rss_kib())
                    if "a0" not in marks and len(ready) == len(clients):
                        marks["a0"], marks["count"] = now, len(stamps[0])
                    elif "a0" in marks:
                        seen = len(stamps[0]) - marks["count"]
                        if seen == 90 and "a1" not in marks:
                            marks["a1"] = now
                            os.kill(sleeper.pid, signal.SIGSTOP)
                        elif seen == 120 and "b0" not in marks:
                            marks["b0"] = now
                        elif seen == 270 and "b1" not in marks:
                            marks["b1"] = now
                            for x in ids:
                                hw.api("POST", "/api/v1/tasks/%s/cancel" % x)
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append("client %d: %r" % (i, e))

        threads = [threading.Thread(target=read, args=(i,)) for i in range(len(clients))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        check(not errors, "; ".join(errors))
        check("b1" in marks, "the tasks ended before the measurement")
        growth = (peak[0] - start_rss) / 1024
        print("slowclient: RSS %.1f MiB at the start, peak %.1f MiB (+%.1f MiB) with a stopped client"
              % (start_rss / 1024, peak[0] / 1024, growth))
        if os.environ.get("HEADWAY_SANITIZED"):
            # ASan's allocator keeps freed chunks per size class (and in quarantine): RSS says
            # nothing about Headway's own memory there. The sanitized run still proves the
            # slow-client path free of memory errors and the rate check below.
            print("slowclient: RSS bound not checked in a sanitized build (%s)"
                  % os.environ["HEADWAY_SANITIZED"])
        else:
            check(growth <= 16, "RSS grew by %.1f MiB with a stopped WebSocket client" % growth)

        def rate(i, t0, t1):
            return sum(1 for t in stamps[i] if t0 <= t < t1) / max(t1 - t0, 1e-3)

        befores = [rate(i, marks["a0"], marks["a1"]) for i in range(len(clients))]
        # The steady rate is the slowest client's before the SIGSTOP: a reader that fell behind
        # on a busy machine catches up inside the first window and shows up to twice the
        # server's rate there (seen: 43.4 and 58.0 messages/s beside 21.9 and 29.5), which no
        # client keeps afterwards. A server held up by the stopped client slows every client.
        steady = min(befores)
        for i in range(len(clients)):
            after = rate(i, marks["b0"], marks["b1"])
            print("client %d: %.1f messages/s before the SIGSTOP (steady rate %.1f), %.1f with the stopped client"
                  % (i, befores[i], steady, after))
            check(after >= 0.7 * steady, "client %d slowed from %.1f to %.1f messages/s"
                  % (i, steady, after))
        return 0
    finally:
        if sleeper.poll() is None:
            os.kill(sleeper.pid, signal.SIGCONT)
            sleeper.kill()
        sleeper.wait()
        hw.stop()


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    binary, name = sys.argv[1], sys.argv[2]
    seed = int(os.environ.get("FAULTS_SEED") or random.SystemRandom().randrange(1 << 31))
    scenarios = {"kill9": scenario_kill9, "diskfull": scenario_diskfull, "redis": scenario_redis,
                 "slowclient": scenario_slowclient}
    tmp = tempfile.mkdtemp(prefix="headway-faults-")
    try:
        rc = scenarios[name](binary, tmp, seed)
        return rc or 0
    except Failure as e:
        print("FAILED (%s, seed %d): %s" % (name, seed, e))
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
