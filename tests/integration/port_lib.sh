# Shared by the test-port-*.sh scripts (sourced after lib.sh): the port_server.py/port_client.py
# helpers, free port numbers, and a rootlesskit instance whose COMMAND is port_server.py.
# shellcheck shell=bash
# shellcheck disable=SC2034 # PORT_*, SERVER_* and BUILTIN_* are read by the test scripts

HELPERS_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../helpers" && pwd)
PORT_SERVER=$HELPERS_SRC/port_server.py
PORT_CLIENT=$HELPERS_SRC/port_client.py
require_cmd python3 slirp4netns ss
[[ -x $ROOTLESSCTL ]] || fail "rootlessctl under test not found: ROOTLESSCTL=$ROOTLESSCTL"


# free_ports N: prints N distinct port numbers (ascending, from a random start below the
# ephemeral range) that nothing on the host uses now, from one look at the socket table.
free_ports() {
  local n=$1 p start
  local -A used=()
  start=$((10000 + (RANDOM * 32768 + RANDOM) % (EPHEMERAL_LOW - 10000 - 2 * n)))
  for p in $(ss -Htuan | awk '{ sub(/.*:/, "", $5); print $5 }'); do used[$p]=1; done
  local out=()
  for ((p = start; p < EPHEMERAL_LOW && ${#out[@]} < n; p++)); do
    [[ -n ${used[$p]:-} ]] || out+=("$p")
  done
  ((${#out[@]} == n)) || fail "fewer than $n free ports from $start up"
  echo "${out[@]}"
}

# What the builtin driver's parent keeps open on purpose once a load is over, bounded: its pools
# of unconnected sockets made in the child's namespace (total_socket_pool per family and type,
# shared out among its event loops, each refilled below 3/4 of its share: parent.cc,
# connector.h), idle splice pipes (total_idle_pipes in parent.cc, two fds each), and a few more. A fd count that settles above its value before
# the load plus this slack is a leak. One family and type in use; count it again for each more.
BUILTIN_SOCKET_POOL=64
BUILTIN_IDLE_PIPES=16
BUILTIN_FD_SLACK=$((BUILTIN_SOCKET_POOL + 2 * BUILTIN_IDLE_PIPES + 8))

# client ARGS...: runs port_client.py (see its usage) and sets OUT/ERR/RC like run.
client() { run python3 "$PORT_CLIENT" "$@"; }

# answer PROTO HOST PORT LINE: the answer of port_server.py, or "error: ..." (never fails).
answer() { python3 "$PORT_CLIENT" "$@" 2>&1 || true; }

# expect_answer WHAT PROTO HOST PORT LINE EXPECTED: one request gets EXPECTED as its answer.
expect_answer() {
  local what=$1 expected=${*: -1} got
  got=$(answer "${@:2:$#-2}")
  assert_eq "$expected" "$got" "$what"
}

# wait_for_refused HOST PORT: until nothing listens on HOST:PORT any more.
_refused() { [[ $(answer probe "$1" "$2") == "error: ECONNREFUSED" ]]; }
wait_for_refused() { _poll "$1:$2 to refuse connections" "${3:-$WAIT_TIMEOUT}" _refused "$1" "$2"; }

# no_listener PORT: true when the host has no TCP/UDP socket bound to PORT.
no_listener() { [[ -z $(ss -Htuln "sport = :$1") ]]; }

# start_server NAME ROOTLESSKIT FLAGS... -- SERVER_SPEC...: starts ROOTLESSKIT with FLAGS and
# port_server.py SERVER_SPEC... as COMMAND (in the child's network namespace), waits until the
# server is ready. Sets STATE, PARENT and SERVER_READY. Stop it with stop_server NAME.
start_server() {
  local name=$1 binary=$2 flags=()
  shift 2
  while [[ $1 != -- ]]; do
    flags+=("$1")
    shift
  done
  shift
  STATE=$T/$name-state
  SERVER_READY=$T/$name.ready
  bg "$name" "$binary" --state-dir="$STATE" "${flags[@]}" python3 "$PORT_SERVER" "$SERVER_READY" "$@"
  PARENT=$BG_PID
  _poll "port_server.py of $name" "$WAIT_TIMEOUT" eval '[[ -e $SERVER_READY ]] || ! pid_alive $PARENT'
  [[ -e $SERVER_READY ]] || fail "$name exited before its server was ready: $(cat "$T/$name.err")"
  own_pid "$(<"$STATE/child_pid")"
}

# stop_server NAME: lets port_server.py exit; rootlesskit must exit 0.
stop_server() {
  touch "$T/$1.ready.stop"
  bg_wait "$PARENT"
  assert_eq 0 "$BG_RC" "exit code of $1; stderr: $(cat "$T/$1.err")"
}

# ctl ARGS...: our rootlessctl against $STATE/api.sock (sets OUT/ERR/RC).
ctl() { run "$ROOTLESSCTL" --socket "$STATE/api.sock" "$@"; }

# fd_count PID / rss_kib PID: the parent's open fds and resident memory.
fd_count() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
rss_kib() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status"; }

# leftovers: prints "PID EXE" for every rootlesskit or slirp4netns process that this test
# started (it inherited this test's TMPDIR), whatever became of its parent.
leftovers() {
  local p exe
  for p in $(pgrep -u "$(id -u)" -x 'rootlesskit|exe|slirp4netns'); do
    exe=$(readlink "/proc/$p/exe" 2>/dev/null) || continue
    [[ $exe == "$ROOTLESSKIT" || $exe == "$REF_ROOTLESSKIT" || $exe == */slirp4netns ]] || continue
    tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qxF "TMPDIR=$TMPDIR" && echo "$p $exe"
  done
  return 0
}
# wait_for_no_leftovers WHAT: until no process of leftovers is alive.
wait_for_no_leftovers() {
  local deadline=$((SECONDS + ${2:-$WAIT_TIMEOUT}))
  while [[ -n $(leftovers) ]]; do
    ((SECONDS < deadline)) || fail "processes left $1: $(leftovers | tr '\n' ' ')"
    sleep 0.02
  done
}

# expect_rss_back PID BASE_FDS BASE_KIB SLACK_KIB: the parent PID's RSS after a load is within
# SLACK of BASE_KIB (its fd count is checked by the caller's settled); prints both figures. RSS is
# not checked under AddressSanitizer (scripts/test.sh sets ASAN_OPTIONS for its sanitized run):
# freed memory waits in ASan's quarantine, so RSS says nothing about leaks there, LeakSanitizer
# does.
expect_rss_back() {
  local rss
  rss=$(rss_kib "$1")
  echo "parent: $2 fds / $3 KiB after the warm-up, $(fd_count "$1") fds / $rss KiB at the end" >&2
  [[ -z ${ASAN_OPTIONS:-} ]] || return 0
  ((rss <= $3 + $4)) || fail "RSS of the parent grew from $3 KiB to $rss KiB"
}

# hold_connections PARENT PORT N: N connections open at once through the echo port PORT (each
# echoed a byte), then closed. Sets HELD_FDS to PARENT's fd count while they were open.
hold_round=0
hold_connections() {
  hold_round=$((hold_round + 1))
  local ready=$T/held.$hold_round holder
  bg hold python3 "$PORT_CLIENT" hold 127.0.0.1 "$2" "$3" "$ready"
  holder=$BG_PID
  _poll "$3 connections held" "$WAIT_TIMEOUT" eval "[[ -e $ready ]] || ! pid_alive $holder"
  [[ -e $ready ]] || fail "holding $3 connections failed: $(cat "$T/hold.out" "$T/hold.err")"
  HELD_FDS=$(fd_count "$1")
  touch "$ready.stop"
  bg_wait "$holder"
  assert_eq 0 "$BG_RC" "exit code of the client holding $3 connections: $(cat "$T/hold.out")"
}

# For tests that leave rootlesskit out of fds on purpose. UBSan's vptr check reads a vtable only
# after probing its memory with a pipe(2): in a process out of fds every type it has not met
# before is reported as an "invalid vptr", and the report can be neither suppressed (matching
# needs the symbolizer: more fds) nor written to scripts/test.sh's report files. So under the
# sanitizers, ubsan_tolerate_fd_starvation (before starting rootlesskit) sends UBSan's reports
# to the processes' stderr without stopping them, and expect_only_vptr_ubsan_reports (at the
# end) fails on any other report in the stderr files of the test. ASan keeps its options.
ubsan_tolerate_fd_starvation() {
  [[ -z ${UBSAN_OPTIONS:-} ]] || export UBSAN_OPTIONS=halt_on_error=0:print_stacktrace=0
}
expect_only_vptr_ubsan_reports() {
  [[ -n ${UBSAN_OPTIONS:-} ]] || return 0
  local others
  others=$(grep -h "runtime error:" "$T"/*.err | grep -v "which does not point to an object of type" || true)
  [[ -z $others ]] || fail "UBSan reports other than invalid vptrs: $others"
}
