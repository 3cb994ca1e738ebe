#!/usr/bin/env bash
# RLIMIT_NOFILE: the parent raises its own soft limit to the hard one (forwarded connections need
# fds), but the child and COMMAND keep the caller's limits.
source "$(dirname "$0")/lib.sh"

hard=$(ulimit -Hn)
soft=$((hard > 1024 ? 1024 : hard / 2))
((soft < hard)) || skip "the hard RLIMIT_NOFILE ($hard) leaves no room below it"
ulimit -Sn "$soft"

rk sh -c 'ulimit -Sn'
assert_rc 0 "run with a lowered soft limit"
assert_eq "$soft" "$OUT" "COMMAND's soft RLIMIT_NOFILE"

bg rk "$ROOTLESSKIT" --state-dir="$T/state" sleep 60
parent=$BG_PID
wait_for_socket "$T/state/api.sock"
child=$(cat "$T/state/child_pid")
soft_limit_of() { awk '/Max open files/ { print $4 }' "/proc/$1/limits"; }
assert_eq "$hard" "$(soft_limit_of "$parent")" "the parent's soft RLIMIT_NOFILE"
assert_eq "$soft" "$(soft_limit_of "$child")" "the child's soft RLIMIT_NOFILE"
