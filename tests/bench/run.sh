#!/usr/bin/env bash
# Runs every Headway benchmark and prints one table (Markdown). Loopback only, bounded in time,
# stops what it started (by PID). Figures, not assertions: the exit code is non-zero only when
# a measurement could not be made.
#
#   tests/bench/run.sh [BUILD_DIR]        (default: build; `make bench` runs it)
#   env: PEERS=../shared/peers  WRK_D=5s  SKIP_PEER=1 (no Flask run)  SKIP_GUI=1  QUICK=1
#        SKIP_ENGINE=1  SKIP_POLL=1  SKIP_PUSH=1  SKIP_SOCKETIO=1 (run parts only)
#        SKIP_UPLOAD=1  SKIP_SOAK=1  SKIP_HISTORY=1  HISTORY_TASKS=10000  UPLOAD_MIB=1024 (bench_upload's and bench_upload_browser's file size;
#        QUICK makes it 64)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
BENCH=$BUILD/tests/bench
HEADWAY=$BUILD/app/headway
PEERS=${PEERS:-$ROOT/../shared/peers}
WRK_D=${WRK_D:-5s}
PY=/usr/bin/python3   # Debian's python: sees python3-flask / gunicorn
TMP=$(mktemp -d /tmp/headway-bench.XXXXXX)
PIDS=()
ROWS=()
FAILED=0

cleanup() {
  for p in "${PIDS[@]}"; do
    kill -TERM "$p" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null
  done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { echo "== $*" >&2; }
row() { ROWS+=("$1"); }
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_headway NAME ARGS... -> sets HW_PORT HW_TOKEN HW_PID
start_headway() {
  local name=$1; shift
  mkdir -p "$TMP/$name"
  "$HEADWAY" --headless --port 0 --data-dir "$TMP/$name" "$@" > "$TMP/$name.out" 2> "$TMP/$name.err" &
  HW_PID=$!; PIDS+=("$HW_PID")
  local line=""
  for _ in $(seq 150); do
    line=$(grep -m1 'Headway is serving at' "$TMP/$name.out" 2>/dev/null) && break
    kill -0 "$HW_PID" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$line" ] || { echo "headway did not start:"; cat "$TMP/$name.err"; return 1; }
  HW_PORT=$(sed -E 's|.*127\.0\.0\.1:([0-9]+)/.*|\1|' <<< "$line")
  HW_TOKEN=$(sed -E 's|.*token=([^ ]+).*|\1|' <<< "$line")
}

# wrk_run NAME URL [HEADER] -> "rps p50_ms p99_ms non2xx errors"
wrk_run() {
  local name=$1 url=$2 header=${3:-}
  local args=(-t2 -c50 -d"$WRK_D" --latency)
  [ -n "$header" ] && args+=(-H "$header")
  timeout 60 wrk "${args[@]}" "$url" > "$TMP/$name.wrk" 2>&1
  "$PY" - "$TMP/$name.wrk" <<'PYEOF'
import re, sys
t = open(sys.argv[1]).read()
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s)", v)
    return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)] if m else float("nan")
rps = re.search(r"Requests/sec:\s+([\d.]+)", t)
p50 = re.search(r"^\s+50%\s+(\S+)", t, re.M)
p99 = re.search(r"^\s+99%\s+(\S+)", t, re.M)
non = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
err = re.search(r"Socket errors: (.*)", t)
print(rps.group(1) if rps else "nan", ms(p50.group(1)) if p50 else "nan",
      ms(p99.group(1)) if p99 else "nan", non.group(1) if non else 0,
      "'" + (err.group(1).strip() if err else "none") + "'")
PYEOF
}
json_field() { "$PY" -c 'import sys,json; d=json.load(sys.stdin); print(d'"$1"')'; }

echo "Headway benchmarks ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, build $BUILD)" >&2

# ---------------------------------------------------------------- engine (issue 2) ----
ENGINE_TXT="not run"
if [ -z "${SKIP_ENGINE:-}" ]; then
log "headway_bench (engine + store, progress overhead, checksum vs sha256sum)"
QARG=(); [ -n "${QUICK:-}" ] && QARG=(--quick)
if timeout 300 "$BENCH/headway_bench" "${QARG[@]}" > "$TMP/engine.txt" 2>&1; then :; else FAILED=1; fi
cat "$TMP/engine.txt" >&2
ENGINE_TXT=$(cat "$TMP/engine.txt")
fi

# ---------------------------------------------------------------- polling (issue 3) ----
H_RPS=nan; H_P50=nan; H_P99=nan; H_NON=0; H_ERR=skipped
S_RPS=nan; S_P50=nan; S_P99=nan; S_NON=0; S_ERR=skipped
F_RPS=nan; F_P50=nan; F_P99=nan; F_NON=0; F_ERR=skipped
T_RPS=nan; T_P50=nan; T_P99=nan; T_NON=0; T_ERR=skipped
if [ -n "${SKIP_POLL:-}" ]; then
  log "polling skipped (SKIP_POLL)"
elif ! command -v wrk > /dev/null; then
  log "wrk is missing (apt-get install wrk): polling rows skipped"
else
  # The stack's ceiling in the same run: a bare QHttpServer route, constant 60-byte JSON.
  if [ -x "$BENCH/bench_trivial_http" ]; then
    log "polling: the ceiling, a bare QHttpServer route answering a constant 60-byte JSON"
    "$BENCH/bench_trivial_http" > "$TMP/trivial.out" 2>&1 &
    TPID=$!; PIDS+=("$TPID")
    for _ in $(seq 50); do grep -q 'listening on' "$TMP/trivial.out" 2>/dev/null && break; sleep 0.1; done
    TP=$(sed -nE 's/listening on ([0-9]+)/\1/p' "$TMP/trivial.out")
    [ -n "$TP" ] && read -r T_RPS T_P50 T_P99 T_NON T_ERR <<< "$(wrk_run trivial "http://127.0.0.1:$TP/trivial")"
    kill -TERM "$TPID"; wait "$TPID" 2>/dev/null
  fi
  log "polling: headway --headless, one demo task (1000 x 10 ms) polled by wrk -t2 -c50 -d$WRK_D"
  start_headway poll || exit 1
  AUTH="Authorization: Bearer $HW_TOKEN"
  ID=$(curl -s -m 5 -H "$AUTH" -H 'Content-Type: application/json' \
    -d '{"type":"demo","params":{"steps":1000,"delay_ms":10}}' \
    "http://127.0.0.1:$HW_PORT/api/v1/tasks" | json_field '["id"]')
  [ -n "$ID" ] || { echo "could not start a task on headway"; exit 1; }
  read -r H_RPS H_P50 H_P99 H_NON H_ERR <<< "$(wrk_run hw_api "http://127.0.0.1:$HW_PORT/api/v1/tasks/$ID" "$AUTH")"
  read -r S_RPS S_P50 S_P99 S_NON S_ERR <<< "$(wrk_run hw_seed "http://127.0.0.1:$HW_PORT/task-progress/$ID" "$AUTH")"
  kill -TERM "$HW_PID"; wait "$HW_PID" 2>/dev/null

  if [ -z "${SKIP_PEER:-}" ] && [ -f "$PEERS/flask_polling.py" ] && "$PY" -c 'import flask, gunicorn' 2>/dev/null; then
    log "polling: Flask peer (flask_polling.py) under gunicorn -w 1, same task, same wrk"
    FP=$(free_port)
    (cd "$PEERS" && STEPS=1000 DELAY=0.01 exec "$PY" -m gunicorn -w 1 --graceful-timeout 5 \
       --log-level warning -b "127.0.0.1:$FP" flask_polling:app) > "$TMP/flask.log" 2>&1 &
    FPID=$!; PIDS+=("$FPID")
    for _ in $(seq 150); do curl -s -o /dev/null -m 1 "http://127.0.0.1:$FP/task-progress/x" && break; sleep 0.1; done
    FID=$(curl -s -m 5 "http://127.0.0.1:$FP/start-task" | json_field '["task_id"]')
    read -r F_RPS F_P50 F_P99 F_NON F_ERR <<< "$(wrk_run flask "http://127.0.0.1:$FP/task-progress/$FID")"
    kill -TERM "$FPID"; wait "$FPID" 2>/dev/null
  else
    log "Flask peer skipped (SKIP_PEER set, $PEERS missing, or python3-flask/gunicorn not installed)"
  fi
fi

# ------------------------------------------------------------------- push (issue 3) ----
PUSH_RUNS=(); PUSH_MED=nan; PUSH_LAST="not run"
PUSH_WS_RUNS=(); PUSH_WS_MED=nan; PUSH_WS_LAST="not run"
if [ -z "${SKIP_PUSH:-}" ]; then
log "push: 50 WebSocket clients x 50 demo tasks (100 x 10 ms), headway --concurrency 50, 3 runs"
start_headway push --concurrency 50 || exit 1

for r in 1 2 3; do
  out=$(timeout 60 "$BENCH/bench_push" --url "http://127.0.0.1:$HW_PORT" --token "$HW_TOKEN" \
        --clients 50 --tasks 50 --steps 100 --delay-ms 10 --timeout 30 2>&1) || FAILED=1
  echo "   run $r: $out" >&2
  PUSH_RUNS+=("$(sed -nE 's/.*all_delivered_ms=([-0-9.]+).*/\1/p' <<< "$out" | tail -1)")
  PUSH_LAST=$out
  # The same from another runtime, as a browser connects: Node's `ws` (issue 18).
  out=$(timeout 60 node "$ROOT/tests/bench/bench_push_ws.mjs" --url "http://127.0.0.1:$HW_PORT" --token "$HW_TOKEN" \
        --clients 50 --tasks 50 --steps 100 --delay-ms 10 --timeout 30 2>&1) || FAILED=1
  echo "   run $r (node ws): $out" >&2
  PUSH_WS_RUNS+=("$(sed -nE 's/.*all_delivered_ms=([-0-9.]+).*/\1/p' <<< "$out" | tail -1)")
  PUSH_WS_LAST=$out
done
kill -TERM "$HW_PID"; wait "$HW_PID" 2>/dev/null
PUSH_MED=$(printf '%s\n' "${PUSH_RUNS[@]}" | sort -n | sed -n 2p)
PUSH_WS_MED=$(printf '%s\n' "${PUSH_WS_RUNS[@]}" | sort -n | sed -n 2p)
fi

# --------------------------------------------------------------- Socket.IO (issue 19) ----
SIO_TXT="not run"
if [ -z "${SKIP_SOCKETIO:-}" ]; then
log "socketio: 50 socket.io-client connections x 50 tasks (100 x 10 ms), Headway then the Flask-SocketIO peer"
SIO_PEER_ARGS=()
[ -n "${SKIP_PEER:-}" ] || SIO_PEER_ARGS=(--peers "$PEERS")
SIO_TXT=$(SKIP_PEER=${SKIP_PEER:-} timeout 400 node "$ROOT/tests/bench/bench_socketio.mjs" --headway "$HEADWAY" \
          "${SIO_PEER_ARGS[@]}" 2>&1) || FAILED=1
fi

# --------------------------------------------------------------- GUI stall (issue 4) ----
GUI_TXT="not run"
UMIB=${UPLOAD_MIB:-1024}; [ -n "${QUICK:-}" ] && UMIB=64
if [ -z "${SKIP_GUI:-}" ] && [ -x "$BENCH/bench_gui" ]; then
  log "bench_gui: MainWindow, 200 demo tasks (100 x 20 ms) at once, offscreen"
  QT_QPA_PLATFORM=offscreen QTWEBENGINE_DISABLE_SANDBOX=1 timeout 120 "$BENCH/bench_gui" \
    > "$TMP/gui.txt" 2> "$TMP/gui.err" || FAILED=1
  GUI_TXT=$(grep -v '^RESULT' "$TMP/gui.txt")
  sed 's/^/   /' "$TMP/gui.txt" >&2
  # Issue 18: the window and the server in one process, as `headway` runs them.
  if command -v wrk > /dev/null; then
    log "bench_gui --serve poll: the window's stall while wrk -t2 -c50 -d$WRK_D polls one task"
    QT_QPA_PLATFORM=offscreen QTWEBENGINE_DISABLE_SANDBOX=1 timeout 120 "$BENCH/bench_gui" \
      --serve poll --seconds "${WRK_D%s}" > "$TMP/gui-poll.txt" 2> "$TMP/gui-poll.err" || FAILED=1
    GUI_TXT+=$'\n\n'$(grep -v '^RESULT' "$TMP/gui-poll.txt")
    sed 's/^/   /' "$TMP/gui-poll.txt" >&2
  fi
  log "bench_gui --serve upload: the window's stall during a $UMIB MiB tus upload"
  (cd "$BUILD" && QT_QPA_PLATFORM=offscreen QTWEBENGINE_DISABLE_SANDBOX=1 timeout 600 "$BENCH/bench_gui" \
    --serve upload --upload-mib "$UMIB") > "$TMP/gui-upload.txt" 2> "$TMP/gui-upload.err" || FAILED=1
  GUI_TXT+=$'\n\n'$(grep -v '^RESULT' "$TMP/gui-upload.txt")
  sed 's/^/   /' "$TMP/gui-upload.txt" >&2
fi

# ------------------------------------------------------------------ upload (issue 6) ----
UPLOAD_TXT="not run"
if [ -z "${SKIP_UPLOAD:-}" ] && [ -x "$BENCH/bench_upload" ]; then
  log "bench_upload: $UMIB MiB over tus (64 MiB PATCHes, streamed to the file) to headway --headless vs cp and SHA-256, same disk"
  # Its temporary files go next to the build (one disk); it removes them itself.
  (cd "$BUILD" && timeout 600 "$BENCH/bench_upload" --headway "$HEADWAY" --size-mib "$UMIB") \
    > "$TMP/upload.txt" 2> "$TMP/upload.err" || { FAILED=1; cat "$TMP/upload.err" >&2; }
  UPLOAD_TXT=$(grep -v '^RESULT' "$TMP/upload.txt")
  sed 's/^/   /' "$TMP/upload.txt" >&2
fi
# The same size through the page in Chromium, with a reload and a resume part way.
BROWSER_UPLOAD_TXT="not run"
if [ -z "${SKIP_UPLOAD:-}" ] && [ -x /usr/bin/chromium ] && [ -d "$ROOT/tests/web/node_modules/playwright-core" ]; then
  log "bench_upload_browser: $UMIB MiB through the page in Chromium, reloaded and resumed"
  HEADWAY_BIN="$HEADWAY" timeout 900 node "$ROOT/tests/bench/bench_upload_browser.mjs" --size-mib "$UMIB" \
    > "$TMP/upload-browser.txt" 2> "$TMP/upload-browser.err" || { FAILED=1; cat "$TMP/upload-browser.err" >&2; }
  BROWSER_UPLOAD_TXT=$(grep -v '^RESULT\|^making' "$TMP/upload-browser.txt")
  sed 's/^/   /' "$TMP/upload-browser.txt" >&2
fi
# And with tus-js-client from node, Headway killed (SIGKILL) and restarted part way.
TUS_UPLOAD_TXT="not run"
if [ -z "${SKIP_UPLOAD:-}" ] && [ -d "$ROOT/tests/web/node_modules/tus-js-client" ]; then
  log "bench_upload_tus: $UMIB MiB with tus-js-client, Headway killed and restarted part way"
  HEADWAY_BIN="$HEADWAY" timeout 900 node "$ROOT/tests/bench/bench_upload_tus.mjs" --size-mib "$UMIB" \
    > "$TMP/upload-tus.txt" 2> "$TMP/upload-tus.err" || { FAILED=1; cat "$TMP/upload-tus.err" >&2; }
  TUS_UPLOAD_TXT=$(grep -v '^RESULT\|^making' "$TMP/upload-tus.txt")
  sed 's/^/   /' "$TMP/upload-tus.txt" >&2
fi

# -------------------------------------------------------------------- soak (issue 17) ----
SOAK_TXT="not run"
if [ -z "${SKIP_SOAK:-}" ] && [ -x "$BENCH/headway_bench" ]; then
  SOAK_ARGS=(); [ -n "${QUICK:-}" ] && SOAK_ARGS=(--seconds 10 --pollers 100 --ws 20 --sse 5 --stored 1000)
  log "soak: 1000 pollers + 200 WebSocket + 50 SSE for 60 s on 50 running tasks; start-up with 10,000 stored tasks"
  timeout 600 "$PY" "$ROOT/tests/bench/soak/soak.py" "$HEADWAY" "$BENCH/headway_bench" --markdown "${SOAK_ARGS[@]}" \
    > "$TMP/soak.txt" 2> "$TMP/soak.err" || { FAILED=1; cat "$TMP/soak.err" >&2; }
  SOAK_TXT=$(cat "$TMP/soak.txt")
  sed 's/^/   /' "$TMP/soak.txt" >&2
fi

# ------------------------------------------------------------ big history (issue 18) ----
HISTORY_TXT="not run"
HISTORY_GUI_TXT="not run"
UMIB=${UPLOAD_MIB:-1024}; [ -n "${QUICK:-}" ] && UMIB=64
HN=${HISTORY_TASKS:-10000}; [ -n "${QUICK:-}" ] && HN=1000
if [ -z "${SKIP_HISTORY:-}" ] && [ -x "$BENCH/headway_bench" ]; then
  if [ -x /usr/bin/chromium ] && [ -d "$ROOT/tests/web/node_modules/playwright-core" ]; then
    log "bench_history: $HN finished tasks in the store: start-up, RSS, the page's first render in Chromium"
    HEADWAY_BIN="$HEADWAY" HEADWAY_BENCH="$BENCH/headway_bench" timeout 600 \
      node "$ROOT/tests/bench/bench_history.mjs" --tasks "$HN" --runs 3 \
      > "$TMP/history.txt" 2> "$TMP/history.err" || { FAILED=1; cat "$TMP/history.err" >&2; }
    HISTORY_TXT=$(grep -v '^RESULT' "$TMP/history.txt")
    sed 's/^/   /' "$TMP/history.txt" >&2
  fi
  if [ -z "${SKIP_GUI:-}" ] && [ -x "$BENCH/bench_gui" ]; then
    log "bench_gui --history $HN: the window's list scrolled top to bottom and back, offscreen"
    QT_QPA_PLATFORM=offscreen QTWEBENGINE_DISABLE_SANDBOX=1 timeout 300 "$BENCH/bench_gui" --history "$HN" \
      > "$TMP/history-gui.txt" 2> "$TMP/history-gui.err" || FAILED=1
    HISTORY_GUI_TXT=$(grep -v '^RESULT' "$TMP/history-gui.txt")
    sed 's/^/   /' "$TMP/history-gui.txt" >&2
  fi
fi

# ------------------------------------------------------------------------ table ----
percent() { "$PY" -c "a,b=float('$1'),float('$2'); print('%.0f%%' % (100*a/b) if b==b and b>0 and a==a else 'n/a')"; }
ratio() { "$PY" -c "import sys; a,b=float('$1'),float('$2'); print('x%.1f' % (a/b) if b==b and b>0 and a==a else 'n/a')"; }
{
echo
echo "### Engine (headway_bench)"
echo '```'
echo "$ENGINE_TXT"
echo '```'
echo
echo "### Server (wrk -t2 -c50 -d$WRK_D --latency; one task; same run)"
echo
echo "| what | req/s | p50 ms | p99 ms | non-2xx | socket errors | vs Flask | vs trivial | goal |"
echo "|---|---|---|---|---|---|---|---|---|"
echo "| headway GET /api/v1/tasks/ID | $H_RPS | $H_P50 | $H_P99 | $H_NON | $H_ERR | $(ratio "$H_RPS" "$F_RPS") | $(percent "$H_RPS" "$T_RPS") | >= x10 Flask, >= 70% trivial, p99 < 2 ms |"
echo "| headway GET /task-progress/ID (seed) | $S_RPS | $S_P50 | $S_P99 | $S_NON | $S_ERR | $(ratio "$S_RPS" "$F_RPS") | $(percent "$S_RPS" "$T_RPS") | >= x10 Flask, >= 70% trivial, p99 < 2 ms |"
echo "| Flask polling, gunicorn -w 1: GET /task-progress/ID | $F_RPS | $F_P50 | $F_P99 | $F_NON | $F_ERR | x1 | $(percent "$F_RPS" "$T_RPS") | the peer |"
echo "| trivial QHttpServer route, constant 60-byte JSON | $T_RPS | $T_P50 | $T_P99 | $T_NON | $T_ERR | $(ratio "$T_RPS" "$F_RPS") | 100% | the ceiling |"
echo
echo "### Push fan-out (50 WebSocket clients x 50 tasks x 100 steps @ 10 ms; bench_push in Qt, bench_push_ws.mjs in Node's ws, interleaved)"
echo
echo "| client | runs: all delivered ms | median | ideal | ratio | goal |"
echo "|---|---|---|---|---|---|"
echo "| bench_push (QWebSocket) | ${PUSH_RUNS[*]} | $PUSH_MED | 1000 | $("$PY" -c "print('x%.3f' % (float('${PUSH_MED:-nan}')/1000))") | <= x1.1 |"
echo "| bench_push_ws.mjs (Node ws) | ${PUSH_WS_RUNS[*]} | $PUSH_WS_MED | 1000 | $("$PY" -c "print('x%.3f' % (float('${PUSH_WS_MED:-nan}')/1000))") | <= x1.1 |"
echo
echo "last runs: $PUSH_LAST"
echo "$PUSH_WS_LAST"
echo
echo "### Upload (bench_upload: tus over loopback vs cp and SHA-256 on the same machine; goal and server peak RSS growth)"
echo
echo '```'
echo "$UPLOAD_TXT"
echo '```'
echo
echo "### Upload through the page (bench_upload_browser: Chromium, tus-js-client, a reload and a resume)"
echo
echo '```'
echo "$BROWSER_UPLOAD_TXT"
echo '```'
echo
echo "### Upload with tus-js-client across a Headway crash (bench_upload_tus)"
echo
echo '```'
echo "$TUS_UPLOAD_TXT"
echo '```'
echo
echo "### Socket.IO push fan-out (bench_socketio: 50 clients follow 50 tasks x 100 steps @ 10 ms)"
echo
echo '```'
echo "$SIO_TXT"
echo '```'
echo
echo "### Soak (tests/bench/soak/soak.py)"
echo
echo "| measure | value |"
echo "|---|---|"
echo "$SOAK_TXT"
echo
echo "### Big history (bench_history and bench_gui --history: $HN finished tasks written through TaskStore)"
echo
echo '```'
echo "$HISTORY_TXT"
echo
echo "$HISTORY_GUI_TXT"
echo '```'
echo
echo "### GUI stall (bench_gui: MainWindow, 200 demo tasks x 100 steps @ 20 ms; then with the server in the process while wrk polls and while a tus upload runs; offscreen; budget 16 ms)"
echo
echo '```'
echo "$GUI_TXT"
echo '```'
}
exit $FAILED
