#!/usr/bin/env bash
# The README's two commands on a fresh Debian 12 (`make test-clean-root`, and CI's .ci/run).
# A new root is made for every run: `debootstrap --variant=minbase bookworm` plus only make, git
# and ca-certificates; this machine's apt sources, certificate authorities and npm settings are
# copied in. A clean clone of the committed tree (HEAD) then runs, inside the root:
#   1. `make run` (headless): it must print its address and answer /api/v1/health, with no Node;
#   2. `make test`;
#   3. the sanitizer pass: CLEAN_ROOT_SANITIZE=asan (default, ASan+UBSan), all (+TSan) or none.
# Cached between runs, outside the clone: the pristine debootstrap tarball and apt's downloaded
# .debs (HEADWAY_CI_CACHE, default /var/cache/headway-ci). Nothing the project installs is kept.
# Needs root (debootstrap, chroot, bind mounts). CLEAN_ROOT_KEEP=1 leaves the root for a look.
set -euo pipefail
[[ $(id -u) -eq 0 ]] || exec sudo --preserve-env=HEADWAY_CI_CACHE,CLEAN_ROOT_SANITIZE,CLEAN_ROOT_KEEP "$0" "$@"

src=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
rev=$(git -C "$src" rev-parse HEAD)
cache=${HEADWAY_CI_CACHE:-/var/cache/headway-ci}
sanitize=${CLEAN_ROOT_SANITIZE:-asan}
base=$cache/bookworm-minbase.tar
mkdir -p "$cache/archives/partial"
root=$(mktemp -d /var/tmp/headway-clean-root.XXXXXX)
mounts=()

cleanup() {
    local rc=$? i p pids=()
    # Whatever still runs inside the root (a step interrupted, a server left behind) ends first.
    for p in /proc/[0-9]*; do
        [[ $(readlink "$p/root" 2>/dev/null) == "$root" ]] && pids+=("${p#/proc/}")
    done
    ((${#pids[@]})) && kill -KILL "${pids[@]}" 2>/dev/null && sleep 1
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
        umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" || true
    done
    if [[ "${CLEAN_ROOT_KEEP:-0}" == 1 ]]; then
        echo "clean-root: root kept in $root (unmounted)"
    elif ! grep -q " $root/" /proc/mounts; then
        rm -rf --one-file-system "$root"
    else
        echo "clean-root: $root still has mounts, not removed" >&2
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The mirror this machine uses (deb822 sources first, then the one-line format).
mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
[[ -n "$mirror" ]] || mirror=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[[ -n "$mirror" ]] || mirror=http://deb.debian.org/debian

SECONDS=0
if [[ ! -s "$base" ]]; then
    command -v debootstrap >/dev/null || {
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap
    }
    echo "clean-root: debootstrap bookworm (minbase + make, git, ca-certificates) from $mirror"
    debootstrap --variant=minbase --include=make,git,ca-certificates \
        --cache-dir="$cache/archives" bookworm "$root" "$mirror" >"$cache/debootstrap.log" 2>&1 || {
        tail -20 "$cache/debootstrap.log" >&2
        exit 1
    }
    tar -C "$root" -cf "$base.tmp" . && mv "$base.tmp" "$base"
else
    tar -C "$root" -xf "$base"
fi

# This machine's package sources, certificate authorities, npm settings and name resolution.
cp /etc/resolv.conf "$root/etc/resolv.conf"
rm -f "$root/etc/apt/sources.list" "$root"/etc/apt/sources.list.d/*
[[ -f /etc/apt/sources.list ]] && cp /etc/apt/sources.list "$root/etc/apt/"
for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] && cp "$f" "$root/etc/apt/sources.list.d/"
done
for f in /etc/apt/apt.conf.d/*; do # proxies and snapshot settings, not the image's own hooks
    grep -qiE 'proxy|Check-Valid-Until|Check-Date' "$f" 2>/dev/null && cp "$f" "$root/etc/apt/apt.conf.d/"
done
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
fi
[[ -f /etc/npmrc ]] && cp /etc/npmrc "$root/etc/npmrc"

bind() {
    mkdir -p "$root/$2"
    mount --bind "$1" "$root/$2"
    mounts+=("$root/$2")
}
bind /proc proc
bind /sys sys
bind /dev dev
bind /dev/pts dev/pts
bind /dev/shm dev/shm
bind "$cache/archives" var/cache/apt/archives

git clone -q --no-checkout "$src" "$root/src"
git -C "$root/src" checkout -q --detach "$rev"
echo "clean-root: $(git -C "$root/src" log --oneline -1) in $root (ready after ${SECONDS}s)"

inroot() {
    chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        DEBIAN_FRONTEND=noninteractive NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
        bash -euo pipefail -c "update-ca-certificates >/dev/null; cd /src; $1"
}

step() {
    local start=$SECONDS
    echo "clean-root: ---- $1"
    inroot "$2"
    echo "clean-root: ---- $1: passed in $((SECONDS - start))s"
}

# make run: headless (no display here), on a free port; it must print its address and answer
# /api/v1/health. bash's /dev/tcp is the client: the root has no curl before `make test`.
step "make run" '
    set -m # the job gets its own process group: make and the Headway it started stop together
    make run HEADWAY_ARGS="--port 0 --data-dir /tmp/run-data" >/tmp/run.log 2>&1 &
    pid=$!
    until url=$(grep -o "http://127\.0\.0\.1:[0-9]*" /tmp/run.log); do
        kill -0 $pid 2>/dev/null || { cat /tmp/run.log; echo "make run exited"; exit 1; }
        sleep 1
    done
    grep -v "^\[" /tmp/run.log | tail -3
    exec 3<>/dev/tcp/127.0.0.1/${url##*:}
    printf "GET /api/v1/health HTTP/1.0\r\nHost: 127.0.0.1:%s\r\n\r\n" "${url##*:}" >&3
    reply=$(timeout 20 cat <&3 || true)
    exec 3<&-
    kill -TERM -- -$pid
    wait $pid || true
    echo "health: $reply" | head -1
    echo "$reply" | head -1 | grep -q " 200 "
    if command -v node >/dev/null || command -v npm >/dev/null; then echo "make run installed Node"; exit 1; fi'

step "make test" 'make test'

case $sanitize in
asan) step "make test-sanitize-asan" 'make test-sanitize-asan' ;;
all) step "make test-sanitize" 'make test-sanitize' ;;
none) ;;
*) echo "clean-root: CLEAN_ROOT_SANITIZE=$sanitize: asan, all or none" >&2; exit 2 ;;
esac
echo "clean-root: all passed in ${SECONDS}s"
