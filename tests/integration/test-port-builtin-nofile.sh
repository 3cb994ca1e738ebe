#!/usr/bin/env bash
# The builtin driver when the parent runs out of file descriptors (its RLIMIT_NOFILE lowered to
# 200 with prlimit, then 150 connections held open through an echo port: only about half fit):
# the parent neither dies (a failed pipe2() used to abort it) nor gives up on the child (sockets
# the kernel could not pass used to close the channel: no connection worked afterwards) nor
# spins (the API listener used to be polled in a busy loop while a client waited); once the
# connections close, new connections and API calls work and the fd count settles.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/port_lib.sh"
require_cmd prlimit
ubsan_tolerate_fd_starvation

limit=200
p_echo=$(free_port) p_tcp=$(free_port)
start_server nofile "$ROOTLESSKIT" --net=slirp4netns --disable-host-loopback --port-driver=builtin \
  -p "127.0.0.1:$p_echo:82/tcp,127.0.0.1:$p_tcp:80/tcp" -- echo:127.0.0.1:82 tcp:127.0.0.1:80
nofile=$PARENT
expect_answer "TCP before" tcp 127.0.0.1 "$p_tcp" before "tcp:127.0.0.1:80 127.0.0.1 before"
base_fds=$(fd_count "$nofile")
((base_fds < limit - 100)) || fail "the parent has $base_fds fds already"
prlimit --pid "$nofile" --nofile=$limit:$limit

# 150 connections need about 300 fds in the parent: the client's echo check times out.
bg hold python3 "$PORT_CLIENT" hold 127.0.0.1 "$p_echo" 150 "$T/held"
hold=$BG_PID
_fds_at_least() { (($(fd_count "$1") >= $2)); }
_poll "the parent to run out of fds" "$WAIT_TIMEOUT" _fds_at_least "$nofile" $((limit - 2))

# Meanwhile an API client waits in the backlog; the parent must stay idle (CPU ticks of 1 s).
bg api "$ROOTLESSCTL" --socket "$STATE/api.sock" list-ports --json
api=$BG_PID
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
sleep 0.3
before=$(cpu_ticks "$nofile")
sleep 1
ticks=$(($(cpu_ticks "$nofile") - before))
((ticks < 20)) || fail "the parent used $ticks CPU ticks in one second while out of fds (busy loop)"
pid_alive "$nofile" || fail "the parent died when it ran out of fds: $(cat "$T/nofile.err")"

bg_wait "$hold" 30
assert_eq 1 "$BG_RC" "exit code of the client holding 150 connections"
assert_eq "error: TimeoutError" "$(<"$T/hold.out")" "the client holding 150 connections"
bg_wait "$api" 30
assert_eq 0 "$BG_RC" "exit code of the API client that waited: $(cat "$T/api.err")"
assert_eq 2 "$(grep -c '"id"' "$T/api.out")" "ports listed by the API client that waited"

# Everything works again.
expect_answer "TCP after" tcp 127.0.0.1 "$p_tcp" after "tcp:127.0.0.1:80 127.0.0.1 after"
touch "$T/held-again.stop" # (closed as soon as each was echoed)
client hold 127.0.0.1 "$p_echo" 20 "$T/held-again"
assert_eq "held 20" "$OUT" "20 connections through the echo port after the shortage"
_fds_at_most() { (($(fd_count "$1") <= $2)); }
_poll "the parent's fds to settle (base $base_fds)" "$WAIT_TIMEOUT" _fds_at_most "$nofile" $((base_fds + 40))
stop_server nofile
err=$(<"$T/nofile.err")
assert_contains "$err" "port/builtin: sockets from the child were lost: too many open files in the parent; new connections wait"
assert_contains "$err" "port/builtin: tcp 127.0.0.1:$p_echo: accept: too many open files"
expect_only_vptr_ubsan_reports
