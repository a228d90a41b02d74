#!/usr/bin/env bash
# Installs what Headway needs on Debian 12, only what is missing.
#   install-deps.sh          build and run
#   install-deps.sh --test   also what the tests need (browser, node packages, redis, celery)
# Building and running need no Node: web/vendor/ is committed (`make vendor` refreshes it).
# The tests' npm packages run on Debian 12's own Node.js (18.20).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake ninja-build g++ make pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-webengine-dev qt6-httpserver-dev qt6-websockets-dev
    libqt6sql6-sqlite libqt6svg6 qt6-qpa-plugins libgl-dev libhiredis-dev ccache
    qt6-tools-dev qt6-l10n-tools
    xvfb xauth dbus dbus-x11 dpkg-dev fonts-dejavu-core)
if [[ "${1:-}" == "--test" ]]; then
    packages+=(chromium nodejs npm redis-server python3-celery python3-redis
        desktop-file-utils appstream lintian file curl wrk python3-flask gunicorn clang-format clang sqlite3
        python3-socketio python3-websocket python3-requests python3-flask-socketio python3-eventlet)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# node/npm may come from elsewhere than Debian (an image's own node): accept it when present.
if command -v node >/dev/null && command -v npm >/dev/null; then
    filtered=()
    for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
    missing=("${filtered[@]+"${filtered[@]}"}")
fi

if ((${#missing[@]})); then
    echo "Installing missing Debian packages: ${missing[*]}"
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [[ "${1:-}" == "--test" && -f tests/web/package.json ]]; then
    if [[ ! -d tests/web/node_modules ]] || [[ tests/web/package-lock.json -nt tests/web/node_modules ]]; then
        echo "Installing the browser tests' npm packages"
        (cd tests/web && npm ci --no-audit --no-fund --loglevel=error && touch node_modules)
    fi
fi
