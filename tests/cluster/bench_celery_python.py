"""Python's own way for bench_celery: apply_async N tasks.noop, then poll their results
until all are ready. Prints one JSON line: {"tasks": N, "seconds": S}."""
import json
import sys
import time

import tasks

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
# Warm up the connections the way an application would have them.
tasks.noop.apply_async().get(timeout=30)

start = time.perf_counter()
pending = [tasks.noop.apply_async() for _ in range(n)]
while pending:
    pending = [r for r in pending if not r.ready()]
    if pending:
        time.sleep(0.005)
seconds = time.perf_counter() - start
print(json.dumps({"tasks": n, "seconds": seconds}), flush=True)
