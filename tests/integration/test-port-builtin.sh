#!/usr/bin/env bash
# --port-driver=builtin with --net=slirp4netns: TCP (one request, one answer) and UDP (echo) to
# port_server.py inside, reached from the host's loopback through `-p` (comma-split and
# repeated) and through `rootlessctl add-ports`; `remove-ports` closes the listener at once;
# COMMAND finds every -p port open when it starts (it connects to them through slirp's
# 10.0.2.2, the host's loopback, before its own servers exist); a port whose child side refuses
# resets the client, and so does a server's reset; 4 MiB both ways through an echo server arrive
# intact; removing a port also ends the connections open through it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/port_lib.sh"
require_cmd socat cmp jq

p_tcp=$(free_port) p_udp=$(free_port) p_tcp2=$(free_port) p_echo=$(free_port)
p_add_tcp=$(free_port) p_add_udp=$(free_port) p_refused=$(free_port) p_none=$(free_port) p_reset=$(free_port)

# COMMAND's first steps, before port_server.py: a listener on 127.0.0.1:80 (only the kernel's
# backlog answers), then a TCP connection to every -p TCP port through 10.0.2.2, which
# slirp4netns connects to the host's 127.0.0.1:PORT: it is accepted only if the parent's
# listener exists and relays into the namespace (a port that is not published is refused, the
# control). Then a datagram to the -p UDP port, which must come back into the namespace, to a
# socket on 127.0.0.1:81.
cat >"$T/startup.py" <<'EOF'
import socket, sys
out, udp_port, tcp_ports = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
backlog = socket.create_server(("127.0.0.1", 80), backlog=16)
lines = []
for p in tcp_ports:
    try:
        socket.create_connection(("10.0.2.2", int(p)), timeout=5).close()
        lines.append(f"tcp {p} accepted")
    except OSError as e:
        lines.append(f"tcp {p} {e.strerror}")
backlog.close()
server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server.bind(("127.0.0.1", 81))
server.settimeout(3)
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"ping", ("10.0.2.2", udp_port))
try:
    lines.append(f"udp {udp_port} {server.recv(100).decode()}")
except OSError as e:
    lines.append(f"udp {udp_port} {e}")
open(out, "w").write("\n".join(lines) + "\n")
EOF

STATE=$T/state
READY=$T/server.ready
bg rk "$ROOTLESSKIT" --state-dir="$STATE" --net=slirp4netns --port-driver=builtin \
  -p "127.0.0.1:$p_tcp:80/tcp,127.0.0.1:$p_udp:81/udp" -p "127.0.0.1:$p_tcp2:80/tcp" \
  -p "127.0.0.1:$p_echo:82/tcp" -p "127.0.0.1:$p_reset:83/tcp" \
  sh -c 'python3 "$1" "$2" "$3" "$4" "$5" "$6" && exec python3 "$7" "$8" tcp:127.0.0.1:80 udp:127.0.0.1:81 echo:127.0.0.1:82 reset:127.0.0.1:83' \
  sh "$T/startup.py" "$T/startup.out" "$p_udp" "$p_tcp" "$p_tcp2" "$p_none" "$PORT_SERVER" "$READY"
PARENT=$BG_PID
_poll "port_server.py" "$WAIT_TIMEOUT" eval '[[ -e $READY ]] || ! pid_alive $PARENT'
[[ -e $READY ]] || fail "rootlesskit exited before its server was ready: $(cat "$T/rk.err")"
own_pid "$(<"$STATE/child_pid")"

assert_eq "tcp $p_tcp accepted
tcp $p_tcp2 accepted
tcp $p_none Connection refused
udp $p_udp ping" "$(<"$T/startup.out")" "-p ports as COMMAND found them when it started"

# -p, comma-split and repeated; the server sees the parent's connection from 127.0.0.1.
expect_answer "TCP through -p a,b" tcp 127.0.0.1 "$p_tcp" hello "tcp:127.0.0.1:80 127.0.0.1 hello"
expect_answer "UDP through -p a,b" udp 127.0.0.1 "$p_udp" dgram "udp:127.0.0.1:81 127.0.0.1 dgram"
expect_answer "TCP through a second -p" tcp 127.0.0.1 "$p_tcp2" again "tcp:127.0.0.1:80 127.0.0.1 again"
ctl list-ports --json
assert_rc 0 "list-ports --json"
assert_eq "{\"id\":1,\"spec\":{\"proto\":\"tcp\",\"parentIP\":\"127.0.0.1\",\"parentPort\":$p_tcp,\"childPort\":80}}
{\"id\":2,\"spec\":{\"proto\":\"udp\",\"parentIP\":\"127.0.0.1\",\"parentPort\":$p_udp,\"childPort\":81}}
{\"id\":3,\"spec\":{\"proto\":\"tcp\",\"parentIP\":\"127.0.0.1\",\"parentPort\":$p_tcp2,\"childPort\":80}}
{\"id\":4,\"spec\":{\"proto\":\"tcp\",\"parentIP\":\"127.0.0.1\",\"parentPort\":$p_echo,\"childPort\":82}}
{\"id\":5,\"spec\":{\"proto\":\"tcp\",\"parentIP\":\"127.0.0.1\",\"parentPort\":$p_reset,\"childPort\":83}}" "$OUT" "-p ports"

# Bytes both ways, with the half-close passed on: socat sends the file, shuts down its write
# side, and gets everything echoed before the server's EOF.
head -c 4194304 /dev/urandom >"$T/blob"
run socat -T10 -b65536 "TCP:127.0.0.1:$p_echo" "OPEN:$T/blob,rdonly!!CREATE:$T/blob.back"
assert_rc 0 "socat through the echo port"
cmp "$T/blob" "$T/blob.back" || fail "4 MiB through the echo port came back different"

# add-ports, then traffic; ids go on from the -p ones.
ctl add-ports "127.0.0.1:$p_add_tcp:80/tcp" "127.0.0.1:$p_add_udp:81/udp" "127.0.0.1:$p_refused:99/tcp"
assert_rc 0 "add-ports"
assert_eq $'6\n7\n8' "$OUT" "ids printed by add-ports"
expect_answer "TCP through add-ports" tcp 127.0.0.1 "$p_add_tcp" added "tcp:127.0.0.1:80 127.0.0.1 added"
expect_answer "UDP through add-ports" udp 127.0.0.1 "$p_add_udp" added "udp:127.0.0.1:81 127.0.0.1 added"
# Nothing listens on 99 inside: the client is accepted, then reset (upstream: closed silently).
expect_answer "a port whose child side refuses" tcp 127.0.0.1 "$p_refused" x "error: ECONNRESET"
# A reset from the server reaches the client as a reset.
expect_answer "a reset from the server" tcp 127.0.0.1 "$p_reset" x "error: ECONNRESET"
ctl list-ports
assert_rc 0 "list-ports"
assert_eq 9 "$(grep -c . <<<"$OUT")" "rows of list-ports (header and eight ports)"
assert_contains "$OUT" "$(printf '6     tcp      127.0.0.1    %-14s           80           ' "$p_add_tcp")"

# remove-ports: the listeners are closed when it returns, and so are the connections.
bg hold python3 "$PORT_CLIENT" hold 127.0.0.1 "$p_echo" 2 "$T/held"
hold=$BG_PID
_poll "connections held through the echo port" "$WAIT_TIMEOUT" eval '[[ -e $T/held ]] || ! pid_alive $hold'
[[ -e $T/held ]] || fail "holding connections through the echo port: $(cat "$T/hold.out")"
ctl remove-ports 6 7 1 4
assert_rc 0 "remove-ports"
assert_eq $'6\n7\n1\n4' "$OUT" "ids printed by remove-ports"
bg_wait "$hold" 5
assert_eq "error: ECONNABORTED" "$(<"$T/hold.out")" "a connection through a removed port"

expect_answer "TCP after remove-ports" probe 127.0.0.1 "$p_add_tcp" "error: ECONNREFUSED"
expect_answer "TCP -p port after remove-ports" probe 127.0.0.1 "$p_tcp" "error: ECONNREFUSED"
no_listener "$p_add_udp" || fail "UDP port $p_add_udp still bound after remove-ports: $(ss -Huln "sport = :$p_add_udp")"
expect_answer "the other -p port stays" tcp 127.0.0.1 "$p_tcp2" still "tcp:127.0.0.1:80 127.0.0.1 still"
ctl list-ports --json
assert_eq "2 3 5 8" "$(jq -r .id <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')" "ids left"

# The same port again and again, TCP and UDP on one number: the listener is free at once after
# remove-ports (even with a connection just closed), ids are never reused.
for id in 9 11 13; do
  ctl add-ports "127.0.0.1:$p_add_tcp:80/tcp" "127.0.0.1:$p_add_tcp:81/udp"
  assert_eq "$id"$'\n'$((id + 1)) "$OUT" "ids of the re-added ports"
  expect_answer "TCP through re-added port $id" tcp 127.0.0.1 "$p_add_tcp" "r$id" "tcp:127.0.0.1:80 127.0.0.1 r$id"
  expect_answer "UDP through re-added port $id" udp 127.0.0.1 "$p_add_tcp" "r$id" "udp:127.0.0.1:81 127.0.0.1 r$id"
  ctl remove-ports "$id" $((id + 1))
  assert_rc 0 "remove-ports $id"
done

touch "$READY.stop"
bg_wait "$PARENT"
assert_eq 0 "$BG_RC" "exit code; stderr: $(cat "$T/rk.err")"
for p in "$p_tcp2" "$p_udp" "$p_refused"; do
  no_listener "$p" || fail "port $p still bound after rootlesskit exited"
done
