#!/usr/bin/env bash
# Exit codes: rootlesskit exits with COMMAND's code (0 and 42 here) with and without --pidns and
# for every --reaper value, prints upstream's two error lines (docs/process.md) for a non-zero
# code, and exits 1 naming a command that does not exist. `--reaper=true` without --pidns must work
# (subreaper mode; Debian's 1.1 refuses it with `reaper requires --pidns`).
source "$(dirname "$0")/lib.sh"

for pidns in "" --pidns; do
  for reaper in "" --reaper=auto --reaper=true --reaper=false; do
    flags=($pidns $reaper)
    rk "${flags[@]}" true
    assert_rc 0 "exit code of true with [${flags[*]}]"
    assert_eq "" "$ERR" "stderr of true with [${flags[*]}]"

    rk "${flags[@]}" sh -c 'exit 42'
    assert_rc 42 "exit code of sh -c 'exit 42' with [${flags[*]}]"
    assert_eq "[rootlesskit:child ] error: command [sh -c exit 42] exited: exit status 42
[rootlesskit:parent] error: child exited: exit status 42" "$ERR" "stderr of exit 42 with [${flags[*]}]"
  done
done

# With the reaper (pid 1 of the namespace) an orphaned grandchild does not keep it waiting
# and COMMAND's exit code still wins.
rk --pidns --reaper=true sh -c '(sleep 0.1 &) ; exit 3'
assert_rc 3 "exit code with an orphaned grandchild under the reaper"

rk rktest-no-such-command
assert_rc 1 "exit code for a missing command"
assert_contains "$ERR" '[rootlesskit:child ] error: command [rktest-no-such-command] exited: exec: "rktest-no-such-command": executable file not found in $PATH'
assert_contains "$ERR" "[rootlesskit:parent] error: child exited: exit status 1"

rk /nonexistent/rktest
assert_rc 1 "exit code for a missing path"
assert_contains "$ERR" "/nonexistent/rktest: no such file or directory"
