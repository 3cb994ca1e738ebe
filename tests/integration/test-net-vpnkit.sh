#!/usr/bin/env bash
# --net=vpnkit against tests/helpers/vpnkit_peer (VPNKit is not packaged for Debian): a peer
# that speaks the server side of VPNKit's vmnet protocol and answers DHCP, ARP and ICMP echo for
# 192.168.65.1. Checks the address learnt by DHCP (192.168.65.3/24), the default route via .1,
# the MTU and MAC, resolv.conf, `rootlessctl info`, a ping to 192.168.65.1 through the whole
# chain (tap -> child's relay -> socket -> peer and back), big frames at MTU 9000, the peer's
# argv, the same vif UUID for the parent and the child, the binary found as `vpnkit` on PATH,
# --detach-netns, a missing or dying vpnkit, and that nothing is left behind.
# Traffic: only between the namespace and the peer, over a unix socket in the state dir.
source "$(dirname "$0")/lib.sh"
require_cmd ip ping jq nsenter
[[ -x $ROOTLESSCTL ]] || fail "rootlessctl under test not found: ROOTLESSCTL=$ROOTLESSCTL"
PEER=$HELPERS_DIR/vpnkit_peer
[[ -x $PEER ]] || fail "test peer not found: $PEER (tests/CMakeLists.txt builds it into <build>/tests/helpers; set HELPERS_DIR)"
export VPNKIT_PEER_LOG=$T/peer.log

# shellcheck disable=SC2016
SHOW='
dev=$1 ctl=$2
ip -4 -o addr; ip route; echo "mtu $(cat /sys/class/net/$dev/mtu)"; ip -o link show "$dev"
echo "--- resolv.conf"; cat /etc/resolv.conf
echo "--- info"; "$ctl" --socket "$ROOTLESSKIT_STATE_DIR/api.sock" info --json | jq -c "del(.version, .childPID, .stateDir)"
echo "--- ping"; ping -c1 -W5 192.168.65.1
'

# Defaults: the peer's DHCP address on tap0, MTU 1500, gateway and DNS 192.168.65.1.
rk --net=vpnkit --vpnkit-binary="$PEER" --copy-up=/etc --state-dir="$T/s1" sh -c "$SHOW" sh tap0 "$ROOTLESSCTL"
assert_rc 0 "defaults"
assert_contains "$OUT" "tap0    inet 192.168.65.3/24 scope global tap0" "address"
assert_contains "$OUT" "default via 192.168.65.1 dev tap0" "route"
assert_contains "$OUT" "mtu 1500" "MTU"
assert_contains "$OUT" "link/ether 02:50:00:00:00:03 " "the vif's MAC on the tap"
assert_contains "$OUT" $'--- resolv.conf\nnameserver 192.168.65.1\n--- info' "resolv.conf"
assert_contains "$OUT" '{"apiVersion":"1.1.1","networkDriver":{"driver":"vpnkit","dns":["192.168.65.1"],"childIP":"192.168.65.3"}}' "info"
assert_contains "$OUT" "1 packets transmitted, 1 received" "ping 192.168.65.1"
assert_not_contains "$ERR" "non-1500 MTU" "MTU warning at the default MTU"
log=$(cat "$VPNKIT_PEER_LOG")
assert_contains "$log" "argv --ethernet $T/s1/vpnkit-ethernet.sock --mtu 1500"$'\n' "vpnkit argv"
assert_contains "$log" "dhcp offer" "the parent's DHCP over the vif"
assert_contains "$log" "icmp echo" "the ping reached the peer"
mapfile -t vifs < <(grep '^vif ' "$VPNKIT_PEER_LOG")
assert_eq 2 "${#vifs[@]}" "vif connections (parent, then child): ${vifs[*]}"
assert_eq "${vifs[0]}" "${vifs[1]}" "the child connects the parent's vif UUID"
[[ ${vifs[0]} =~ ^vif\ [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\ type\ 1$ ]] ||
  fail "vif request is not a random UUID of type 1: ${vifs[0]}"
[[ ! -e $T/s1 ]] || fail "state dir left behind"

# Found as `vpnkit` on PATH; --mtu 9000 (warned about, as upstream) carries 8000-byte pings;
# --disable-host-loopback becomes --host-ip 0.0.0.0; --ifname.
mkdir "$T/bin"
printf '#!/bin/sh\nexec "%s" "$@"\n' "$PEER" >"$T/bin/vpnkit"
chmod +x "$T/bin/vpnkit"
: >"$VPNKIT_PEER_LOG"
PATH=$T/bin:$PATH rk --net=vpnkit --mtu=9000 --ifname=eth7 --disable-host-loopback sh -c '
  ip -4 -o addr show eth7; cat /sys/class/net/eth7/mtu; ping -c1 -W5 -s 8000 192.168.65.1'
assert_rc 0 "vpnkit on PATH, --mtu=9000"
assert_contains "$OUT" "eth7    inet 192.168.65.3/24" "address on eth7"
assert_contains "$OUT" $'\n9000\n' "MTU 9000"
assert_contains "$OUT" "8008 bytes from 192.168.65.1" "8000-byte ping"
assert_contains "$ERR" "vpnkit is known to have issues with non-1500 MTU (current: 9000), see https://github.com/rootless-containers/rootlesskit/issues/6#issuecomment-403531453"
assert_contains "$(cat "$VPNKIT_PEER_LOG")" "vpnkit-ethernet.sock --mtu 9000 --host-ip 0.0.0.0"$'\n' "argv with --disable-host-loopback"

# --detach-netns: the relay joins the detached netns, COMMAND stays in the host's.
# shellcheck disable=SC2016
rk --net=vpnkit --vpnkit-binary="$PEER" --detach-netns sh -c '
  ip -4 -o addr | grep -c " 192.168.65.3/" || true
  nsenter --net="$ROOTLESSKIT_STATE_DIR/netns" sh -c "ip -4 -o addr show tap0; ip route; ping -c1 -W5 192.168.65.1"'
assert_rc 0 "--detach-netns"
assert_contains "$OUT" $'0\n' "no vpnkit address in the host's netns"
assert_contains "$OUT" "tap0    inet 192.168.65.3/24" "address in the detached netns"
assert_contains "$OUT" "default via 192.168.65.1 dev tap0" "route in the detached netns"
assert_contains "$OUT" "1 packets transmitted, 1 received" "ping from the detached netns"

# A missing vpnkit says where to get it; one that exits at once is reported with its status.
rk --net=vpnkit --vpnkit-binary=no-such-vpnkit true
assert_rc 1
assert_contains "$ERR" '[rootlesskit:parent] error: exec: "no-such-vpnkit": executable file not found in $PATH'
assert_contains "$ERR" "VPNKit is not packaged for Debian"
printf '#!/bin/sh\necho "no ethernet today" >&2\nexit 3\n' >"$T/failing-vpnkit"
chmod +x "$T/failing-vpnkit"
rk --net=vpnkit --vpnkit-binary="$T/failing-vpnkit" true
assert_rc 1
assert_contains "$ERR" '[rootlesskit:parent] error: failed to setup network: vpnkit exited: exit status 3: "no ethernet today"'
assert_eq "" "$(find "$TMPDIR" -mindepth 1 -maxdepth 1 -name 'rootlesskit*')" "state dirs left"

# Killing vpnkit while COMMAND runs ends the run; the child, COMMAND and the relay go too.
state=$T/kill-state
bg kill "$ROOTLESSKIT" --net=vpnkit --vpnkit-binary="$PEER" --state-dir="$state" sleep 1000
parent=$BG_PID
wait_for_socket "$state/api.sock"
child=$(<"$state/child_pid")
own_pid "$child"
peer=$(pgrep -P "$parent" -x vpnkit_peer) || fail "no vpnkit_peer under rootlesskit $parent"
own_pid "$peer"
relays=$(pgrep -P "$child" -x tap-relay | tr '\n' ' ') || fail "no relay under the child $child"
kill -KILL "$peer"
bg_wait "$parent"
assert_eq 1 "$BG_RC" "exit code after vpnkit was killed"
assert_contains "$(cat "$T/kill.err")" "[rootlesskit:parent] error: vpnkit exited: signal: killed"
for pid in "$child" $relays; do
  wait_for_pid_exit "$pid" 10
done
[[ ! -e $state ]] || fail "state dir $state left behind"

# SIGKILL of the parent: vpnkit (PDEATHSIG), the child, and its relays (PDEATHSIG, chained) go.
state=$T/parent-kill-state
bg pkill "$ROOTLESSKIT" --net=vpnkit --vpnkit-binary="$PEER" --state-dir="$state" sleep 1000
parent=$BG_PID
wait_for_socket "$state/api.sock"
child=$(<"$state/child_pid")
own_pid "$child"
peer=$(pgrep -P "$parent" -x vpnkit_peer) || fail "no vpnkit_peer under rootlesskit $parent"
relay=$(pgrep -P "$child" -x tap-relay) || fail "no relay under the child $child"
relay2=$(pgrep -P "$relay" -x tap-relay) || fail "no second relay process under $relay"
kill -KILL "$parent"
bg_wait "$parent"
for pid in "$peer" "$child" "$relay" "$relay2"; do
  wait_for_pid_exit "$pid" 10
done
