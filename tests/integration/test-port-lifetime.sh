#!/usr/bin/env bash
# Published ports live exactly as long as rootlesskit: every listener (-p and add-ports, TCP
# and UDP) is gone once rootlesskit has exited normally or on SIGTERM (and so is the state dir),
# and within a few seconds after `kill -9` of the parent or of the child, with no process left
# (the state dir may stay after kill -9 of the parent, as upstream's does). A connection that
# is open through a port at that moment ends too.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/port_lib.sh"

# start NAME: an instance with a -p TCP and UDP port and a TCP port added through the API, all
# checked; a client holds one connection open through the TCP port. Sets P_TCP, P_UDP, P_ADD,
# HOLD (the client's pid).
start() {
  P_TCP=$(free_port) P_UDP=$(free_port) P_ADD=$(free_port)
  start_server "$1" "$ROOTLESSKIT" --net=slirp4netns --disable-host-loopback --port-driver=builtin \
    -p "127.0.0.1:$P_TCP:80/tcp,[::1]:$P_UDP:81/udp" -- tcp:127.0.0.1:80 "udp:[::1]:81" echo:127.0.0.1:82
  ctl add-ports "[::1]:$P_ADD:127.0.0.1:82/tcp"
  assert_rc 0 "add-ports ($1)"
  expect_answer "TCP before ($1)" tcp 127.0.0.1 "$P_TCP" x "tcp:127.0.0.1:80 127.0.0.1 x"
  expect_answer "UDP before ($1)" udp ::1 "$P_UDP" x "udp:[::1]:81 ::1 x"
  HELD=$T/$1.held
  bg "$1-hold" python3 "$PORT_CLIENT" hold ::1 "$P_ADD" 1 "$HELD"
  HOLD=$BG_PID
  _poll "the held connection ($1)" "$WAIT_TIMEOUT" eval '[[ -e $HELD ]] || ! pid_alive $HOLD'
  [[ -e $HELD ]] || fail "no connection through the added port ($1): $(cat "$T/$1-hold.out")"
}

# gone WHAT TIMEOUT: every port of the instance is closed within TIMEOUT seconds, the held
# connection ended, no process is left.
gone() {
  local p
  for p in "$P_TCP" "$P_UDP" "$P_ADD"; do
    _poll "port $p to close ($1)" "$2" no_listener "$p"
  done
  expect_answer "TCP after ($1)" probe 127.0.0.1 "$P_TCP" "error: ECONNREFUSED"
  wait_for_no_leftovers "($1)" "$2"
  bg_wait "$HOLD" 5
  assert_eq 1 "$BG_RC" "exit code of the client whose connection was open ($1)"
}

start normal
stop_server normal
gone "normal exit" 0
[[ -e $STATE ]] && fail "state dir left after a normal exit: $(ls -A "$STATE")"

start term
kill -TERM "$PARENT"
bg_wait "$PARENT"
assert_ne 0 "$BG_RC" "exit code after SIGTERM (COMMAND died of the forwarded signal)"
gone SIGTERM 0
[[ -e $STATE ]] && fail "state dir left after SIGTERM: $(ls -A "$STATE")"

start kill-parent
kill -KILL "$PARENT"
bg_wait "$PARENT"
gone "kill -9 of the parent" 5

start kill-child
kill -KILL "$(<"$STATE/child_pid")"
bg_wait "$PARENT"
assert_ne 0 "$BG_RC" "exit code after kill -9 of the child"
gone "kill -9 of the child" 5
