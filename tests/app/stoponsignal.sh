#!/bin/bash
# The window stops cleanly on SIGTERM or SIGINT while a task runs (a logout, `systemctl stop`):
# no "quit?" dialog, the task is stored as interrupted, the process exits with status 0.
# Usage: stoponsignal.sh HEADWAY TERM|INT
set -u
headway=$1
signal=$2
dir=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT
# Settings and desktop files of this run stay in the temporary folder.
export XDG_CONFIG_HOME=$dir/config XDG_DATA_HOME=$dir/data XDG_CACHE_HOME=$dir/cache

: >"$dir/out" # there before tail reads it
"$headway" --data-dir "$dir" --port 0 >>"$dir/out" 2>&1 &
pid=$!
# The "serving at" line carries the page's address and token (blocks until it is printed).
line=$(tail -n +1 -f "$dir/out" | grep -m1 "serving at")
url=$(printf '%s' "$line" | grep -o 'http://[^ ]*')
base=${url%%\?*}
token=${url##*token=}
api() { curl -sf -H "Authorization: Bearer $token" "$@"; }
id=$(api -H 'Content-Type: application/json' -X POST "${base}api/v1/tasks" \
    -d '{"type":"demo","title":"long","params":{"steps":1000,"delay_ms":100}}' \
    | grep -o '"id":"[^"]*"' | head -n1 | cut -d'"' -f4)
[ -n "$id" ] || { echo "could not submit a task"; cat "$dir/out"; exit 1; }
until api "${base}api/v1/tasks/$id" | grep -q '"state":"running"'; do
    sleep 0.1 # waits for the state, bounded by the test's timeout
done

kill -"$signal" "$pid"
wait "$pid"
rc=$?
pid=
[ "$rc" -eq 0 ] || { echo "exit status $rc"; cat "$dir/out"; exit 1; }
state=$(sqlite3 "$dir/tasks.sqlite" "SELECT state FROM tasks WHERE id = '$id'")
[ "$state" = interrupted ] || { echo "stored state: '$state'"; exit 1; }
echo "stopped on SIG$signal, task stored as $state"
