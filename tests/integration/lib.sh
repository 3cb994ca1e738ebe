# Shared helpers for the integration scripts (sourced; runs as the unprivileged test user).
# Gives each test a private temp dir and TMPDIR, polling waits instead of sleeps, assertions,
# and an EXIT trap that stops and reaps exactly the processes the test started (by PID).
# shellcheck shell=bash
set -euo pipefail

TEST_NAME=$(basename "$0" .sh)
# abs_cmd NAME|PATH: absolute path of a program (tests change directory), or NAME unchanged.
abs_cmd() {
  local p
  p=$(command -v "$1") || { echo "$1"; return; }
  [[ $p == /* ]] || p=$PWD/$p
  echo "$p"
}
ROOTLESSKIT=$(abs_cmd "${ROOTLESSKIT:-rootlesskit}")
ROOTLESSCTL=$(abs_cmd "${ROOTLESSCTL:-rootlessctl}")
# The compiled test helpers (vpnkit_peer) and the embedding example: CTest passes their paths;
# by hand they are found beside a build's bin/ (build/dev/bin/rootlesskit -> build/dev/tests/helpers,
# build/dev/examples/embed/embed).
HELPERS_DIR=${HELPERS_DIR:-$(cd "$(dirname "$ROOTLESSKIT")/.." 2>/dev/null && pwd)/tests/helpers}
EMBED_EXAMPLE=${EMBED_EXAMPLE:-$(cd "$(dirname "$ROOTLESSKIT")/.." 2>/dev/null && pwd)/examples/embed/embed}
# shellcheck disable=SC2034 # REF_*, BG_RC, OUT and ERR are read by the test scripts
REF_ROOTLESSKIT=/usr/bin/rootlesskit # Debian's 1.1.0, the reference implementation
# shellcheck disable=SC2034
REF_ROOTLESSCTL=/usr/bin/rootlessctl
WAIT_TIMEOUT=${WAIT_TIMEOUT:-20}  # seconds for each wait_for_* poll
RUN_TIMEOUT=${RUN_TIMEOUT:-60}    # seconds before a foreground run counts as a hang

T=$(mktemp -d "${TMPDIR:-/tmp}/rktest-$TEST_NAME.XXXXXX")
mkdir "$T/tmp"
# rootlesskit creates its temporary state dir under $TMPDIR: keep it inside this test's dir.
export TMPDIR=$T/tmp
# The tests must be safe to run by hand against ANY rootlesskit, including one that empties
# whatever --state-dir names (Debian's 1.1 does; so does upstream): no test points a state dir,
# a copy-up or a clean-up at data it did not create. So HOME and XDG_RUNTIME_DIR are scratch
# dirs of this test, and a test that needs a home-like directory uses this one. Copy-ups of
# /etc and /run are fine: the tmpfs covers them inside the namespace only, and the test user
# cannot write the host's /etc or /run should a copy-up not happen.
mkdir -m 700 "$T/home" "$T/run"
export HOME=$T/home XDG_RUNTIME_DIR=$T/run
# Run by hand inside a rootlesskit session (README's first line starts one), these would make
# rootlessctl and rootlesskit-docker-proxy talk to that instance.
unset ROOTLESSKIT_STATE_DIR ROOTLESSKIT_PARENT_EUID ROOTLESSKIT_PARENT_EGID
OWNED_PIDS=()
# Commands (eval'd) the cleanup runs once the test's processes are stopped, before $T is removed:
# e.g. removing files a client made under subordinate ids, which only a user namespace can.
CLEANUP_HOOKS=()

fail() {
  echo "FAIL: $TEST_NAME: $*" >&2
  exit 1
}

# Only for a kernel feature this machine genuinely lacks; a missing package is a failure.
skip() {
  echo "SKIP: $TEST_NAME: $*" >&2
  exit 77
}

# free_port: prints a TCP and UDP port number that nothing on the host uses now (tests may run
# in parallel; each picks at random and checks). Below the ephemeral range: client sockets of
# earlier tests (thousands in the load tests) linger there in TIME_WAIT, and a listener cannot
# bind a port such a socket holds, SO_REUSEADDR or not.
EPHEMERAL_LOW=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range)
((EPHEMERAL_LOW > 12000)) || fail "ip_local_port_range starts at $EPHEMERAL_LOW: no room for test ports below it"
free_port() {
  local p
  while :; do
    p=$((10000 + (RANDOM * 32768 + RANDOM) % (EPHEMERAL_LOW - 10000)))
    [[ -z $(ss -Htuan "sport = :$p") ]] && echo "$p" && return
  done
}

# True while PID exists and is not a zombie (kill -0 also succeeds on zombies).
pid_alive() {
  local state
  state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z ]]
}

_poll() { # _poll DESCRIPTION TIMEOUT COMMAND...: runs COMMAND every 20 ms until it succeeds
  local what=$1 timeout=$2 deadline
  shift 2
  deadline=$((SECONDS + timeout))
  until "$@"; do
    ((SECONDS < deadline)) || fail "timed out after ${timeout}s waiting for $what"
    sleep 0.02
  done
}
wait_for_file() { _poll "file $1" "${2:-$WAIT_TIMEOUT}" test -e "$1"; }
wait_for_socket() { _poll "socket $1" "${2:-$WAIT_TIMEOUT}" test -S "$1"; }
wait_for_pid_exit() { _poll "pid $1 to exit" "${2:-$WAIT_TIMEOUT}" eval "! pid_alive $1"; }

# Run a rootlesskit as `env RKTEST_MARK=NAME rootlesskit ...`: every process it starts inherits
# the variable (helpers, the child, COMMAND), so marked_procs NAME lists, by pid, what is still
# alive of it whatever became of its parent (a process whose environment is not readable, such
# as a running setuid newuidmap, is not seen).
marked_procs() {
  local f pid
  while read -r f; do
    pid=${f#/proc/}
    pid=${pid%/environ}
    pid_alive "$pid" && echo "$pid"
  done < <(grep -lsxzF "RKTEST_MARK=$1" /proc/[0-9]*/environ)
  return 0
}
# wait_for_no_marked_procs NAME [TIMEOUT]: until marked_procs NAME is empty; fails listing them.
wait_for_no_marked_procs() {
  local deadline=$((SECONDS + ${2:-$WAIT_TIMEOUT})) left
  while left=$(marked_procs "$1") && [[ -n $left ]]; do
    # shellcheck disable=SC2086 # one pid per argument
    ((SECONDS < deadline)) || fail "processes of $1 left: $(ps -o pid=,args= -p "$(echo $left | tr ' ' ,)")"
    sleep 0.02
  done
}

# bg NAME CMD...: starts CMD in the background with stdout/stderr in $T/NAME.out/.err and
# sets BG_PID. The cleanup trap stops it unless bg_wait reaped it first.
bg() {
  local name=$1
  shift
  "$@" >"$T/$name.out" 2>"$T/$name.err" </dev/null &
  BG_PID=$!
  OWNED_PIDS+=("$BG_PID")
}

# bg_wait PID [TIMEOUT]: waits for a process started by bg and sets BG_RC to its exit code.
bg_wait() {
  local pid=$1 p kept=()
  wait_for_pid_exit "$pid" "${2:-$RUN_TIMEOUT}"
  BG_RC=0
  # shellcheck disable=SC2034
  { wait "$pid"; } 2>/dev/null || BG_RC=$? # no "Killed" job notice in the test log
  for p in "${OWNED_PIDS[@]}"; do
    [[ $p == "$pid" ]] || kept+=("$p")
  done
  OWNED_PIDS=("${kept[@]}")
}

# own_pid PID: a process the test caused but did not start itself (e.g. the rootlesskit
# child): killed at cleanup if still alive.
own_pid() { OWNED_PIDS+=("$1"); }

# run CMD...: runs CMD in the foreground with a hang guard; sets OUT, ERR and RC.
run() {
  RC=0
  timeout -k 5 "$RUN_TIMEOUT" "$@" >"$T/run.out" 2>"$T/run.err" </dev/null || RC=$?
  OUT=$(cat "$T/run.out")
  ERR=$(cat "$T/run.err")
  ((RC != 124 && RC != 137)) || fail "hung (killed after ${RUN_TIMEOUT}s): $*${ERR:+; stderr: $ERR}"
}

# "${ONLY_STD_FDS[@]}" CMD...: runs CMD with only fds 0, 1 and 2 open, whatever the caller
# leaked (a program, so `run` can take it too).
# shellcheck disable=SC2016 # expanded by that bash
ONLY_STD_FDS=(bash -c 'for p in /proc/$$/fd/*; do n=${p##*/}; ((n > 2)) && eval "exec $n>&-"; done; exec "$@"' bash)
# without_extra_fds CMD...: the same, replacing the calling shell: `bg NAME without_extra_fds CMD...`.
without_extra_fds() { exec "${ONLY_STD_FDS[@]}" "$@"; }

# start_instance NAME ROOTLESSKIT FLAGS...: starts a rootlesskit whose COMMAND waits until
# stop_instance; returns once api.sock exists. Sets STATE (its state dir) and PARENT (its pid).
start_instance() {
  local name=$1 binary=$2
  shift 2
  STATE=$T/$name-state
  bg "$name" "$binary" --state-dir="$STATE" "$@" sh -c \
    'n=0; until [ -e "$1" ]; do n=$((n + 1)); [ $n -lt 3000 ] || exit 9; sleep 0.02; done' sh "$T/$name.go"
  # shellcheck disable=SC2034
  PARENT=$BG_PID
  _poll "socket $STATE/api.sock" "$WAIT_TIMEOUT" eval '[[ -S $STATE/api.sock ]] || ! pid_alive $PARENT'
  [[ -S $STATE/api.sock ]] || fail "$name instance exited before api.sock appeared: $(cat "$T/$name.err")"
  own_pid "$(<"$STATE/child_pid")"
}

# stop_instance NAME PID: lets the COMMAND of start_instance exit and expects exit code 0.
stop_instance() {
  touch "$T/$1.go"
  bg_wait "$2"
  assert_eq 0 "$BG_RC" "exit code of the $1 instance; stderr: $(cat "$T/$1.err")"
}

# rk ARGS...: runs the rootlesskit under test via run.
rk() { run "$ROOTLESSKIT" "$@"; }

# map_outer_userns PID WHAT: for tests that nest rootlesskit in an outer user namespace of their
# own (started under PID, e.g. `timeout ... unshare --user ...`): waits for the process in the new
# namespace and maps our uid and subordinate ranges onto themselves with newuidmap/newgidmap, so
# rootlesskit can map them again inside.
_identity_map() { # FILE ID
  echo "$2 $2 1"
  awk -F: -v n="$(id -un)" -v u="$(id -u)" '$1 == n || $1 == u { print $2, $2, $3 }' "$1"
}
_in_new_userns() { # PID: sets NEW_USERNS_PID to a child of PID in another user namespace
  local p
  for p in $(pgrep -P "$1"); do
    if [[ $(readlink "/proc/$p/ns/user") != "$(readlink /proc/self/ns/user)" ]]; then
      NEW_USERNS_PID=$p
      return 0
    fi
  done
  return 1
}
map_outer_userns() {
  _poll "$2" "$WAIT_TIMEOUT" _in_new_userns "$1"
  # shellcheck disable=SC2046 # the map is one argument per number
  newuidmap "$NEW_USERNS_PID" $(_identity_map /etc/subuid "$(id -u)") || fail "newuidmap for $2"
  # shellcheck disable=SC2046
  newgidmap "$NEW_USERNS_PID" $(_identity_map /etc/subgid "$(id -g)") || fail "newgidmap for $2"
}


assert_eq() { # EXPECTED ACTUAL [WHAT]
  [[ $1 == "$2" ]] || fail "${3:-value}: expected [$1], got [$2]"
}
assert_ne() { # UNEXPECTED ACTUAL [WHAT]
  [[ $1 != "$2" ]] || fail "${3:-value}: expected something other than [$1]"
}
assert_contains() { # HAYSTACK NEEDLE [WHAT]
  [[ $1 == *"$2"* ]] || fail "${3:-output}: expected to contain [$2], got [$1]"
}
assert_not_contains() { # HAYSTACK NEEDLE [WHAT]
  [[ $1 != *"$2"* ]] || fail "${3:-output}: expected not to contain [$2], got [$1]"
}
# assert_rc EXPECTED [WHAT]: checks RC of the last run, showing its stderr when it differs.
assert_rc() {
  [[ $RC == "$1" ]] || fail "${2:-exit code}: expected $1, got $RC; stdout: [$OUT]; stderr: [$ERR]"
}

require_cmd() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null || fail "$c not found: scripts/install-deps.sh installs it"
  done
}

require_ns() { # require_ns NAME: skips when the kernel has no such namespace type
  [[ -e /proc/self/ns/$1 ]] || skip "kernel has no $1 namespaces"
}

_cleanup() {
  local rc=$? pid
  trap - EXIT
  for pid in "${OWNED_PIDS[@]}"; do
    pid_alive "$pid" && kill -TERM "$pid" 2>/dev/null
  done
  for pid in "${OWNED_PIDS[@]}"; do
    local deadline=$((SECONDS + 5))
    while pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.02; done
    pid_alive "$pid" && kill -KILL "$pid" 2>/dev/null
    { wait "$pid"; } 2>/dev/null || true # reaps it if it is our child; no-op otherwise
  done
  local hook
  for hook in "${CLEANUP_HOOKS[@]}"; do
    eval "$hook" || echo "cleanup: failed: $hook" >&2
  done
  rm -rf "$T" 2>/dev/null || true
  ((rc == 0)) && echo "PASS: $TEST_NAME" >&2
  exit "$rc"
}
trap _cleanup EXIT

# Every test needs user namespaces and a subordinate id range for the test user.
unshare -U true 2>/dev/null || skip "unprivileged user namespaces are disabled in this kernel"
[[ -x $ROOTLESSKIT ]] || fail "rootlesskit under test not found: ROOTLESSKIT=$ROOTLESSKIT"
# As root, a rootlesskit that failed to copy up /etc would let `rm /etc/hosts` reach the host.
if (($(id -u) == 0)) && [[ $TEST_NAME != test-root-* ]]; then
  fail "run as a normal user with a subuid range (as root, run-as-test-user.sh switches to one)"
fi
if (($(id -u) != 0)); then # test-root-*.sh run as root, with or without a range
  grep -qE "^($(id -un)|$(id -u)):" /etc/subuid ||
    fail "no /etc/subuid range for $(id -un): scripts/test.sh adds one"
fi
