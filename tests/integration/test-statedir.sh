#!/usr/bin/env bash
# --state-dir: holds `lock`, `child_pid` (0444, the rootlesskit child's pid, no newline) and
# `api.sock` while running; a second instance on it fails with the lock message and leaves the
# first one working. COMMAND sees ROOTLESSKIT_STATE_DIR/PARENT_EUID/PARENT_EGID, no internal
# `_ROOTLESSKIT_*` variables, and no fds other than 0, 1 and 2.
source "$(dirname "$0")/lib.sh"

state=$T/state
bg rk without_extra_fds "$ROOTLESSKIT" --state-dir="$state" sh -c '
  env >"$1/env"; ls /proc/self/fd >"$1/fds"; touch "$1/ready"
  while [ ! -e "$1/go" ]; do sleep 0.05; done' sh "$T"
parent=$BG_PID
wait_for_socket "$state/api.sock"
wait_for_file "$T/ready"

assert_eq 600 "$(stat -c %a "$state/lock")" "mode of lock"
assert_eq 444 "$(stat -c %a "$state/child_pid")" "mode of child_pid"
child=$(<"$state/child_pid")
own_pid "$child"
assert_eq "${#child}" "$(stat -c %s "$state/child_pid")" "size of child_pid (no newline)"
[[ $child =~ ^[0-9]+$ ]] || fail "child_pid is not a number: [$child]"
assert_eq "$parent" "$(ps -o ppid= -p "$child" | tr -d ' ')" "parent of the pid in child_pid"
assert_eq "$(readlink -f "$ROOTLESSKIT")" "$(readlink "/proc/$child/exe")" "executable of the pid in child_pid"

env_inside=$(<"$T/env")
assert_contains "$env_inside" $'\n'"ROOTLESSKIT_STATE_DIR=$state"$'\n' "env inside"
assert_contains "$env_inside" $'\n'"ROOTLESSKIT_PARENT_EUID=$(id -u)"$'\n' "env inside"
assert_contains "$env_inside" $'\n'"ROOTLESSKIT_PARENT_EGID=$(id -g)"$'\n' "env inside"
assert_eq "" "$(grep '^_ROOTLESSKIT' "$T/env" || true)" "internal _ROOTLESSKIT variables inside"
# ls itself holds one more fd (its directory handle, 3) while listing.
assert_eq "0 1 2 3" "$(tr '\n' ' ' <"$T/fds" | sed 's/ $//')" "fds open in COMMAND"

rk --state-dir="$state" true
assert_rc 1 "second instance on the same state dir"
assert_contains "$ERR" "failed to lock $state/lock, another RootlessKit is running with the same state directory?"
assert_eq "$child" "$(<"$state/child_pid")" "child_pid after the refused second instance"
[[ -S $state/api.sock ]] || fail "api.sock of the first instance vanished"
info=$(curl -sS --max-time 10 --unix-socket "$state/api.sock" http://rootlesskit/v1/info) ||
  fail "API of the first instance stopped answering"
assert_contains "$info" "\"childPID\":$child" "/v1/info of the first instance"

touch "$T/go"
bg_wait "$parent"
assert_eq 0 "$BG_RC" "exit code of the first instance; stderr: $(cat "$T/rk.err")"

# A relative --state-dir is made absolute.
cd "$T"
rk --state-dir=relative sh -c 'echo "$ROOTLESSKIT_STATE_DIR"'
assert_rc 0
assert_eq "$T/relative" "$OUT" "ROOTLESSKIT_STATE_DIR for --state-dir=relative"

# Upstream empties and then deletes whatever --state-dir names (docs/compatibility.md, State
# directory): we refuse the dangerous ones before touching them.
touch "$HOME/.rktest-keep-$$"
rk --state-dir="$HOME" true
assert_rc 1 "--state-dir=\$HOME"
assert_contains "$ERR" "refusing to use $HOME as the state directory"
[[ -e $HOME/.rktest-keep-$$ ]] || fail "a file in \$HOME was deleted by --state-dir=\$HOME"
rm -f "$HOME/.rktest-keep-$$"
rk --state-dir=/ true
assert_rc 1 "--state-dir=/"
assert_contains "$ERR" "refusing to use / as the state directory"
rk --state-dir=/etc true
assert_rc 1 "--state-dir of another user"
assert_contains "$ERR" "it is owned by uid 0, not by the current user"

# api.sock must fit in a unix socket address: a too long state dir fails before anything runs
# (upstream fails only after COMMAND started: docs/compatibility.md, State directory).
long=$T/$(printf 'd%.0s' {1..120})
rk --state-dir="$long" sh -c 'echo ran'
assert_rc 1 "a state dir too long for api.sock"
assert_contains "$ERR" "is too long"
assert_not_contains "$OUT" ran "COMMAND output with a too long state dir"
[[ ! -e $long ]] || fail "the too long state dir was created anyway"
