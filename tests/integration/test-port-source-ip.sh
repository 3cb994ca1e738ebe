#!/usr/bin/env bash
# --source-ip-transparent (builtin driver, default on): a TCP client from a non-loopback
# address is seen inside with its own address (v4 and v6), UDP never (as upstream), a loopback
# client as 127.0.0.1; with --source-ip-transparent=false every client is 127.0.0.1; without
# iptables in PATH the child says so with upstream's text and the parent falls back. The
# routing/iptables set-up happens once, in the child's namespace. Also the child's dial target
# for a parent IP that is an address of the host: 127.0.0.1 inside. The same with --detach-netns
# (the set-up and the dials happen in the detached namespace).
# Non-loopback clients need addresses of our own: everything runs in a sandbox, an outer
# user+network namespace (as in test-net-pasta-loopback.sh) whose only links are lo and a veth
# pair with documentation addresses (198.51.100.0/24, 2001:db8::/64) on one end, so that a
# client in the sandbox connects from 198.51.100.2 to a port on 198.51.100.1.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/port_lib.sh"
require_cmd unshare newuidmap newgidmap ip iptables timeout

cat >"$T/outer.sh" <<'OUTER'
set -eu
rootlesskit=$1 server=$2 client=$3 dir=$4
pids=""
trap 'for p in $pids; do kill $p 2>/dev/null || true; done; wait' EXIT
trap 'exit 143' TERM INT
poll() { n=0; until eval "$1"; do n=$((n + 1)); [ $n -lt 1000 ] || { echo "timeout: $1" >&2; exit 1; }; sleep 0.02; done; }
poll '[ -n "$(cat /proc/self/gid_map)" ]'
ip link set lo up
ip link add rk0 type veth peer name rk1
for l in rk0 rk1; do ip link set "$l" addrgenmode none; ip link set "$l" up; done
for a in 198.51.100.1/24 198.51.100.2/24; do ip addr add "$a" dev rk0; done
for a in 2001:db8::1/64 2001:db8::2/64; do ip addr add "$a" dev rk0 nodad; done

# case NAME PATH FLAGS...: rootlesskit with FLAGS and four ports; COMMAND serves them (inside
# $ROOTLESSKIT_STATE_DIR/netns with --detach-netns), then
# counts the transparency rules of its namespace (iptables, ip6tables, ip rule, ip -6 rule:
# one CONNMARK and one MARK rule, one fwmark rule each when set up). Prints "NAME <what>:
# <answer>" lines.
case_() {
  name=$1 path=$2
  shift 2
  rm -f "$dir/ready" "$dir/ready.stop"
  PATH=$path timeout 40 "$rootlesskit" --state-dir="$dir/state" --net=slirp4netns --disable-host-loopback \
    --port-driver=builtin "$@" \
    -p 0.0.0.0:8080:80/tcp -p "[2001:db8::1]:8082:[::1]:82/tcp" -p 198.51.100.1:8081:81/tcp \
    -p 198.51.100.1:8083:81/udp \
    sh -c 'in=""
      [ -e "$ROOTLESSKIT_STATE_DIR/netns" ] && in="nsenter --net=$ROOTLESSKIT_STATE_DIR/netns"
      $in python3 "$1" "$2" tcp:0.0.0.0:80 tcp:127.0.0.1:81 "tcp:[::1]:82" udp:127.0.0.1:81
      m() { $in "$@" | grep -c -e "--set-xmark 0x64" -e "fwmark 0x64"; }
      echo "rules $(m /usr/sbin/iptables -t mangle -S) $(m /usr/sbin/ip6tables -t mangle -S) $(m /usr/sbin/ip rule) $(m /usr/sbin/ip -6 rule)" >"$2.rules"' \
    sh "$server" "$dir/ready" 2>"$dir/$name.err" &
  pid=$!
  pids="$pids $pid"
  poll "[ -e $dir/ready ] || ! kill -0 $pid 2>/dev/null"
  ask() { echo "$name $1: $(python3 "$client" "${@:2}" 2>&1)"; }
  ask v4 tcp 198.51.100.1 8080 a 198.51.100.2
  ask v4-again tcp 198.51.100.1 8080 b 198.51.100.2
  ask v6 tcp 2001:db8::1 8082 c 2001:db8::2
  ask host-address tcp 198.51.100.1 8081 d 198.51.100.2
  ask loopback tcp 127.0.0.1 8080 e
  echo "$name udp: $(python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("198.51.100.2", 0))
s.settimeout(3)
s.sendto(b"f", ("198.51.100.1", 8083))
print(s.recv(100).decode())' 2>&1)"
  touch "$dir/ready.stop"
  wait "$pid" || echo "$name: exit code $?"
  echo "$name $(cat "$dir/ready.rules" 2>/dev/null)"
}
case_ default "$PATH"
case_ false "$PATH" --source-ip-transparent=false
case_ no-iptables /usr/bin:/bin
case_ detached "$PATH" --detach-netns
OUTER

bg outer timeout -k 5 120 unshare --user --net --keep-caps bash "$T/outer.sh" "$ROOTLESSKIT" "$PORT_SERVER" \
  "$PORT_CLIENT" "$T"
outer=$BG_PID
map_outer_userns "$outer" "the sandbox namespace"
bg_wait "$outer" 120
out=$(cat "$T/outer.out")
assert_eq 0 "$BG_RC" "exit code of the sandbox; stdout: [$out]; stderr: $(cat "$T/outer.err")"

want_default="default v4: tcp:0.0.0.0:80 198.51.100.2 a
default v4-again: tcp:0.0.0.0:80 198.51.100.2 b
default v6: tcp:[::1]:82 2001:db8::2 c
default host-address: tcp:127.0.0.1:81 198.51.100.2 d
default loopback: tcp:0.0.0.0:80 127.0.0.1 e
default udp: udp:127.0.0.1:81 127.0.0.1 f
default rules 2 2 1 1"
assert_eq "$want_default" "$(grep '^default ' <<<"$out")" "transparent (default)"
assert_not_contains "$(<"$T/default.err")" "source IP transparent" "warnings with iptables available"

assert_eq "false v4: tcp:0.0.0.0:80 127.0.0.1 a
false v4-again: tcp:0.0.0.0:80 127.0.0.1 b
false v6: tcp:[::1]:82 ::1 c
false host-address: tcp:127.0.0.1:81 127.0.0.1 d
false loopback: tcp:0.0.0.0:80 127.0.0.1 e
false udp: udp:127.0.0.1:81 127.0.0.1 f
false rules 0 0 0 0" "$(grep '^false ' <<<"$out")" "--source-ip-transparent=false"

assert_eq "no-iptables v4: tcp:0.0.0.0:80 127.0.0.1 a
no-iptables v4-again: tcp:0.0.0.0:80 127.0.0.1 b
no-iptables v6: tcp:[::1]:82 ::1 c
no-iptables host-address: tcp:127.0.0.1:81 127.0.0.1 d
no-iptables loopback: tcp:0.0.0.0:80 127.0.0.1 e
no-iptables udp: udp:127.0.0.1:81 127.0.0.1 f
no-iptables rules 0 0 0 0" "$(grep '^no-iptables' <<<"$out")" "without iptables"
assert_eq "${want_default//default/detached}" "$(grep '^detached ' <<<"$out")" "transparent with --detach-netns"

err=$(<"$T/no-iptables.err")
assert_contains "$err" 'level=warning msg="[rootlesskit:child ] source IP transparent: iptables not found, disabling: exec: \"iptables\": executable file not found in $PATH"' \
  "warning without iptables"
assert_contains "$err" 'level=warning msg="[rootlesskit:parent] source IP transparent: falling back to non-transparent mode, client source IPs will not be preserved"' \
  "fallback warning"
[[ $(grep -c "falling back to non-transparent" <<<"$err") == 1 ]] || fail "the fallback warning is not once: $err"
