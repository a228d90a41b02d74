"""Driving a real `headway --headless` from Python 3 (stdlib only), for tests/faults and the
soak benchmark: start/kill, the JSON API, a tus upload, SSE and a minimal WebSocket client.
Loopback only. Waits are event-driven (a line of output, an SSE/WebSocket message, an HTTP
answer), each bounded by a count and a socket timeout that fails the run, never a sleep."""
import base64
import hashlib
import http.client
import json
import os
import re
import select
import signal
import socket
import subprocess

def die_with_parent():
    """preexec_fn: the child gets SIGKILL when this process dies (a ctest timeout kills only
    the harness; nothing it started may outlive it)."""
    import ctypes
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


IO_TIMEOUT = 60  # seconds a socket read may block before the run fails (a bound, not a wait)


class Headway:
    def __init__(self, binary, data_dir, args=()):
        self.binary, self.data_dir, self.args = binary, data_dir, list(args)
        self.proc = None
        self.port = None
        self.token = None

    def start(self):
        os.makedirs(self.data_dir, exist_ok=True)
        self.proc = subprocess.Popen(
            [self.binary, "--headless", "--port", "0", "--data-dir", self.data_dir] + self.args,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
            preexec_fn=die_with_parent,
            # Unbuffered: readline() then takes one line off the pipe, never more, so select()
            # sees the lines a buffered reader would have hidden (two lines in one write: a
            # restored upload's log line, from the server's thread, just before the address).
            bufsize=0)
        output = b""
        for _ in range(200):  # lines of output before the address, at most
            ready, _, _ = select.select([self.proc.stdout], [], [], IO_TIMEOUT)
            if not ready:
                break
            line = self.proc.stdout.readline()
            if not line:
                break
            output += line
            m = re.search(rb"Headway is serving at http://127\.0\.0\.1:(\d+)/\?token=(\S+)", line)
            if m:
                self.port = int(m.group(1))
                self.token = m.group(2).decode()
                return self
        raise RuntimeError("headway did not start: " + output.decode(errors="replace"))

    def kill9(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        if self.proc:
            self.proc.wait()
            self.proc.stdout.close()
        self.proc = None

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=IO_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.proc.stdout.close()
        self.proc = None

    def rss_kib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def cpu_seconds(self):
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime

    # --- HTTP -------------------------------------------------------------------------
    def connection(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=IO_TIMEOUT)

    def headers(self, extra=None):
        h = {"Authorization": "Bearer " + self.token}
        h.update(extra or {})
        return h

    def request(self, method, path, body=None, headers=None, conn=None):
        own = conn is None
        conn = conn or self.connection()
        data = None
        h = self.headers(headers)
        if body is not None and not isinstance(body, (bytes, bytearray)):
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        elif body is not None:
            data = bytes(body)
        try:
            conn.request(method, path, body=data, headers=h)
            resp = conn.getresponse()
            raw = resp.read()
            parsed = None
            if raw and resp.getheader("Content-Type", "").startswith("application/json"):
                parsed = json.loads(raw)
            return resp.status, parsed, resp
        finally:
            if own:
                conn.close()

    def api(self, method, path, body=None):
        status, parsed, _ = self.request(method, path, body)
        return status, parsed

    def tasks(self):
        status, body = self.api("GET", "/api/v1/tasks?limit=1000")
        if status != 200:
            raise RuntimeError("GET /api/v1/tasks: %d %s" % (status, body))
        return {t["id"]: t for t in body["tasks"]}

    def submit(self, spec):
        status, body = self.api("POST", "/api/v1/tasks", spec)
        if status != 201:
            raise RuntimeError("submit %s: %d %s" % (spec, status, body))
        return body

    # --- tus --------------------------------------------------------------------------
    def tus(self, method, path, body=None, headers=None):
        h = {"Tus-Resumable": "1.0.0"}
        h.update(headers or {})
        status, parsed, resp = self.request(method, path, body if body is not None else b"", h)
        return status, parsed, resp

    def tus_create(self, length, name, sha256):
        meta = "filename %s,sha256 %s" % (base64.b64encode(name.encode()).decode(),
                                          base64.b64encode(sha256.encode()).decode())
        status, body, resp = self.tus("POST", "/api/v1/uploads",
                                      headers={"Upload-Length": str(length), "Upload-Metadata": meta})
        if status != 201:
            raise RuntimeError("tus create: %d %s" % (status, body))
        return resp.getheader("Location"), resp.getheader("Headway-Task-Id")

    def tus_offset(self, location):
        status, _, resp = self.tus("HEAD", location)
        if status != 200:
            raise RuntimeError("tus HEAD: %d" % status)
        return int(resp.getheader("Upload-Offset"))

    def tus_patch(self, location, offset, chunk):
        status, body, resp = self.tus("PATCH", location, chunk, {
            "Content-Type": "application/offset+octet-stream", "Upload-Offset": str(offset)})
        return status, body, resp


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class EventStream:
    """GET /api/v1/events: yields the JSON messages (snapshot/changes) as they arrive."""

    def __init__(self, hw, rid=None):
        self.sock = socket.create_connection(("127.0.0.1", hw.port), timeout=IO_TIMEOUT)
        path = "/api/v1/events" + ("?rid=%d" % rid if rid is not None else "")
        self.sock.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAuthorization: Bearer %s\r\n"
                           "Accept: text/event-stream\r\n\r\n" % (path, hw.port, hw.token)).encode())
        self.buf = b""
        head = self._until(b"\r\n\r\n")
        if b" 200 " not in head.split(b"\r\n")[0]:
            raise RuntimeError("SSE: " + head.decode(errors="replace"))
        self.chunked = b"chunked" in head.lower()

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError("the event stream closed")
        self.buf += data

    def _until(self, sep):
        while sep not in self.buf:
            self._fill()
        head, self.buf = self.buf.split(sep, 1)
        return head

    def _raw(self):
        """The next piece of the body (de-chunked)."""
        if not self.chunked:
            if not self.buf:
                self._fill()
            data, self.buf = self.buf, b""
            return data
        size = int(self._until(b"\r\n").split(b";")[0], 16)
        while len(self.buf) < size + 2:
            self._fill()
        data, self.buf = self.buf[:size], self.buf[size + 2:]
        return data

    def messages(self):
        pending = b""
        while True:
            pending += self._raw()
            while b"\n\n" in pending:
                event, pending = pending.split(b"\n\n", 1)
                for line in event.split(b"\n"):
                    if line.startswith(b"data:"):
                        yield json.loads(line[5:])

    def close(self):
        self.sock.close()


class WebSocket:
    """A minimal RFC 6455 client (text frames, server frames unmasked)."""

    def __init__(self, hw, path="/api/v1/ws"):
        self.sock = socket.create_connection(("127.0.0.1", hw.port), timeout=IO_TIMEOUT)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
                           "Authorization: Bearer %s\r\n\r\n" % (path, hw.port, key, hw.token)).encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            data = self.sock.recv(4096)
            if not data:
                raise EOFError("WebSocket handshake closed")
            self.buf += data
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError("WebSocket: " + head.decode(errors="replace"))

    def _need(self, n):
        while len(self.buf) < n:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError("WebSocket closed")
            self.buf += data

    def send(self, text):
        payload = text.encode()
        mask = os.urandom(4)
        n = len(payload)
        head = bytes([0x81])
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + n.to_bytes(2, "big")
        else:
            head += bytes([0x80 | 127]) + n.to_bytes(8, "big")
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def recv(self):
        """The next text message (pings answered, other control frames skipped)."""
        message = b""
        while True:
            self._need(2)
            b0, b1 = self.buf[0], self.buf[1]
            n, at = b1 & 0x7F, 2
            if n == 126:
                self._need(4)
                n, at = int.from_bytes(self.buf[2:4], "big"), 4
            elif n == 127:
                self._need(10)
                n, at = int.from_bytes(self.buf[2:10], "big"), 10
            self._need(at + n)
            payload, self.buf = self.buf[at:at + n], self.buf[at + n:]
            opcode = b0 & 0x0F
            if opcode == 8:
                raise EOFError("WebSocket closed by the server")
            if opcode == 9:  # ping -> pong
                mask = os.urandom(4)
                self.sock.sendall(bytes([0x8A, 0x80 | len(payload)]) + mask
                                  + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
                continue
            if opcode in (1, 0):
                message += payload
                if b0 & 0x80:
                    return json.loads(message)
            # pong or binary: ignored

    def close(self):
        self.sock.close()
