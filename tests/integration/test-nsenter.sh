#!/usr/bin/env bash
# Entering a running instance the way users and Usernetes do (docs/process.md):
#   nsenter -U --preserve-credentials -m -n -t $(cat STATE_DIR/child_pid)
# as the same user reaches COMMAND's mounts and network: a file COMMAND wrote into the copied-up
# /etc, the tap0 address, and listening ports both ways (COMMAND's from the entered shell, and
# one started through nsenter from COMMAND). With --pidns, adding -p joins the pid namespace.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/port_lib.sh"
require_cmd nsenter ip

STATE=$T/state
host_port=$(free_port)
# COMMAND: write into /etc, listen on port 80, wait for the entered shell's listener on port 81
# and record what it answers, then wait to be stopped (a failed test's SIGTERM stops its server).
# shellcheck disable=SC2016 # expanded by COMMAND's sh
command='
  echo written-by-command >/etc/nsenter-test
  python3 "$1" "$2/command.ready" tcp:0.0.0.0:80 &
  trap "kill $! 2>/dev/null; exit 143" TERM
  until [ -e "$2/entered.ready" ]; do sleep 0.02; done
  python3 "$3" tcp 127.0.0.1 81 from-command >"$2/command-saw" 2>&1
  until [ -e "$2/stop" ]; do sleep 0.02; done
  touch "$2/command.ready.stop"
  wait'
bg rk "$ROOTLESSKIT" --state-dir="$STATE" --net=slirp4netns --disable-host-loopback --copy-up=/etc \
  --port-driver=builtin -p "127.0.0.1:$host_port:80/tcp" sh -c "$command" sh "$PORT_SERVER" "$T" "$PORT_CLIENT"
PARENT=$BG_PID
# shellcheck disable=SC2016 # expanded by _poll's eval
_poll "COMMAND's listener" "$WAIT_TIMEOUT" eval '[[ -e $T/command.ready ]] || ! pid_alive $PARENT'
[[ -e $T/command.ready ]] || fail "rootlesskit exited early: $(cat "$T/rk.err")"
child_pid=$(<"$STATE/child_pid")
own_pid "$child_pid"
command_pid=$(pgrep -P "$child_pid" -x sh)

# enter CMD...: runs CMD in the instance's user, mount and network namespaces (sets OUT, ERR, RC).
enter() { run nsenter -U --preserve-credentials -m -n -t "$(<"$STATE/child_pid")" "$@"; }

enter sh -c 'id -u; readlink /proc/self/ns/mnt /proc/self/ns/net'
assert_rc 0 "nsenter"
assert_eq 0 "$(sed -n 1p <<<"$OUT")" "uid in the entered shell"
assert_eq "$(readlink "/proc/$command_pid/ns/mnt")" "$(sed -n 2p <<<"$OUT")" "mount namespace, entered vs COMMAND's"
assert_eq "$(readlink "/proc/$command_pid/ns/net")" "$(sed -n 3p <<<"$OUT")" "network namespace, entered vs COMMAND's"

enter cat /etc/nsenter-test
assert_eq written-by-command "$OUT" "the file COMMAND wrote into the copied-up /etc"
[[ ! -e /etc/nsenter-test ]] || fail "COMMAND's file reached the host's /etc"

enter ip -o -4 addr show dev tap0
assert_contains "$OUT" "inet 10.0.2.100/24" "tap0 in the entered shell"

# COMMAND's listener, from the entered shell (and from the host, through -p).
enter python3 "$PORT_CLIENT" tcp 127.0.0.1 80 from-entered
assert_eq "tcp:0.0.0.0:80 127.0.0.1 from-entered" "$OUT" "COMMAND's port 80 from the entered shell"
expect_answer "COMMAND's port 80 from the host" tcp 127.0.0.1 "$host_port" from-host \
  "tcp:0.0.0.0:80 127.0.0.1 from-host"

# A listener started through nsenter, from COMMAND.
bg entered nsenter -U --preserve-credentials -m -n -t "$child_pid" \
  python3 "$PORT_SERVER" "$T/entered.ready" tcp:127.0.0.1:81
entered=$BG_PID
_poll "COMMAND's client" "$WAIT_TIMEOUT" test -s "$T/command-saw"
assert_eq "tcp:127.0.0.1:81 127.0.0.1 from-command" "$(<"$T/command-saw")" "the entered shell's port 81 from COMMAND"
[[ -z $(ss -Htln "sport = :81") ]] || fail "the entered shell's listener is on the host's network"

touch "$T/entered.ready.stop"
bg_wait "$entered"
assert_eq 0 "$BG_RC" "the listener started through nsenter; stderr: $(cat "$T/entered.err")"
touch "$T/stop"
bg_wait "$PARENT"
assert_eq 0 "$BG_RC" "rootlesskit; stderr: $(cat "$T/rk.err")"
! pid_alive "$child_pid" || fail "the child (pid $child_pid) outlived rootlesskit"
[[ ! -e $STATE ]] || fail "the state dir was not removed"

# With --pidns, -p joins the pid namespace as well: the entered shell sees the child as pid 1.
start_instance pidns "$ROOTLESSKIT" --pidns --net=slirp4netns
# shellcheck disable=SC2016 # expanded by the entered sh
run nsenter -U --preserve-credentials -m -n -p -t "$(<"$STATE/child_pid")" sh -c 'cat /proc/1/comm; readlink /proc/self/ns/pid'
assert_rc 0 "nsenter -p; stderr: $ERR"
assert_eq rootlesskit "$(sed -n 1p <<<"$OUT")" "pid 1 in the entered pid namespace"
assert_eq "$(readlink "/proc/$(<"$STATE/child_pid")/ns/pid")" "$(sed -n 2p <<<"$OUT")" "the entered pid namespace"
stop_instance pidns "$PARENT"
