#!/usr/bin/env bash
# --detach-netns with --port-driver=builtin: COMMAND stays in the host's network namespace and
# runs port_server.py inside the detached one (`nsenter --net=$ROOTLESSKIT_STATE_DIR/netns`, as
# upstream's docs/network.md describes the mode); -p and add-ports reach that server (TCP and
# UDP, v4 and v6), not anything in COMMAND's own namespace (where an unprivileged port_server.py
# could not even listen on port 80); remove-ports closes the listener. The same for the
# slirp4netns port driver (it forwards to 10.0.2.100, the tap in the detached namespace).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/port_lib.sh"
require_cmd nsenter

p_tcp=$(free_port) p_udp=$(free_port) p_v6=$(free_port) p_add=$(free_port)
STATE=$T/state
READY=$T/server.ready
# shellcheck disable=SC2016 # expanded by COMMAND's shell
bg rk "$ROOTLESSKIT" --state-dir="$STATE" --net=slirp4netns --disable-host-loopback --detach-netns \
  --port-driver=builtin -p "127.0.0.1:$p_tcp:80/tcp,127.0.0.1:$p_udp:81/udp,[::1]:$p_v6:80/tcp" \
  sh -c 'readlink /proc/self/ns/net >"$1.netns"
    exec nsenter --net="$ROOTLESSKIT_STATE_DIR/netns" python3 "$2" "$1" tcp:127.0.0.1:80 udp:127.0.0.1:81 "tcp:[::1]:80"' \
  sh "$READY" "$PORT_SERVER"
PARENT=$BG_PID
_poll "port_server.py in the detached netns" "$WAIT_TIMEOUT" eval '[[ -e $READY ]] || ! pid_alive $PARENT'
[[ -e $READY ]] || fail "rootlesskit exited before its server was ready: $(cat "$T/rk.err")"
own_pid "$(<"$STATE/child_pid")"
assert_eq "$(readlink /proc/self/ns/net)" "$(<"$READY.netns")" "COMMAND's network namespace (the host's)"

expect_answer "TCP into the detached netns" tcp 127.0.0.1 "$p_tcp" hi "tcp:127.0.0.1:80 127.0.0.1 hi"
expect_answer "UDP into the detached netns" udp 127.0.0.1 "$p_udp" hi "udp:127.0.0.1:81 127.0.0.1 hi"
expect_answer "TCP over IPv6 into the detached netns" tcp ::1 "$p_v6" hi "tcp:[::1]:80 ::1 hi"

ctl add-ports "127.0.0.1:$p_add:80/tcp"
assert_rc 0 "add-ports with --detach-netns"
assert_eq 4 "$OUT" "id of the added port"
expect_answer "TCP through add-ports" tcp 127.0.0.1 "$p_add" added "tcp:127.0.0.1:80 127.0.0.1 added"
ctl remove-ports 4
assert_rc 0 "remove-ports with --detach-netns"
expect_answer "TCP after remove-ports" probe 127.0.0.1 "$p_add" "error: ECONNREFUSED"

touch "$READY.stop"
bg_wait "$PARENT"
assert_eq 0 "$BG_RC" "exit code; stderr: $(cat "$T/rk.err")"
for p in "$p_tcp" "$p_udp" "$p_v6"; do
  no_listener "$p" || fail "port $p still bound after rootlesskit exited"
done

# --port-driver=slirp4netns (without --disable-host-loopback: see test-port-slirp4netns.sh).
p_tcp=$(free_port) p_udp=$(free_port)
rm -f "$READY" "$READY.stop"
# shellcheck disable=SC2016 # expanded by COMMAND's shell
bg rk-slirp "$ROOTLESSKIT" --state-dir="$STATE" --net=slirp4netns --detach-netns \
  --port-driver=slirp4netns -p "127.0.0.1:$p_tcp:80/tcp,127.0.0.1:$p_udp:81/udp" \
  sh -c 'exec nsenter --net="$ROOTLESSKIT_STATE_DIR/netns" python3 "$2" "$1" tcp:10.0.2.100:80 udp:10.0.2.100:81' \
  sh "$READY" "$PORT_SERVER"
PARENT=$BG_PID
_poll "port_server.py in the detached netns (slirp4netns ports)" "$WAIT_TIMEOUT" eval '[[ -e $READY ]] || ! pid_alive $PARENT'
[[ -e $READY ]] || fail "rootlesskit exited before its server was ready: $(cat "$T/rk-slirp.err")"
own_pid "$(<"$STATE/child_pid")"
expect_answer "TCP into the detached netns (slirp4netns ports)" tcp 127.0.0.1 "$p_tcp" hi "tcp:10.0.2.100:80 10.0.2.2 hi"
expect_answer "UDP into the detached netns (slirp4netns ports)" udp 127.0.0.1 "$p_udp" hi "udp:10.0.2.100:81 10.0.2.2 hi"
touch "$READY.stop"
bg_wait "$PARENT"
assert_eq 0 "$BG_RC" "exit code (slirp4netns ports); stderr: $(cat "$T/rk-slirp.err")"
