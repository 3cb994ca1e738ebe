#!/usr/bin/env bash
# --net=pasta with and without --disable-host-loopback, checked by real connections. Without it,
# 10.0.2.2 inside reaches the host's 127.0.0.1; with it (pasta's --no-map-gw) pasta connects to
# 10.0.2.2 itself. The "host" is a sandbox: an outer user+network namespace (identity-mapped as in
# test-propagation.sh) whose only links are lo and a veth pair with both ends inside it, so no
# packet can reach the real network. pasta needs a default route to start: it points at the veth.
source "$(dirname "$0")/lib.sh"
require_cmd pasta socat unshare newuidmap newgidmap ip timeout

# Runs in the sandbox: sets the links up, starts listeners (bounded by timeout, killed by the
# trap) and prints what a connection to 10.0.2.2:PORT from inside rootlesskit read.
cat >"$T/outer.sh" <<'OUTER'
set -eu
rootlesskit=$1 port=$2
pids=""
trap 'for p in $pids; do kill $p 2>/dev/null || true; done; wait' EXIT
trap 'exit 143' TERM INT
poll() { n=0; until eval "$1"; do n=$((n + 1)); [ $n -lt 500 ] || { echo "timeout: $1" >&2; exit 1; }; sleep 0.02; done; }
poll '[ -n "$(cat /proc/self/gid_map)" ]'
ip link set lo up
ip link add rk0 type veth peer name rk1
for l in rk0 rk1; do ip link set "$l" addrgenmode none; ip link set "$l" up; done
ip addr add 192.0.2.1/24 dev rk0
ip route add default via 192.0.2.254 dev rk0
ip route add unreachable 10.0.2.0/24
listen() { # ADDRESS REPLY
  timeout 50 socat -T5 "TCP4-LISTEN:$port,bind=$1,reuseaddr,fork" SYSTEM:"echo $2" &
  pids="$pids $!"
  poll "socat -T1 - TCP4:$1:$port </dev/null >/dev/null 2>&1"
}
tx() { awk '$1 == "rk0:" { print $11 }' /proc/net/dev; }
probe() { # CASE FLAGS...: runs rootlesskit, connecting to 10.0.2.2:PORT from inside
  name=$1
  shift
  reply=$(timeout -k 2 30 "$rootlesskit" --net=pasta "$@" sh -c \
    'timeout 3 bash -c "exec 3<>/dev/tcp/10.0.2.2/$1 && head -n1 <&3" 2>/dev/null || echo no-reply' sh "$port")
  echo "$name: $reply"
}
listen 127.0.0.1 host-loopback
probe mapped
probe unmapped --disable-host-loopback
echo "tx: $(tx)"
ip addr add 10.0.2.2/32 dev lo
listen 10.0.2.2 sandbox-10.0.2.2
probe unmapped-local --disable-host-loopback
probe mapped-local
OUTER

port=$((20000 + RANDOM % 20000))
bg outer timeout -k 5 "$RUN_TIMEOUT" unshare --user --net --keep-caps bash "$T/outer.sh" "$ROOTLESSKIT" "$port"
outer=$BG_PID
map_outer_userns "$outer" "the sandbox namespace"
bg_wait "$outer"
out=$(cat "$T/outer.out")
assert_eq 0 "$BG_RC" "exit code of the sandbox; stdout: [$out]; stderr: $(cat "$T/outer.err")"
assert_contains "$out" "mapped: host-loopback" "10.0.2.2 is the host's 127.0.0.1 by default"
assert_contains "$out" "unmapped: no-reply" "10.0.2.2 is not the host's loopback with --disable-host-loopback"
# The unreachable route stopped pasta's own connection: nothing went out of the veth either.
assert_contains "$out" "tx: 0" "packets sent on the sandbox's veth"
assert_contains "$out" "unmapped-local: sandbox-10.0.2.2" "pasta connects to the real 10.0.2.2 with --disable-host-loopback"
assert_contains "$out" "mapped-local: host-loopback" "the mapping wins over a real 10.0.2.2 by default"
