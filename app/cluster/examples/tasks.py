"""A Celery tasks module whose progress Headway shows as a real progress bar.

Run a worker (Debian's python3-celery has no `celery` command):
    python3 -m celery -A tasks worker -E --loglevel=info
Start Headway with:  headway --celery redis://localhost:6379/0
"""
import time

from celery import Celery

app = Celery("tasks", broker="redis://localhost:6379/0", backend="redis://localhost:6379/0")
app.conf.update(
    task_track_started=True,   # Headway shows "running" as soon as a worker starts the task
    task_serializer="json",    # Headway writes JSON messages (protocol v2); pickle is refused
    result_serializer="json",
    accept_content=["json"],
)


@app.task(bind=True)
def resize(self, images, size=256):
    steps = ["download", "resize", "upload"]
    total = len(images)
    for i, name in enumerate(images):
        # current/total -> progress bar with "i of total"; description -> message line;
        # steps + step (0-based index or a step name) -> step indicator.
        self.update_state(state="PROGRESS", meta={
            "current": i, "total": total,
            "description": "resizing %s to %dpx" % (name, size),
            "steps": steps, "step": "resize",
        })
        time.sleep(0.5)  # the real work
    return {"resized": total}


@app.task(bind=True)
def crunch(self, seconds=10):
    for tick in range(seconds):
        self.update_state(state="PROGRESS", meta={"percent": tick * 100.0 / seconds})
        time.sleep(1)
    return "done"
