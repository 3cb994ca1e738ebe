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

# Ctrl-C on the terminal: COMMAND gets exactly one SIGINT. The parent and the child are in the
# terminal's foreground process group too, and upstream forwards their copies on to COMMAND as
# well (upstream #129). COMMAND counts SIGINTs for a second after the first one.
require_cmd python3
counter='import signal, sys, time
n = 0
def on_int(*_):
    global n
    n += 1
signal.signal(signal.SIGINT, on_int)
print("ready", flush=True)
while n == 0:
    time.sleep(0.01)
time.sleep(1)
print("sigints=%d" % n, flush=True)'
for pidns in "" --pidns; do
  run python3 "$(dirname "$0")/../helpers/ctrl_c.py" "$ROOTLESSKIT" $pidns python3 -c "$counter"
  assert_rc 0 "Ctrl-C run [$pidns]: $OUT"
  assert_contains "$OUT" "sigints=1" "SIGINTs COMMAND received for one Ctrl-C [$pidns]"
done
