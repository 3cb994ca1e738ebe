#!/usr/bin/env bash
# CTest entry point for one integration script: runs it as the unprivileged test user.
# As root it switches to $ROOTLESSKIT_TEST_USER (default rktest) with runuser and a clean
# environment that keeps only ROOTLESSKIT, ROOTLESSCTL, ROOTLESSKIT_DOCKER_PROXY, HELPERS_DIR,
# EMBED_EXAMPLE and the sanitizers' options (ASAN_OPTIONS, UBSAN_OPTIONS: sanitized binaries
# under test); as anyone else it runs the script directly. Exit codes pass through (77 = skipped).
set -euo pipefail

script=$1
shift
# test-root-*.sh check what happens when real root runs rootlesskit: they stay root.
if (($(id -u) != 0)) || [[ $(basename "$script") == test-root-* ]]; then
  exec bash "$script" "$@"
fi

user=${ROOTLESSKIT_TEST_USER:-rktest}
if ! home=$(getent passwd "$user" | cut -d: -f6) || [[ -z $home ]]; then
  echo "test user $user does not exist: run 'sudo ./scripts/test.sh' (it creates the user)" >&2
  exit 1
fi
for f in "$script" "${ROOTLESSKIT:-}" "${ROOTLESSCTL:-}" "${ROOTLESSKIT_DOCKER_PROXY:-}" "${EMBED_EXAMPLE:-}"; do
  [[ -z $f ]] && continue
  if ! runuser -u "$user" -- test -r "$f"; then
    echo "$user cannot read $f: every directory above it needs o+x (scripts/test.sh builds" \
      "in a readable place)" >&2
    exit 1
  fi
done

# Each test runs in a cgroup2 group of its own, delegated to the test user (as systemd does for
# user sessions): --evacuate-cgroup2 needs one, and afterwards any process still in it is a
# process the test failed to reap, which fails the test.
group=""
cgroup2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [[ -n $cgroup2 && -w $cgroup2 ]]; then
  group=$cgroup2/rootlesskit-tests/$(basename "$script" .sh).$$
  mkdir -p "$group"
  chown -R "$user" "$group"
  echo $$ >"$group/cgroup.procs"
fi

# remove_group DIR: removes a (possibly nested) cgroup once empty.
remove_group() {
  local sub
  for sub in "$1"/*/; do
    [[ -d $sub ]] && remove_group "${sub%/}"
  done
  rmdir "$1" 2>/dev/null || true
}

cd /
rc=0
runuser -u "$user" -- env -i \
  HOME="$home" USER="$user" LOGNAME="$user" SHELL=/bin/bash LANG=C.UTF-8 \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  ROOTLESSKIT="${ROOTLESSKIT:-}" ROOTLESSCTL="${ROOTLESSCTL:-}" HELPERS_DIR="${HELPERS_DIR:-}" \
  EMBED_EXAMPLE="${EMBED_EXAMPLE:-}" ${ROOTLESSKIT_DOCKER_PROXY:+ROOTLESSKIT_DOCKER_PROXY="$ROOTLESSKIT_DOCKER_PROXY"} \
  ROOTLESSKIT_TEST_CGROUP="$group" \
  ${ASAN_OPTIONS+ASAN_OPTIONS="$ASAN_OPTIONS"} ${UBSAN_OPTIONS+UBSAN_OPTIONS="$UBSAN_OPTIONS"} \
  bash "$script" "$@" || rc=$?

if [[ -n $group ]]; then
  echo $$ >"$cgroup2/rootlesskit-tests/cgroup.procs"
  left=$(find "$group" -name cgroup.procs -exec cat {} + | sort -u)
  if [[ -n $left ]]; then
    echo "FAIL: $(basename "$script"): processes left behind: $left" >&2
    ps -o pid,user,args -p "$(echo $left | tr ' ' ,)" >&2 || true
    for pid in $left; do kill -KILL "$pid" 2>/dev/null || true; done
    ((rc != 0 && rc != 77)) || rc=1
  fi
  for _ in $(seq 50); do
    [[ -z $(find "$group" -name cgroup.procs -exec cat {} +) ]] && break
    sleep 0.1
  done
  remove_group "$group"
fi
exit $rc
