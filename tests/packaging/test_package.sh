#!/usr/bin/env bash
# The package_install test: builds the .deb with CPack (or takes HEADWAY_TEST_DEB), checks it
# with desktop-file-validate, appstreamcli and lintian, installs it, runs the installed
# headway (--version, --help, --headless + GET /api/v1/tasks), then checks that
# `cmake --install` to another prefix gives a working, relocatable installation.
#
#   test_package.sh BUILD_DIR VERSION [CMAKE] [CPACK]
#
# Environment:
#   HEADWAY_TEST_DEB=FILE          check this .deb instead of running cpack
#   HEADWAY_TEST_REAL_INSTALL=1    as root, install it for real with apt-get (what users do,
#                                  so it changes the system; removed again afterwards unless it
#                                  was installed before). Default: `dpkg -x` into a temp dir.
#   HEADWAY_TEST_KEEP=1            keep the temp dir for inspection
set -euo pipefail

build_dir=$(cd "${1:?usage: test_package.sh BUILD_DIR VERSION [CMAKE] [CPACK]}" && pwd)
version=${2:?the expected version}
cmake_cmd=${3:-cmake}
cpack_cmd=${4:-cpack}
app_id=io.github.headway.Headway

work=$(mktemp -d "${TMPDIR:-/tmp}/headway-package.XXXXXX")
server_pid=""
installed_for_real=0
warnings=()

say() { printf '\n== %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*"; warnings+=("$*"); }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

cleanup() {
    local rc=$?
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -KILL "$server_pid" 2>/dev/null || true
    fi
    if ((installed_for_real)); then
        echo "Removing the headway package installed by this test"
        DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq headway >/dev/null || dpkg -r headway || true
    fi
    if [[ "${HEADWAY_TEST_KEEP:-0}" == 1 ]]; then
        echo "Kept $work"
    else
        rm -rf "$work"
    fi
    exit "$rc"
}
trap cleanup EXIT

for tool in dpkg-deb desktop-file-validate appstreamcli lintian curl readelf; do
    command -v "$tool" >/dev/null \
        || fail "$tool is missing: run 'make test-deps' (packaging/install-deps.sh --test)"
done
[[ -x "$build_dir/app/headway" ]] || fail "$build_dir/app/headway is not built yet"

# Keep the runs away from the user's home, config and data.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export XDG_CACHE_HOME="$work/home/.cache" XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export QT_QPA_PLATFORM=offscreen
unset DISPLAY WAYLAND_DISPLAY

# --- the package -------------------------------------------------------------------------
if [[ -n "${HEADWAY_TEST_DEB:-}" ]]; then
    deb=$(cd "$(dirname "$HEADWAY_TEST_DEB")" && pwd)/$(basename "$HEADWAY_TEST_DEB")
    [[ -f "$deb" ]] || fail "HEADWAY_TEST_DEB=$HEADWAY_TEST_DEB does not exist"
    say "Using the prebuilt package $deb"
else
    say "Building the package: cpack -G DEB"
    "$cpack_cmd" --config "$build_dir/CPackConfig.cmake" -G DEB -B "$work/cpack" >"$work/cpack.log" 2>&1 \
        || { cat "$work/cpack.log"; fail "cpack failed"; }
    shopt -s nullglob
    debs=("$work"/cpack/headway_*.deb)
    shopt -u nullglob
    ((${#debs[@]} == 1)) || fail "cpack made ${#debs[@]} headway_*.deb files, expected one"
    deb=${debs[0]}
fi
echo "Package: $(basename "$deb")"

say "Control fields"
dpkg-deb -I "$deb" control | sed 's/^/  /'
[[ $(dpkg-deb -f "$deb" Package) == headway ]] || fail "the package is not named headway"
[[ $(dpkg-deb -f "$deb" Version) == "$version" ]] || fail "Version is not $version"
depends=$(dpkg-deb -f "$deb" Depends)
# has_dep NAME: NAME is one of Depends' packages (or alternatives), whatever the version.
has_dep() {
    local alt
    while read -r alt; do
        [[ "${alt%% *}" == "$1" ]] && return 0
    done < <(tr ',|' '\n' <<<"$depends" | sed -E 's/^ +//')
    return 1
}
for dep in libqt6sql6-sqlite libqt6core6; do
    has_dep "$dep" || fail "Depends lacks $dep"
done
# With the window, the WebEngine helper process and its resources must be pulled in too.
if has_dep libqt6webenginewidgets6; then
    for dep in libqt6webenginecore6-bin libqt6webengine6-data qt6-qpa-plugins; do
        has_dep "$dep" || fail "Depends lacks $dep (needed at run time by the UI)"
    done
else
    echo "(the packaged headway has no UI: no WebEngine dependencies expected)"
fi

say "Files"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' | sort >"$work/files.txt"
expected=(
    /usr/bin/headway
    "/usr/share/applications/$app_id.desktop"
    "/usr/share/metainfo/$app_id.metainfo.xml"
    "/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
    /usr/share/man/man1/headway.1.gz
    /usr/share/bash-completion/completions/headway
    /usr/share/doc/headway/copyright
    /usr/share/doc/headway/changelog.gz
)
for size in 16 22 24 32 48 64 128 256; do
    expected+=("/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png")
done
for f in "${expected[@]}"; do
    grep -qxF "$f" "$work/files.txt" || fail "the package lacks $f"
done
if grep -vE '^/usr/?$|^/usr/(bin|share)(/|$)' "$work/files.txt"; then
    fail "the package installs files outside /usr/bin and /usr/share (listed above)"
fi
echo "all ${#expected[@]} expected files present, nothing outside /usr/bin and /usr/share"

root="$work/root"
dpkg-deb -x "$deb" "$root"

say "desktop-file-validate"
desktop-file-validate "$root/usr/share/applications/$app_id.desktop" || fail "the .desktop entry is invalid"
grep -qx "Icon=$app_id" "$root/usr/share/applications/$app_id.desktop" || fail "Icon= is not $app_id"
echo OK

say "appstreamcli validate --no-net"
appstreamcli validate --no-net "$root/usr/share/metainfo/$app_id.metainfo.xml" \
    || fail "the AppStream metainfo is invalid"

say "Man page"
gzip -t "$root/usr/share/man/man1/headway.1.gz" || fail "headway.1.gz is not valid gzip"
if command -v man >/dev/null; then
    man_warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$root/usr/share/man/man1/headway.1.gz" 2>&1 >/dev/null || true)
    [[ -z "$man_warnings" ]] || fail "man page warnings: $man_warnings"
    LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$root/usr/share/man/man1/headway.1.gz" 2>/dev/null | grep -q -- '--headless' \
        || fail "the man page does not render or lacks --headless"
fi
echo OK

say "lintian --fail-on error"
lintian_out=$(lintian --fail-on error --tag-display-limit 0 "$deb" 2>&1) && lintian_rc=0 || lintian_rc=$?
[[ -z "$lintian_out" ]] || printf '%s\n' "$lintian_out" | sed 's/^/  /'
((lintian_rc == 0)) || fail "lintian reports errors"
if grep -q '^W: ' <<<"$lintian_out"; then
    warn "lintian warnings: $(grep -c '^W: ' <<<"$lintian_out") (listed above)"
fi
echo OK

# --- install it ---------------------------------------------------------------------------
if [[ "${HEADWAY_TEST_REAL_INSTALL:-0}" == 1 ]]; then
    [[ $(id -u) -eq 0 ]] || fail "HEADWAY_TEST_REAL_INSTALL=1 needs root"
    say "Installing for real: apt-get install ./$(basename "$deb")"
    was_installed=0
    dpkg-query -W -f='${Status}' headway 2>/dev/null | grep -q 'install ok installed' && was_installed=1
    cp "$deb" "$work/" # apt's _apt user must be able to read it
    chmod 644 "$work/$(basename "$deb")"
    chmod 755 "$work"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$work/$(basename "$deb")" \
        || fail "apt-get install failed"
    ((was_installed)) || installed_for_real=1
    dpkg -V headway || fail "dpkg -V headway reports changed files"
    bin=/usr/bin/headway
else
    say "Installing by extraction (dpkg -x; set HEADWAY_TEST_REAL_INSTALL=1 as root for apt-get)"
    # The extracted binary runs on this system's libraries: say when they differ from what a
    # real install would pull in.
    missing_deps=()
    IFS=',' read -ra groups <<<"$depends"
    for group in "${groups[@]}"; do
        ok=0
        IFS='|' read -ra alternatives <<<"$group"
        for alt in "${alternatives[@]}"; do
            name=$(sed -E 's/^ *([^ (]+).*/\1/' <<<"$alt")
            dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q 'install ok installed' && ok=1
        done
        ((ok)) || missing_deps+=("$(sed -E 's/^ +| +$//g' <<<"$group")")
    done
    if ((${#missing_deps[@]})); then
        warn "dependencies not installed here, so the extracted run may differ from a real install: ${missing_deps[*]}"
    fi
    bin="$root/usr/bin/headway"
fi

# check_installed_binary LABEL BINARY: --version, --help, and a headless server answering
# /api/v1/tasks with the token it printed.
check_installed_binary() {
    local label=$1 bin=$2 rc
    say "$label: $bin --version"
    local out
    out=$(cd / && "$bin" --version 2>&1) || fail "$label: --version exited with $?: $out"
    echo "$out"
    [[ "$out" == *"$version"* ]] || fail "$label: --version does not print $version"

    say "$label: $bin --help"
    out=$(cd / && "$bin" --help 2>&1) || fail "$label: --help exited with $?"
    for option in --headless --port --data-dir; do
        [[ "$out" == *"$option"* ]] || fail "$label: --help does not mention $option"
    done
    echo OK

    say "$label: $bin --headless --port 0, then GET /api/v1/tasks"
    local data="$work/data-$label" stdout="$work/stdout-$label" stderr="$work/stderr-$label"
    mkdir -p "$data"
    (cd / && exec "$bin" --headless --port 0 --data-dir "$data") >"$stdout" 2>"$stderr" &
    server_pid=$!
    local line="" deadline=$((SECONDS + 30))
    local pattern='^Headway is serving at (http://127\.0\.0\.1:([0-9]+)/)\?token=([A-Za-z0-9._~-]+)$'
    while ((SECONDS < deadline)); do
        line=$(grep -m1 -E "$pattern" "$stdout" || true)
        [[ -n "$line" ]] && break
        if ! kill -0 "$server_pid" 2>/dev/null; then
            wait "$server_pid" && rc=0 || rc=$?
            server_pid=""
            echo "--- stdout"; cat "$stdout"; echo "--- stderr"; cat "$stderr"
            fail "$label: headway --headless exited ($rc) before printing 'Headway is serving at …'"
        fi
        sleep 0.2
    done
    if [[ -z "$line" ]]; then
        echo "--- stdout"; cat "$stdout"; echo "--- stderr"; cat "$stderr"
        fail "$label: no 'Headway is serving at http://127.0.0.1:PORT/?token=TOKEN' line within 30 s"
    fi
    [[ $(wc -l <"$stdout") -eq 1 ]] || warn "$label: --headless printed more than one line to stdout"
    [[ "$line" =~ $pattern ]]
    local base=${BASH_REMATCH[1]} token=${BASH_REMATCH[3]}
    echo "$line" | sed -E 's/token=.*/token=<hidden>/'

    local status
    status=$(curl -sS --max-time 10 -o "$work/body" -w '%{http_code} %{content_type}' \
        -H "Authorization: Bearer $token" "${base}api/v1/tasks") || fail "$label: curl could not reach ${base}api/v1/tasks"
    echo "GET /api/v1/tasks with the token -> $status"
    [[ "$status" == "200 "*json* ]] || { cat "$work/body"; fail "$label: expected 200 with a JSON content type"; }
    if command -v python3 >/dev/null; then
        python3 -c 'import json, sys; json.load(sys.stdin)' <"$work/body" || fail "$label: the answer is not JSON"
    elif command -v jq >/dev/null; then
        jq -e . <"$work/body" >/dev/null || fail "$label: the answer is not JSON"
    fi
    head -c 300 "$work/body"; echo

    status=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' "${base}api/v1/tasks") || true
    echo "GET /api/v1/tasks without the token -> $status"
    [[ "$status" == 401 ]] || fail "$label: expected 401 without the token"

    kill -TERM "$server_pid"
    local stopped=0
    for _ in $(seq 50); do
        kill -0 "$server_pid" 2>/dev/null || { stopped=1; break; }
        sleep 0.2
    done
    if ((stopped)); then
        wait "$server_pid" && rc=0 || rc=$?
        echo "stopped by SIGTERM, exit status $rc"
        ((rc == 0)) || warn "$label: headway exited with $rc on SIGTERM (expected 0)"
    else
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        warn "$label: headway did not stop within 10 s of SIGTERM"
    fi
    server_pid=""
}

check_installed_binary deb "$bin"

# --- cmake --install to an arbitrary prefix ------------------------------------------------
prefix="$work/any prefix/opt"
say "cmake --install to '$prefix'"
"$cmake_cmd" --install "$build_dir" --prefix "$prefix" >"$work/install.log" 2>&1 \
    || { cat "$work/install.log"; fail "cmake --install failed"; }
pbin="$prefix/bin/headway"
[[ -x "$pbin" ]] || fail "no bin/headway under the prefix"
for f in "${expected[@]}"; do
    [[ "$f" == /usr/bin/headway ]] && continue
    rel=${f#/usr/}
    [[ -f "$prefix/$rel" ]] || fail "cmake --install did not install $rel"
done
echo "all files installed under the prefix"
# No RUNPATH into the build tree, and no build-tree path the code could use at run time
# (source file names from assertions in debug builds are harmless and ignored).
if readelf -d "$pbin" | grep -E 'R(UN)?PATH' | grep -qF "$build_dir"; then
    fail "the installed binary's RUNPATH points into the build tree"
fi
strip -o "$work/headway.stripped" "$pbin" 2>/dev/null || cp "$pbin" "$work/headway.stripped"
if grep -aoF "$build_dir" "$work/headway.stripped" >/dev/null; then
    leaks=$(strings -n 8 "$work/headway.stripped" | grep -F "$build_dir" | grep -vE '\.(c|cc|cpp|h|hpp)$' || true)
    [[ -z "$leaks" ]] || fail "the installed binary contains build-tree paths: $leaks"
fi
check_installed_binary prefix "$pbin"

say "Summary"
if ((${#warnings[@]})); then
    printf 'warning: %s\n' "${warnings[@]}"
else
    echo "no warnings"
fi
echo "package_install: PASS"
