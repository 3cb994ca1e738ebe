#!/usr/bin/env bash
# --net=none: a new network namespace with only lo (up), /sys/class/net showing it (we remount
# sysfs; upstream does not: docs/compatibility.md, Mounts), no DNS so /etc/resolv.conf and
# /etc/hosts stay the host's and nothing is written to the state dir, and `{"driver":"none"}`
# in the API info.
source "$(dirname "$0")/lib.sh"
require_cmd jq ip
[[ -x $ROOTLESSCTL ]] || fail "rootlessctl under test not found: ROOTLESSCTL=$ROOTLESSCTL"
cp /etc/resolv.conf "$T/host-resolv.conf"
cp /etc/hosts "$T/host-hosts"

# shellcheck disable=SC2016
rk --net=none --copy-up=/etc sh -c '
  ls /sys/class/net; ip -o -4 addr
  cmp -s /etc/resolv.conf "$1" && echo "host resolv.conf"
  cmp -s /etc/hosts "$2" && echo "host hosts"
  echo "--- state"; ls "$ROOTLESSKIT_STATE_DIR"
  "$3" --socket "$ROOTLESSKIT_STATE_DIR/api.sock" info --json | jq -c .networkDriver' \
  sh "$T/host-resolv.conf" "$T/host-hosts" "$ROOTLESSCTL"
assert_rc 0 "--net=none"
assert_eq "lo" "$(head -n1 <<<"$OUT")" "/sys/class/net inside --net=none"
assert_contains "$OUT" "lo    inet 127.0.0.1/8" "lo address"
assert_contains "$OUT" $'host resolv.conf\nhost hosts' "/etc untouched"
assert_contains "$OUT" $'--- state\napi.sock\nchild_pid\nlock\n' "no hosts or resolv.conf in the state dir"
assert_contains "$OUT" '{"driver":"none"}' "info"
assert_not_contains "$ERR" "Mounting /etc/resolv.conf" "no resolv.conf warning for none"
