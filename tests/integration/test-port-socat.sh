#!/usr/bin/env bash
# --port-driver=socat with real slirp4netns: TCP and UDP through -p and `rootlessctl add-ports`,
# `info`, upstream's refusals (IPv6 parent IP, tcp6), a port already taken or privileged,
# remove-ports closing the port, a socat killed with SIGKILL restarted and working again,
# --detach-netns, no socat left after a normal exit or SIGTERM (even with a connection open), and
# the missing-program messages when socat or nsenter is not in PATH.
# Traffic only on the host's loopback and inside the namespaces the test creates.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/port_lib.sh" # PORT_SERVER
require_cmd socat nsenter jq

# ask PROTO PORT LINE: port_server.py's answer through 127.0.0.1:PORT, or "error: ...".
ask() {
  python3 - "$@" 2>&1 <<'EOF' || true
import socket, sys
proto, port, line = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM)
s.settimeout(5)
try:
    s.connect(("127.0.0.1", port))
    s.send((line + "\n").encode())
    print(s.recv(4096).decode().strip())
except OSError as e:
    print("error:", type(e).__name__)
EOF
}
expect_answer() { # WHAT PROTO PORT LINE EXPECTED
  assert_eq "$5" "$(ask "$2" "$3" "$4")" "$1"
}

# socat_pids PATTERN: our socat processes whose command line contains PATTERN.
socat_pids() { pgrep -u "$(id -u)" -f -- "$1" || true; }

ctl() { run "$ROOTLESSCTL" --socket "$STATE/api.sock" "$@"; }

# start NAME FLAGS... -- SERVER_SPECS...: rootlesskit with port_server.py as COMMAND, in the
# child's netns (with --detach-netns it enters the namespace file); sets STATE, PARENT, READY.
start() {
  local name=$1 flags=() enter=()
  shift
  while [[ $1 != -- ]]; do flags+=("$1"); shift; done
  shift
  STATE=$T/$name-state
  READY=$T/$name.ready
  [[ " ${flags[*]} " == *" --detach-netns "* ]] && enter=(nsenter "--net=$STATE/netns")
  bg "$name" "$ROOTLESSKIT" --state-dir="$STATE" --net=slirp4netns --disable-host-loopback --port-driver=socat "${flags[@]}" \
    "${enter[@]}" python3 "$PORT_SERVER" "$READY" "$@"
  PARENT=$BG_PID
  # shellcheck disable=SC2016 # expanded by eval, at each try
  _poll "port_server.py of $name" "$WAIT_TIMEOUT" eval '[[ -e $READY ]] || ! pid_alive $PARENT'
  [[ -e $READY ]] || fail "$name exited before its server was ready: $(cat "$T/$name.err")"
  own_pid "$(<"$STATE/child_pid")"
}
stop() { # NAME
  touch "$READY.stop"
  bg_wait "$PARENT"
  assert_eq 0 "$BG_RC" "exit code of $1; stderr: $(cat "$T/$1.err")"
}

# Child-side ports are random too, so that the per-connection `socat STDIN TCP4:127.0.0.1:<port>`
# processes of this test can be told apart from anyone else's.
c1=$(free_port) c2=$(free_port) c3=$(free_port) c4=$(free_port)
p1=$(free_port) p2=$(free_port) p3=$(free_port) p4=$(free_port)

# --- -p and add-ports, TCP and UDP ---
start main --debug -p "127.0.0.1:$p1:$c1/tcp" -p "127.0.0.1:$p2:$c2/udp" -- \
  "tcp:127.0.0.1:$c1" "udp:127.0.0.1:$c2" "tcp:0.0.0.0:$c3" "udp:0.0.0.0:$c4"
expect_answer "-p tcp" tcp "$p1" hello "tcp:127.0.0.1:$c1 127.0.0.1 hello"
expect_answer "-p udp" udp "$p2" hello "udp:127.0.0.1:$c2 127.0.0.1 hello"
ctl info --json
assert_rc 0
assert_eq '{"driver":"socat","protos":["tcp","udp"]}' "$(jq -c .portDriver <<<"$OUT")" "portDriver in info"

ctl add-ports "127.0.0.1:$p3:$c3/tcp" ":$p4:$c4/udp"
assert_rc 0 "add-ports"
assert_eq $'3\n4' "$OUT" "ids of add-ports"
expect_answer "added tcp" tcp "$p3" added "tcp:0.0.0.0:$c3 127.0.0.1 added"
expect_answer "added udp on 0.0.0.0" udp "$p4" added "udp:0.0.0.0:$c4 127.0.0.1 added"
ctl list-ports --json
assert_eq 4 "$(grep -c '"id"' <<<"$OUT")" "list-ports"

# --- upstream's refusals, and a port that is taken ---
ctl add-ports "[::1]:$(free_port):$c3/tcp"
assert_rc 1 "IPv6 parent IP"
assert_eq "error: unsupported parentIP (v6?): ::1" "$ERR" "IPv6 parent IP"
ctl add-ports "127.0.0.1:$(free_port):$c3/tcp6"
assert_eq "error: unsupported proto: tcp6" "$ERR" "tcp6"
ctl add-ports "127.0.0.1:$p3:$c4/tcp"
assert_eq "error: conflict with ID 3" "$ERR" "conflict"
taken=$(free_port)
bg holder python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); open(sys.argv[2], "w").close(); time.sleep(60)' \
  "$taken" "$T/holder.ready"
holder=$BG_PID
wait_for_file "$T/holder.ready"
ctl add-ports "127.0.0.1:$taken:$c3/tcp"
assert_rc 1 "a taken port"
assert_contains "$ERR" "error: socat exited: exit status 1: socat[" "a taken port"
assert_contains "$ERR" "Address already in use" "a taken port"
assert_eq "" "$(socat_pids "LISTEN:$taken,")" "socat of the refused port"
kill "$holder"
bg_wait "$holder"
if (($(cat /proc/sys/net/ipv4/ip_unprivileged_port_start) > 80)); then
  ctl add-ports "127.0.0.1:80:$c3/tcp"
  assert_contains "$ERR" "error: cannot expose privileged port 80, you can add 'net.ipv4.ip_unprivileged_port_start=80' to /etc/sysctl.conf" "privileged port"
  assert_contains "$ERR" "E bind(5, {AF=2 127.0.0.1:80}, 16): Permission denied" "privileged port"
fi

# --- remove-ports closes the port and ends its socat ---
ctl remove-ports 3
assert_rc 0 "remove-ports"
expect_answer "removed port" tcp "$p3" x "error: ConnectionRefusedError"
assert_eq "" "$(socat_pids "LISTEN:$p3,")" "socat of the removed port"
ctl remove-ports 3
assert_eq "error: unknown port id: 3" "$ERR" "removing twice"

# --- a socat killed with SIGKILL is restarted ---
old=$(socat_pids "TCP-LISTEN:$p1,")
[[ $old =~ ^[0-9]+$ ]] || fail "one socat listens on $p1: [$old]"
kill -KILL "$old"
replaced() { local now; now=$(socat_pids "TCP-LISTEN:$p1,"); [[ $now =~ ^[0-9]+$ && $now != "$old" ]]; }
answers_again() { [[ $(ask tcp "$p1" back) == "tcp:127.0.0.1:$c1 127.0.0.1 back" ]]; }
_poll "a new socat on $p1" "$WAIT_TIMEOUT" replaced
_poll "an answer on $p1 again" "$WAIT_TIMEOUT" answers_again
assert_contains "$(cat "$T/main.err")" "[exec] retrying cmd " "debug log of the restart"
assert_contains "$(cat "$T/main.err")" "after sleeping 100ms, count=1, err=signal: killed" "debug log of the restart"

stop main
for p in "$p1" "$p2" "$p4"; do
  assert_eq "" "$(socat_pids "LISTEN:$p,")" "socat on $p after a normal exit"
done

# --- SIGTERM with a connection open: the per-connection processes go too ---
start term -p "127.0.0.1:$p1:$c1/tcp" -- "tcp:127.0.0.1:$c1"
bg idle python3 -c 'import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); time.sleep(30)' "$p1"
idle=$BG_PID
connected() { [[ -n $(socat_pids "TCP4:127.0.0.1:$c1") ]]; }
_poll "the per-connection socat" "$WAIT_TIMEOUT" connected
kill -TERM "$PARENT"
bg_wait "$PARENT"
assert_eq "" "$(socat_pids "LISTEN:$p1,")$(socat_pids "TCP4:127.0.0.1:$c1")" "socat after SIGTERM"
kill "$idle" 2>/dev/null || true
bg_wait "$idle"

# --- --detach-netns: nsenter enters the namespace file ---
start detached --detach-netns --debug -p "127.0.0.1:$p2:$c2/tcp" -p "127.0.0.1:$p4:$c4/udp" -- \
  "tcp:127.0.0.1:$c2" "udp:127.0.0.1:$c4"
expect_answer "tcp with --detach-netns" tcp "$p2" det "tcp:127.0.0.1:$c2 127.0.0.1 det"
expect_answer "udp with --detach-netns" udp "$p4" det "udp:127.0.0.1:$c4 127.0.0.1 det"
assert_contains "$(cat "$T/detached.err")" "--preserve-credentials -t $(<"$STATE/child_pid") --net=/proc/" "nsenter argv"
stop detached

# --- socat or nsenter missing from PATH ---
# bin_without NAME: a directory with links to what rootlesskit needs before it starts, but NAME.
bin_without() {
  local dir=$T/bin-without-$1 c
  mkdir -p "$dir"
  for c in slirp4netns socat nsenter newuidmap newgidmap true; do
    [[ $c == "$1" ]] || ln -sf "$(command -v "$c")" "$dir/$c"
  done
  echo "$dir"
}
run env PATH="$(bin_without socat)" "$ROOTLESSKIT" --net=slirp4netns --disable-host-loopback --port-driver=socat true
assert_rc 1 "without socat"
assert_eq '[rootlesskit:parent] error: port driver "socat" needs socat: install the socat package (apt-get install socat)' "$ERR" "without socat"
run env PATH="$(bin_without nsenter)" "$ROOTLESSKIT" --net=slirp4netns --disable-host-loopback --port-driver=socat true
assert_rc 1 "without nsenter"
assert_eq '[rootlesskit:parent] error: port driver "socat" needs nsenter: install the util-linux package (apt-get install util-linux)' "$ERR" "without nsenter"
