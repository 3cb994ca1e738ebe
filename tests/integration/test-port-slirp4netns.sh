#!/usr/bin/env bash
# --port-driver=slirp4netns: slirp4netns itself listens on the host and forwards to the child's
# address (10.0.2.100), so port_server.py inside sees 10.0.2.2 as the peer. TCP and UDP through
# -p and add-ports (with and without an explicit child IP), remove-ports; `info` says
# disallowLoopbackChildIP; the errors: tcp6 (`unsupported protocol "tcp6"`), a v6 child IP,
# a loopback child IP (refused with our message: upstream accepts it and the port never works),
# a duplicate, tcp4 on the port of a tcp one (the same slirp4netns forwarding: a conflict here,
# slirp4netns' own error upstream), a host port in use (slirp4netns' error text), an unknown id
# (slirp4netns' text, through upstream's Go map print).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/port_lib.sh"
require_cmd jq

busy=$(free_port)
bg busy python3 -c 'import socket, time
s = socket.create_server(("127.0.0.1", '"$busy"')); time.sleep(120)'
_poll "the busy listener" "$WAIT_TIMEOUT" eval '! no_listener $busy'

p_tcp=$(free_port) p_udp=$(free_port) p_add=$(free_port) p_ip=$(free_port) p_addu=$(free_port)
# Without --disable-host-loopback: with it, libslirp drops the answers of UDP forwardings to
# clients on the host's loopback (the same with Debian's rootlesskit; TCP is not affected).
start_server slirp "$ROOTLESSKIT" --net=slirp4netns --port-driver=slirp4netns \
  -p "127.0.0.1:$p_tcp:80/tcp,127.0.0.1:$p_udp:81/udp" -- tcp:0.0.0.0:80 udp:0.0.0.0:81

expect_answer "TCP through -p" tcp 127.0.0.1 "$p_tcp" hi "tcp:0.0.0.0:80 10.0.2.2 hi"
expect_answer "UDP through -p" udp 127.0.0.1 "$p_udp" hi "udp:0.0.0.0:81 10.0.2.2 hi"

ctl info --json
assert_eq '{"driver":"slirp4netns","protos":["tcp","tcp4","udp","udp4"],"disallowLoopbackChildIP":true}' \
  "$(jq -c .portDriver <<<"$OUT")" "portDriver in info"

ctl add-ports --json "127.0.0.1:$p_add:80/tcp4" "127.0.0.1:$p_ip:10.0.2.100:80/tcp" "127.0.0.1:$p_addu:81/udp4"
assert_rc 0 "add-ports"
mapfile -t added <<<"$OUT"
assert_eq 3 "${#added[@]}" "lines of add-ports --json"
assert_eq "{\"proto\":\"tcp4\",\"parentIP\":\"127.0.0.1\",\"parentPort\":$p_add,\"childPort\":80}" \
  "$(jq -c .spec <<<"${added[0]}")" "spec of the first added port"
assert_eq "10.0.2.100" "$(jq -r .spec.childIP <<<"${added[1]}")" "explicit child IP"
expect_answer "TCP through add-ports" tcp 127.0.0.1 "$p_add" added "tcp:0.0.0.0:80 10.0.2.2 added"
expect_answer "TCP through add-ports with a child IP" tcp 127.0.0.1 "$p_ip" ip "tcp:0.0.0.0:80 10.0.2.2 ip"
expect_answer "UDP through add-ports" udp 127.0.0.1 "$p_addu" added "udp:0.0.0.0:81 10.0.2.2 added"

id_add=$(jq -r .id <<<"${added[0]}")
ctl remove-ports "$id_add"
assert_rc 0 "remove-ports"
assert_eq "$id_add" "$OUT" "remove-ports prints the id"
expect_answer "TCP after remove-ports" probe 127.0.0.1 "$p_add" "error: ECONNREFUSED"
ctl list-ports --json
assert_eq 4 "$(grep -c . <<<"$OUT")" "ports left"
grep -q "\"id\":$id_add," <<<"$OUT" && fail "removed port still listed: $OUT"

# add_fails SPEC MESSAGE
add_fails() {
  ctl add-ports "$1"
  assert_rc 1 "add-ports $1"
  assert_eq "error: $2" "$ERR" "add-ports $1"
}
p=$(free_port)
add_fails "[::1]:$p:80/tcp6" 'unsupported protocol "tcp6"'
add_fails "127.0.0.1:$p:[::1]:80/tcp" "unsupported IP (v6?): ::1"
add_fails "127.0.0.1:$p:127.0.0.1:80/tcp" "unsupported child IP 127.0.0.1: slirp4netns cannot reach the child's loopback (use the child's address 10.0.2.100, or leave the child IP out)"
add_fails "127.0.0.1:$p_tcp:80/tcp" "conflict with ID 1"
add_fails "127.0.0.1:$p_tcp:80/tcp4" "conflict with ID 1"
add_fails "127.0.0.1:$busy:80/tcp" "reply.Error: map[desc:bad request: add_hostfwd: slirp_add_hostfwd failed]"
no_listener "$p" || fail "port $p bound after the failed adds"
ctl remove-ports 99
assert_rc 1 "remove-ports 99"
assert_eq "error: reply.Error: map[desc:bad request: remove_hostfwd: bad arguments.id]" "$ERR" "unknown id"

stop_server slirp
for p in "$p_tcp" "$p_udp" "$p_ip" "$p_addu"; do
  no_listener "$p" || fail "port $p still bound after rootlesskit exited"
done
