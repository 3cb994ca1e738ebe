#!/usr/bin/env bash
# The builtin driver's further event loops (one per CPU) start with the first TCP port. A parent
# out of fds at that moment (its soft RLIMIT_NOFILE lowered with prlimit to leave it K free fd
# numbers, K = 1..8, while add-ports runs) must not keep a loop it could not connect to the
# child: the port is refused or served, and once fds are back every connection through it is
# answered. (A loop made without its channel to the child used to take its share of the
# connections and leave them waiting for good.) Then the child out of fds instead: a loop whose
# channel it lost leaves its clients to the others (they used to be reset). Needs 2 CPUs or more
# for a second loop. The unit test BuiltinPortDriver.ALoopThatCouldNotStartComesWithTheNextTcpPort
# shows which loop serves.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/port_lib.sh"
require_cmd prlimit
(($(nproc) >= 2)) || skip "one CPU: the builtin driver runs one event loop"
ubsan_tolerate_fd_starvation

# limit_leaving PID K: the soft limit that leaves PID exactly K free fd numbers (a new fd takes
# the lowest free number; the limit bounds the number, not the count).
limit_leaving() {
  local -A used=()
  local fd n=0 free=0
  for fd in "/proc/$1/fd"/*; do
    used[${fd##*/}]=1
  done
  while :; do
    if [[ -z ${used[$n]:-} ]]; then
      ((free == $2)) && break
      free=$((free + 1))
    fi
    n=$((n + 1))
  done
  echo "$n"
}

refused=0 fewer_loops=0
for k in 1 2 3 4 5 6 7 8; do
  start_server "k$k" "$ROOTLESSKIT" --net=slirp4netns --disable-host-loopback --port-driver=builtin \
    -- echo:127.0.0.1:82
  soft=$(prlimit --pid "$PARENT" --nofile --output SOFT --noheadings)
  port=$(free_port)
  prlimit --pid "$PARENT" --nofile="$(limit_leaving "$PARENT" "$k"):"
  ctl add-ports "127.0.0.1:$port:82/tcp"
  prlimit --pid "$PARENT" --nofile="$soft:"
  if ((RC != 0)); then
    assert_contains "$ERR" "too many open files"
    refused=$((refused + 1))
    ctl add-ports "127.0.0.1:$port:82/tcp"
    assert_eq 0 "$RC" "add-ports once the fds are back (K=$k): $ERR"
  fi
  # Connections that arrive while the first loop is busy go to another: a burst of 100.
  client burst 127.0.0.1 "$port" 100
  assert_eq "echoed 100" "$OUT" "a burst of 100 connections (K=$k): $ERR"
  # The next TCP port starts a loop that could not start; the first port is accepted on by it.
  ctl add-ports "127.0.0.1:$(free_port):82/tcp"
  assert_eq 0 "$RC" "a second port (K=$k): $ERR"
  client burst 127.0.0.1 "$port" 100
  assert_eq "echoed 100" "$OUT" "a burst of 100 connections after a second port (K=$k): $ERR"
  stop_server "k$k"
  grep -q "another event loop for TCP could not start" "$T/k$k.err" && fewer_loops=$((fewer_loops + 1))
done
# The child out of fds when a loop's channel arrives: the kernel drops the channel on the way.
# The loop without a channel stops accepting and leaves the port's clients to the others (it
# used to accept its share and reset them).
start_server lost "$ROOTLESSKIT" --net=slirp4netns --disable-host-loopback --port-driver=builtin \
  -- echo:127.0.0.1:82
child=$(<"$STATE/child_pid")
soft=$(prlimit --pid "$child" --nofile --output SOFT --noheadings)
port=$(free_port)
prlimit --pid "$child" --nofile="$(limit_leaving "$child" 0):"
ctl add-ports "127.0.0.1:$port:82/tcp"
assert_eq 0 "$RC" "add-ports while the child is out of fds: $ERR"
_channel_lost() { grep -q "a channel from the parent was lost on the way" "$T/lost.err"; }
_poll "the child to lose a loop's channel" "$WAIT_TIMEOUT" _channel_lost
prlimit --pid "$child" --nofile="$soft:"
for round in 1 2 3; do
  client burst 127.0.0.1 "$port" 100
  assert_eq "echoed 100" "$OUT" "burst $round of 100 connections with a loop's channel lost: $ERR"
done
stop_server lost

expect_only_vptr_ubsan_reports

# Both ways out were taken: some K too small for the listener, some enough for it but not for
# a second loop (which the port then does without).
((refused > 0)) || fail "no K made add-ports fail: the limits did not bite"
((fewer_loops > 0)) || fail "no K left the parent without fds for a second event loop"
echo "K=1..8: add-ports refused $refused times, a port served by fewer loops $fewer_loops times" >&2
