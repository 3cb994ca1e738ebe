#!/usr/bin/env bash
# Port errors of the builtin driver, with upstream's texts:
# - at start: malformed -p specs (the parser's messages, before anything exists) and ports that
#   cannot be exposed once the child runs (privileged port, sctp, a duplicate, a port in use,
#   a v6 address for tcp4) print one `[rootlesskit:parent] error:` line and exit 1; COMMAND
#   never ran, no temporary state dir and no process is left;
# - through the API (rootlessctl add-ports/remove-ports, and the raw HTTP answer of one): the
#   privileged port, a duplicate, an out-of-range port, an unknown id, sctp, a port in use;
#   failed adds use no id and leave no listener.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/port_lib.sh"
require_cmd curl

# A port already taken on the host's loopback (by a process of this test).
busy=$(free_port)
bg busy python3 -c 'import socket, time
s = socket.create_server(("127.0.0.1", '"$busy"')); time.sleep(120)'
_poll "the busy listener" "$WAIT_TIMEOUT" eval '! no_listener $busy'
p=$(free_port)
privileged="cannot expose privileged port 80, you can add 'net.ipv4.ip_unprivileged_port_start=80' to /etc/sysctl.conf (currently 1024), or set CAP_NET_BIND_SERVICE on rootlesskit binary, or choose a larger port number (>= 1024): listen tcp 127.0.0.1:80: bind: permission denied"
[[ $(</proc/sys/net/ipv4/ip_unprivileged_port_start) == 1024 ]] ||
  skip "net.ipv4.ip_unprivileged_port_start is not 1024 here: the privileged-port texts differ"

# start_fails SPEC MESSAGE: rootlesskit -p SPEC exits 1 with exactly MESSAGE (after the usual
# warnings), COMMAND never ran and nothing is left.
start_fails() {
  rk --net=slirp4netns --disable-host-loopback --port-driver=builtin -p "$1" touch "$T/ran"
  assert_rc 1 "-p $1"
  assert_eq "[rootlesskit:parent] error: $2" "$(grep -v 'level=warning' <<<"$ERR")" "stderr for -p $1"
  [[ -e $T/ran ]] && fail "COMMAND ran although -p $1 failed"
  assert_eq "" "$(ls -A "$TMPDIR")" "temporary files left by -p $1"
  wait_for_no_leftovers "by -p $1" 5
}
start_fails "8080:80/tcp" 'unexpected ParentIP in PortSpec string: "8080:80/tcp"'
start_fails "127.0.0.1:$p:80/TCP" "invalid PortSpec string: \"127.0.0.1:$p:80/TCP\": unknown proto: \"TCP\""
start_fails "127.0.0.1:$p:80" "missing proto in PortSpec string: \"127.0.0.1:$p:80\""
start_fails "127.0.0.1:80x:80/tcp" 'unexpected ChildPort in PortSpec string: "127.0.0.1:80x:80/tcp": strconv.Atoi: parsing "80x": invalid syntax'
start_fails "127.0.0.1:$p:80x/tcp" "unexpected ParentPort in PortSpec string: \"127.0.0.1:$p:80x/tcp\": strconv.Atoi: parsing \"80x\": invalid syntax"
start_fails "127.0.0.1:$p:80:90/tcp" "unexpected ParentIP in PortSpec string: \"127.0.0.1:$p:80:90/tcp\""
start_fails "127.0.0.1:0:80/tcp" "invalid ParentPort: '\\x00'"
start_fails "127.0.0.1:70000:80/tcp" "invalid ParentPort: '𑅰'"
start_fails "127.0.0.1:$p:0/tcp" "invalid ChildPort: '\\x00'"
start_fails "127.0.0.1:$p:80/tcp,bogus" 'missing proto in PortSpec string: "bogus"'
# These fail in the parent's port driver, after the child started: it is stopped too.
start_fails "127.0.0.1:80:80/tcp" "failed to expose port {tcp 127.0.0.1 80 80 }: $privileged"
start_fails "127.0.0.1:$p:80/sctp" "failed to expose port {sctp 127.0.0.1 $p 80 }: unsupported port protocol sctp"
start_fails "127.0.0.1:$p:80/tcp,127.0.0.1:$p:81/tcp" "failed to expose port {tcp 127.0.0.1 $p 81 }: conflict with ID 1"
start_fails "127.0.0.1:$busy:80/tcp" "failed to expose port {tcp 127.0.0.1 $busy 80 }: listen tcp 127.0.0.1:$busy: bind: address already in use"
start_fails "[::1]:$p:80/tcp4" "failed to expose port {tcp4 ::1 $p 80 }: listen tcp4: address ::1: no suitable address found"
no_listener "$p" || fail "port $p bound after the failed starts"

# The capability advice is for the rootlesskit binary only (upstream looks at argv[0]'s base
# name: programs that embed it cannot use a file capability of theirs the same way).
ln -s "$ROOTLESSKIT" "$T/embedder"
run "$T/embedder" --net=slirp4netns --disable-host-loopback --port-driver=builtin -p 127.0.0.1:80:80/tcp true
assert_rc 1 "privileged port under another name"
assert_eq "[rootlesskit:parent] error: failed to expose port {tcp 127.0.0.1 80 80 }: ${privileged/, or set CAP_NET_BIND_SERVICE on rootlesskit binary/}" \
  "$(grep -v 'level=warning' <<<"$ERR")" "privileged port under another name"

# --- through the API ---
start_server api "$ROOTLESSKIT" --net=slirp4netns --disable-host-loopback --port-driver=builtin \
  -p "127.0.0.1:$p:80/tcp" -- tcp:127.0.0.1:80
# add_fails SPEC MESSAGE
add_fails() {
  ctl add-ports "$1"
  assert_rc 1 "add-ports $1"
  assert_eq "" "$OUT" "stdout of add-ports $1"
  assert_eq "error: $2" "$ERR" "add-ports $1"
}
p2=$(free_port)
add_fails "127.0.0.1:80:80/tcp" "$privileged"
add_fails "127.0.0.1:$p:81/tcp" "conflict with ID 1"
add_fails "127.0.0.1:0:80/tcp" "invalid ParentPort: '\\x00'"
add_fails "127.0.0.1:$p2:80/sctp" "unsupported port protocol sctp"
add_fails "127.0.0.1:$busy:80/tcp" "listen tcp 127.0.0.1:$busy: bind: address already in use"
ctl remove-ports 9
assert_rc 1 "remove-ports 9"
assert_eq "error: unknown id: 9" "$ERR" "remove-ports of an unknown id"
ctl remove-ports 1 9 1
assert_rc 1 "remove-ports 1 9 1"
assert_eq "1" "$OUT" "ids removed before the first failure"
assert_eq "error: unknown id: 9" "$ERR" "remove-ports stops at the first failure"

# The raw answer: 400, upstream's JSON body (Go escapes > as \u003e) and trailing newline.
run curl -sS --unix-socket "$STATE/api.sock" -o "$T/body" -w '%{http_code}' \
  -d '{"proto":"tcp","parentIP":"127.0.0.1","parentPort":80,"childPort":80}' http://rootlesskit/v1/ports
assert_eq 400 "$OUT" "HTTP status of a privileged port"
assert_eq "{\"message\":\"${privileged//>/\\u003e}\"}" "$(<"$T/body")" "JSON error body"
assert_eq 0a "$(tail -c1 "$T/body" | od -An -tx1 | tr -d ' ')" "error body ends with a newline"

# Failed adds used no id and left no listener.
ctl add-ports "127.0.0.1:$p2:80/tcp"
assert_eq 2 "$OUT" "id after the failed adds"
expect_answer "the port added after the failures" tcp 127.0.0.1 "$p2" ok "tcp:127.0.0.1:80 127.0.0.1 ok"
ctl list-ports --json
assert_eq "{\"id\":2,\"spec\":{\"proto\":\"tcp\",\"parentIP\":\"127.0.0.1\",\"parentPort\":$p2,\"childPort\":80}}" "$OUT" "ports left"
stop_server api
