#!/usr/bin/env bash
# `make fuzz`: builds every libFuzzer target with Debian's clang (fuzzer coverage + ASan +
# UBSan, UBSan fatal) and runs each for FUZZ_SECONDS (default 60) from its seed corpus, then
# replays what it found plus the seeds (the ctest replay binary, with its deterministic
# mutations). The parser under test is compiled into the target (instrumented); the rest of
# Headway comes from BUILD's static libraries (g++, same libstdc++ ABI) so no second full
# build is needed. New inputs go to BUILD/fuzz/corpus/NAME (the tree stays as it is); a crash
# leaves its input in BUILD/fuzz/crashes/NAME/ and makes the exit status 1 (fix the bug, then
# add the input to tests/fuzz/corpus/NAME).
#
#   tests/fuzz/run.sh [BUILD_DIR]        (default: build, built already: `make fuzz` does it)
#   env: FUZZ_SECONDS=60  FUZZ_TARGETS="tusheaders celery"
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
SECONDS_EACH=${FUZZ_SECONDS:-60}
OUT=$BUILD/fuzz
CXX=${FUZZ_CXX:-clang++}
command -v "$CXX" > /dev/null || { echo "fuzz: $CXX is missing (install-deps.sh --test installs clang)" >&2; exit 2; }

# NAME -> "the sources compiled in (instrumented) | the static libraries of BUILD it links".
CORE=app/core/libheadway_core.a
declare -A SPEC=(
  [httpheadscanner]="app/server/httpheadscanner.cpp |"
  [tusheaders]="app/server/tusheaders.cpp |"
  [taskquery]="app/server/taskquery.cpp | $CORE"
  [taskparams]="app/core/tasktyperegistry.cpp app/core/builtintasktypes.cpp app/core/tasktype.cpp | $CORE"
  [wscommand]="app/server/taskapi.cpp app/server/taskquery.cpp app/core/tasktyperegistry.cpp |
               app/server/libheadway_server.a app/server/libheadway_server_guard.a app/libheadway_web.a $CORE"
  [celery]="app/cluster/celerymeta.cpp app/cluster/celeryprotocol.cpp | app/cluster/libheadway_cluster.a $CORE"
  [screenshotscenario]="ui/scenariofile.cpp app/core/tasksnapshot.cpp | $CORE"
)
QT_MODULES="Qt6Core Qt6Sql Qt6Concurrent Qt6Network Qt6HttpServer Qt6WebSockets Qt6Gui Qt6Widgets"
SAN="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
DEFS="-DQT_NO_CAST_FROM_ASCII -DQT_NO_CAST_TO_ASCII -DQT_NO_CAST_FROM_BYTEARRAY -DQT_NO_KEYWORDS
      -DQT_NO_CONTEXTLESS_CONNECT -DQT_USE_QSTRINGBUILDER -DQT_STRICT_ITERATORS -DHEADWAY_VERSION=\"fuzz\""

TARGETS=${FUZZ_TARGETS:-$(cd "$ROOT/tests/fuzz/corpus" && ls)}
mkdir -p "$OUT"
STATUS=0
SUMMARY="| target | inputs run | corpus kept | result |"$'\n'"|---|---:|---:|---|"
for t in $TARGETS; do
  echo "== fuzz_$t: build" >&2
  srcs=(); for s in ${SPEC[$t]%%|*}; do srcs+=("$ROOT/$s"); done
  libs=(); for l in ${SPEC[$t]#*|}; do libs+=("$BUILD/$l"); done
  # shellcheck disable=SC2046
  if ! "$CXX" -std=c++20 -O1 -g -fPIC -fno-omit-frame-pointer $SAN $DEFS -I"$ROOT" \
      $(pkg-config --cflags $QT_MODULES) "$ROOT/tests/fuzz/fuzz_$t.cpp" "${srcs[@]}" \
      "${libs[@]}" $(pkg-config --libs $QT_MODULES) -lhiredis -o "$OUT/fuzz_$t" \
      2> "$OUT/fuzz_$t.build.log"; then
    cat "$OUT/fuzz_$t.build.log" >&2; STATUS=2; continue
  fi
  found="$OUT/corpus/$t"; crashes="$OUT/crashes/$t"
  mkdir -p "$found" "$crashes"
  echo "== fuzz_$t: ${SECONDS_EACH}s" >&2
  ASAN_OPTIONS=detect_leaks=0 QT_QPA_PLATFORM=offscreen \
    "$OUT/fuzz_$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$crashes/" "$found" "$ROOT/tests/fuzz/corpus/$t" \
    > "$OUT/fuzz_$t.log" 2>&1
  rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$OUT/fuzz_$t.log" | grep -o '[0-9]*$')
  result=ok
  if [ $rc -ne 0 ]; then
    result="CRASH: $(ls "$crashes" | head -1)"; STATUS=1
    grep -m5 -E 'ERROR|runtime error|SUMMARY' "$OUT/fuzz_$t.log" >&2
  fi
  # Replay: everything kept, once, under the sanitizers; then the seeds and their mutations.
  if ! ASAN_OPTIONS=detect_leaks=0 QT_QPA_PLATFORM=offscreen "$OUT/fuzz_$t" -runs=0 "$found" \
      > "$OUT/fuzz_$t.replay.log" 2>&1; then
    result="$result; replay failed"; STATUS=1
  fi
  if ! QT_QPA_PLATFORM=offscreen "$BUILD/tests/fuzz/fuzz_${t}_replay" "$ROOT/tests/fuzz/corpus/$t" >&2; then
    result="$result; seed replay failed"; STATUS=1
  fi
  SUMMARY+=$'\n'"| $t | ${runs:-?} | $(ls "$found" | wc -l) | $result |"
done
echo "$SUMMARY" | tee "$OUT/summary.md"
exit $STATUS
