#!/usr/bin/python3
"""Debian's python3-socketio client against `headway --headless --port 0`.

usage: socketio_python.py /path/to/headway
Long-polling, WebSocket and the default (polling upgraded to WebSocket); CONNECT with and
without an auth payload; start_task through to progress_update "completed"; calls answered by
acknowledgements; refusal without a token. Exit status 77 (skipped) without python3-socketio.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest

try:
    import socketio
except ImportError:
    print("python3-socketio is not installed: skipped")
    sys.exit(77)

HEADWAY = None
FAST = {"type": "demo", "params": {"steps": 5, "delay_ms": 20}}
TIMEOUT = 30


class HeadwaySocketIo(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.data_dir = tempfile.mkdtemp(prefix="headway-sio-py-")
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        cls.proc = subprocess.Popen(
            [HEADWAY, "--headless", "--port", "0", "--data-dir", cls.data_dir],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        for line in cls.proc.stdout:
            match = re.search(r"Headway is serving at (http://\S+)", line)
            if match:
                url = match.group(1)
                break
        else:
            raise RuntimeError("headway printed no URL")
        cls.origin, cls.token = url.split("/?token=")
        threading.Thread(target=cls.proc.stdout.read, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.proc.terminate()
        try:
            cls.proc.wait(10)
        except subprocess.TimeoutExpired:
            cls.proc.kill()
        shutil.rmtree(cls.data_dir, ignore_errors=True)

    def client(self, transports=None, auth=None, token=True):
        sio = socketio.Client(reconnection=False)
        headers = {"Authorization": "Bearer " + self.token} if token else {}
        sio.connect(self.origin, headers=headers, transports=transports, auth=auth,
                    wait_timeout=TIMEOUT)
        self.addCleanup(sio.disconnect)
        return sio

    def run_task(self, sio, spec):
        started = {}
        updates = []
        done = threading.Event()
        sio.on("task_started", lambda data: started.update(data))

        def on_update(data):
            updates.append(data)
            if data["status"] != "in_progress":
                done.set()
        sio.on("progress_update", on_update)
        sio.emit("start_task", spec)
        self.assertTrue(done.wait(TIMEOUT), "the task never ended")
        self.assertTrue(started.get("task_id"))
        last = -1
        for update in updates:
            self.assertEqual(update["task_id"], started["task_id"])
            self.assertGreaterEqual(update["progress"], last)
            last = update["progress"]
        self.assertEqual(updates[-1]["status"], "completed")
        self.assertEqual(updates[-1]["progress"], 100)
        return started["task_id"]

    def test_polling(self):
        sio = self.client(transports=["polling"])
        self.assertEqual(sio.transport(), "polling")
        self.run_task(sio, FAST)

    def test_websocket(self):
        sio = self.client(transports=["websocket"])
        self.assertEqual(sio.transport(), "websocket")
        self.run_task(sio, FAST)

    def test_upgrade_with_auth_payload(self):
        sio = self.client(auth={"client": "python"})
        self.run_task(sio, FAST)

    def test_acknowledgements(self):
        sio = self.client()
        reply = sio.call("start_task", FAST, timeout=TIMEOUT)
        self.assertTrue(reply["ok"])
        task_id = reply["task_id"]
        reply = sio.call("subscribe", {"ids": [task_id]}, timeout=TIMEOUT)
        self.assertTrue(reply["ok"])
        self.assertEqual(reply["tasks"][0]["id"], task_id)
        reply = sio.call("retry", {"task_id": "no-such-task"}, timeout=TIMEOUT)
        self.assertFalse(reply["ok"])
        self.assertEqual(reply["error"]["code"], "not_found")

    def test_refused_without_token(self):
        with self.assertRaises(socketio.exceptions.ConnectionError):
            self.client(transports=["polling"], token=False)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    HEADWAY = sys.argv.pop(1)
    unittest.main()
