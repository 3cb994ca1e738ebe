#!/usr/bin/env bash
# --net=vdeplug_slirp (the v0.3-era driver): `vde_plug slirp://` on the host side joined to
# `vde_plug tap://tap0` in the namespace. 10.0.2.100/24 via 10.0.2.2 on tap0, MTU 1500, DNS
# 10.0.2.3; the host's 127.0.0.1 is reached as 10.0.2.2; --cidr and --disable-host-loopback are
# refused, another --mtu only warned about; killing a vde_plug ends the run and leaves nothing.
source "$(dirname "$0")/lib.sh"
require_cmd vde_plug socat jq ip
[[ -x $ROOTLESSCTL ]] || fail "rootlessctl under test not found: ROOTLESSCTL=$ROOTLESSCTL"

port=$(free_port)
bg listener socat -T5 "TCP4-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" SYSTEM:'echo hello-vde'
_poll "listener on 127.0.0.1:$port" "$WAIT_TIMEOUT" eval "socat -T1 - TCP4:127.0.0.1:$port </dev/null >/dev/null 2>&1"

# shellcheck disable=SC2016
rk --net=vdeplug_slirp --copy-up=/etc --mtu=9000 sh -c '
  ip -4 -o addr; ip route; echo "mtu $(cat /sys/class/net/tap0/mtu)"; cat /etc/resolv.conf
  timeout 5 bash -c "exec 3<>/dev/tcp/10.0.2.2/$1 && head -n1 <&3"
  "$2" --socket "$ROOTLESSKIT_STATE_DIR/api.sock" info --json | jq -c .networkDriver' sh "$port" "$ROOTLESSCTL"
assert_rc 0 "--net=vdeplug_slirp"
assert_contains "$OUT" "tap0    inet 10.0.2.100/24 scope global tap0" "address"
assert_contains "$OUT" "default via 10.0.2.2 dev tap0" "route"
assert_contains "$OUT" $'mtu 1500\nnameserver 10.0.2.3\nhello-vde' "MTU, resolv.conf and the host's loopback"
assert_contains "$OUT" '{"driver":"vdeplug_slirp","dns":["10.0.2.3"],"childIP":"10.0.2.100"}' "info"
assert_contains "$ERR" "vdeplug_slirp does not support non-1500 MTU, got 9000" "MTU warning"
assert_not_contains "$ERR" "disable-host-loopback" "no advice to use a flag this driver refuses"

rk --net=vdeplug_slirp --cidr=10.0.5.0/24 true
assert_rc 1
assert_contains "$ERR" "custom cidr is not supported for --net=vdeplug_slirp"
rk --net=vdeplug_slirp --disable-host-loopback true
assert_rc 1
assert_contains "$ERR" "--disable-host-loopback is not supported for vdeplug_slirp"

# Killing the host-side vde_plug: rootlesskit notices, kills COMMAND, exits non-zero.
state=$T/kill-state
bg kill "$ROOTLESSKIT" --net=vdeplug_slirp --state-dir="$state" sleep 1000
parent=$BG_PID
wait_for_socket "$state/api.sock"
child=$(<"$state/child_pid")
own_pid "$child"
mapfile -t plugs < <(pgrep -P "$parent" -x vde_plug)
((${#plugs[@]} == 2)) || fail "expected 2 vde_plug processes under rootlesskit $parent, got ${plugs[*]}"
for p in "${plugs[@]}"; do own_pid "$p"; done
slirp=$(pgrep -P "$parent" -f 'vde_plug slirp://') || fail "no vde_plug slirp:// under $parent"
kill -KILL "$slirp"
bg_wait "$parent"
assert_eq 1 "$BG_RC" "exit code after vde_plug was killed"
assert_contains "$(cat "$T/kill.err")" "[rootlesskit:parent] error: vde_plug slirp:// exited: signal: killed"
for pid in "$child" "${plugs[@]}"; do
  wait_for_pid_exit "$pid" 10
done
[[ ! -e $state ]] || fail "state dir $state left behind"
