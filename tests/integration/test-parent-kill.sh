#!/usr/bin/env bash
# Parent death: SIGKILL of the rootlesskit parent takes the rootlesskit child and COMMAND with
# it (pdeathsig), with and without --pidns, and a new run on the same --state-dir then works.
# Without --state-dir the temporary state dir is removed on a normal exit and on option errors
# (Debian's 1.1 leaks an empty /tmp/rootlesskitNNN on option errors; ours must not).
source "$(dirname "$0")/lib.sh"

for pidns in "" --pidns; do
  state=$T/state$pidns
  bg rk "$ROOTLESSKIT" $pidns --state-dir="$state" sh -c 'echo $$ >"$1"; exec sleep 1000' sh "$T/cmd$pidns"
  parent=$BG_PID
  wait_for_socket "$state/api.sock"
  wait_for_file "$T/cmd$pidns"
  child=$(cat "$state/child_pid")
  own_pid "$child"
  if [[ -z $pidns ]]; then
    cmd=$(cat "$T/cmd$pidns")
  else
    cmd=$(pgrep -P "$child" -x sleep) || fail "no sleep process under the child $child"
  fi
  own_pid "$cmd"
  pid_alive "$cmd" || fail "COMMAND $cmd is not running [$pidns]"

  kill -KILL "$parent"
  bg_wait "$parent"
  wait_for_pid_exit "$child" 10
  wait_for_pid_exit "$cmd" 10

  # The stale lock/api.sock/child_pid left behind must not stop the next run.
  rk $pidns --state-dir="$state" echo restarted
  assert_rc 0 "restart on the state dir of a killed parent [$pidns]"
  assert_eq restarted "$OUT" "output of the restarted run"
  [[ ! -e $state/api.sock && ! -e $state/child_pid ]] || fail "state files left in $state after a normal exit"
done

leftovers() { find "$TMPDIR" -mindepth 1 -maxdepth 1 -name 'rootlesskit*' | sort; }

rk true
assert_rc 0
assert_eq "" "$(leftovers)" "temporary state dirs left after a normal exit"

for bad in --net=foo --mtu=70000 --port-driver=builtin --cidr=foo; do
  rk "$bad" true
  assert_rc 1 "exit code of $bad"
  assert_eq "" "$(leftovers)" "temporary state dirs left after the option error $bad"
done
