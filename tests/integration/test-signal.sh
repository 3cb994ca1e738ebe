#!/usr/bin/env bash
# Signals: a signal sent to the rootlesskit child (the pid in $STATE/child_pid) reaches COMMAND;
# COMMAND killed by SIGUSR1 makes rootlesskit exit 255 naming `user defined signal 1`. A SIGTERM
# sent to the parent is forwarded: a trap in sh sees it and its exit code 7 comes back.
# The signal goes out as soon as api.sock exists, as a script would do: Debian's 1.1 writes
# child_pid before its child forwards signals and loses the first one about one run in three.
source "$(dirname "$0")/lib.sh"

for pidns in "" --pidns; do
  state=$T/state$pidns
  bg rk-usr1 "$ROOTLESSKIT" $pidns --state-dir="$state" sleep 1000
  parent=$BG_PID
  wait_for_socket "$state/api.sock"
  child=$(cat "$state/child_pid")
  own_pid "$child"
  kill -USR1 "$child"
  bg_wait "$parent"
  err=$(cat "$T/rk-usr1.err")
  assert_eq 255 "$BG_RC" "exit code after SIGUSR1 to the child [$pidns]; stderr: $err"
  assert_contains "$err" "user defined signal 1" "stderr after SIGUSR1 [$pidns]"
  wait_for_pid_exit "$child"

  ready=$T/ready$pidns
  bg rk-term "$ROOTLESSKIT" $pidns --state-dir="$state" \
    sh -c 'trap "kill \$p; exit 7" TERM; sleep 1000 & p=$!; touch "$1"; wait $p' sh "$ready"
  parent=$BG_PID
  wait_for_socket "$state/api.sock"
  wait_for_file "$ready"
  kill -TERM "$parent"
  bg_wait "$parent"
  assert_eq 7 "$BG_RC" "exit code after SIGTERM to the parent [$pidns]; stderr: $(cat "$T/rk-term.err")"
done
