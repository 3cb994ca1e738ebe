#!/usr/bin/env bash
# Terminals: an interactive shell started by rootlesskit on a terminal keeps it as its
# controlling tty and gets job control, with and without --pidns (Debian's 1.1 setsid()s
# COMMAND under the --pidns reaper, so bash says "cannot set terminal process group").
source "$(dirname "$0")/lib.sh"
require_cmd script

inner='tty; if : </dev/tty; then echo has-ctty; fi; case $- in *m*) echo job-control;; esac'
for pidns in "" --pidns; do
  cmd=$(printf '%q ' "$ROOTLESSKIT" $pidns bash --norc -i -c "$inner")
  run script -qec "$cmd" /dev/null
  OUT=${OUT//$'\r'/}
  assert_rc 0 "exit code under script [$pidns]"
  assert_not_contains "$OUT" "cannot set terminal process group" "terminal output [$pidns]"
  assert_not_contains "$OUT" "no job control" "terminal output [$pidns]"
  [[ $(head -n1 <<<"$OUT") =~ ^/dev/pts/[0-9]+$ ]] || fail "tty inside [$pidns] printed: [$OUT]"
  assert_contains "$OUT" has-ctty "opening /dev/tty inside [$pidns]"
  assert_contains "$OUT" job-control "job control of bash -i inside [$pidns]"
done
