#!/usr/bin/env bash
# --propagation: with rslave, a mount made on the host side after rootlesskit started shows up
# inside; with rprivate (the default) it does not. An unprivileged user cannot mount on the real
# host, so the "host" here is an outer user+mount namespace that maps the test user and its
# subordinate ranges onto themselves (newuidmap) and keeps its capabilities for mounting.
source "$(dirname "$0")/lib.sh"
require_cmd unshare newuidmap newgidmap mount

# Identity maps: our uid/gid plus every subordinate range of ours, so the rootlesskit started
# inside still finds and may use the same ranges.
# Runs in the outer namespace: a shared tmpfs, rootlesskit on top, then a mount made from
# outside once COMMAND runs. Prints what COMMAND saw.
cat >"$T/outer.sh" <<'OUTER'
set -eu
dir=$1 mode=$2 rootlesskit=$3
poll() { n=0; until eval "$1"; do n=$((n + 1)); [ $n -lt 1000 ] || { echo "timeout: $1" >&2; exit 1; }; sleep 0.02; done; }
poll '[ -n "$(cat /proc/self/gid_map)" ]'
mkdir -p "$dir/shared"
mount -t tmpfs rktest-shared "$dir/shared"
mount --make-shared "$dir/shared"
mkdir "$dir/shared/sub"
"$rootlesskit" --state-dir="$dir/state" --propagation="$mode" sh -c '
  touch "$1/ready"
  n=0; until [ -e "$1/go" ]; do n=$((n + 1)); [ $n -lt 1000 ] || exit 9; sleep 0.02; done
  cat "$1/shared/sub/marker" 2>/dev/null || echo not-visible' sh "$dir" &
rk=$!
poll '[ -e "$dir/ready" ]'
mount -t tmpfs rktest-late "$dir/shared/sub"
echo visible >"$dir/shared/sub/marker"
touch "$dir/go"
wait $rk
OUTER

for mode in rslave rprivate; do
  dir=$T/$mode
  mkdir "$dir"
  bg outer-$mode timeout -k 5 "$RUN_TIMEOUT" \
    unshare --user --mount --keep-caps --propagation private bash "$T/outer.sh" "$dir" "$mode" "$ROOTLESSKIT"
  outer=$BG_PID
  # timeout forks unshare: find the process that is in the new user namespace.
  map_outer_userns "$outer" "the outer user namespace"
  bg_wait "$outer"
  out=$(cat "$T/outer-$mode.out")
  assert_eq 0 "$BG_RC" "exit code with --propagation=$mode; stderr: $(cat "$T/outer-$mode.err")"
  case $mode in
    rslave) assert_eq visible "$out" "late host mount inside with --propagation=rslave" ;;
    rprivate) assert_eq not-visible "$out" "late host mount inside with --propagation=rprivate" ;;
  esac
done
