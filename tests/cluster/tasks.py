"""Celery tasks the cluster tests and the benchmark run on a real worker.

The broker and result backend come from HEADWAY_BROKER_URL (redis://127.0.0.1:PORT/0).
"""
import os
import time

from celery import Celery

URL = os.environ.get("HEADWAY_BROKER_URL", "redis://127.0.0.1:6379/0")

app = Celery("tasks", broker=URL, backend=URL)
app.conf.update(
    task_track_started=True,
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    worker_prefetch_multiplier=1,
    task_acks_late=False,
)


@app.task
def add(x, y):
    return x + y


@app.task
def noop():
    return 1


@app.task
def fail(message):
    raise ValueError(message)


@app.task(bind=True)
def progress(self, total, delay):
    """Reports current/total, a description and a step list on every iteration."""
    steps = ["prepare", "work", "finish"]
    for i in range(total):
        step = 0 if i == 0 else (2 if i == total - 1 else 1)
        self.update_state(state="PROGRESS", meta={
            "current": i, "total": total, "description": "item %d of %d" % (i + 1, total),
            "steps": steps, "step": step})
        time.sleep(delay)
    return {"items": total}


@app.task(bind=True)
def wait_for(self, key, timeout):
    """Runs until the test sets the Redis key (or timeout seconds pass), reporting percent."""
    backend = self.backend.client
    start = time.time()
    while time.time() - start < timeout:
        # Redis restarting: keep running, the test wants to see us survive. Reporting progress
        # while it is down raises too (a failed task if it escaped, depending on the timing).
        try:
            if backend.get(key):
                return "released"
            self.update_state(state="PROGRESS",
                              meta={"percent": min(99.0, (time.time() - start) * 100.0 / timeout),
                                    "description": "waiting for " + key})
        except Exception:
            pass
        time.sleep(0.2)
    return "timeout"
