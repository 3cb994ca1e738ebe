#!/usr/bin/env bash
# --state-dir: holds `lock`, `child_pid` (0444, the rootlesskit child's pid, no newline) and
# `api.sock` while running; a second instance on it fails with the lock message and leaves the
# first one working. COMMAND sees ROOTLESSKIT_STATE_DIR/PARENT_EUID/PARENT_EGID, no internal
# `_ROOTLESSKIT_*` variables, and no fds other than 0, 1 and 2. A directory that is not a state
# directory (the home, data, others can write to it) is refused untouched; modes do not follow
# the umask (docs/security.md).
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

# Upstream empties whatever --state-dir names at start and deletes it at exit; we never remove
# what rootlesskit did not create, and refuse such a directory before touching it. Every
# directory pointed at here is this test's own (HOME is a scratch dir, see lib.sh), so that the
# test loses nothing when run against a rootlesskit that does delete (Debian's 1.1 does). "/" and
# another user's directory are refused too: tests/unit/parent/state_entries_test.cc checks those,
# since pointing at them here would break that rule.
echo keep >"$HOME/canary"
rk --state-dir="$HOME" true
assert_rc 1 "--state-dir=\$HOME"
assert_contains "$ERR" "refusing to use $HOME as the state directory: it is the home directory"
assert_eq keep "$(cat "$HOME/canary")" "the canary in \$HOME after --state-dir=\$HOME"
assert_eq canary "$(ls -A "$HOME")" "\$HOME after the refusal (nothing made in it)"
# The same through a symlink (the guard used to compare path strings, and the home was emptied).
ln -s "$HOME" "$T/hl"
rk --state-dir="$T/hl" true
assert_rc 1 "--state-dir=a symlink to \$HOME"
assert_contains "$ERR" "refusing to use $T/hl as the state directory: it is the home directory"
assert_eq canary "$(ls -A "$HOME")" "\$HOME after --state-dir=a symlink to it"

# A directory holding anything rootlesskit did not create, even beside stale files of ours.
mkdir "$T/data"
echo precious >"$T/data/notes.txt"
echo 4242 >"$T/data/child_pid"
rk --state-dir="$T/data" true
assert_rc 1 "--state-dir=a directory with data"
assert_contains "$ERR" "refusing to use $T/data as the state directory: it holds \"notes.txt\", which rootlesskit did not create"
assert_contains "$ERR" "pass a new or empty directory to --state-dir"
assert_eq "child_pid notes.txt" "$(ls -A "$T/data" | tr '\n' ' ' | sed 's/ $//')" "entries after the refusal"
assert_eq precious "$(cat "$T/data/notes.txt")" "notes.txt after the refusal"
# One of our names with another type is not ours either.
mkdir -p "$T/data2/hosts"
rk --state-dir="$T/data2" true
assert_rc 1 "--state-dir=a directory with a directory called hosts"
assert_contains "$ERR" "it holds \"hosts\", which rootlesskit did not create"
[[ -d $T/data2/hosts && ! -e $T/data2/lock ]] || fail "$T/data2 changed by the refused run"

# Others must not be able to replace child_pid or api.sock.
mkdir "$T/shared"
chmod 775 "$T/shared"
rk --state-dir="$T/shared" true
assert_rc 1 "--state-dir=a group-writable directory"
assert_contains "$ERR" "refusing to use $T/shared as the state directory: other users can write to it (mode 0775)"
assert_contains "$ERR" "run \`chmod go-w $T/shared\`"
assert_eq "" "$(ls -A "$T/shared")" "the group-writable directory after the refusal"

# Modes do not follow the umask (under umask 000 the directory used to be drwxrwxrwx): the
# directory 0700 (its new parents 0755, as upstream), lock 0600, child_pid 0444, api.sock
# srwxr-xr-x (others cannot connect, and cannot enter the directory anyway).
show_modes='cd "$ROOTLESSKIT_STATE_DIR" && stat -c "%a %n" . lock child_pid api.sock'
run bash -c 'umask 000; exec "$@"' bash "$ROOTLESSKIT" --state-dir="$T/new/state" sh -c "$show_modes"
assert_rc 0 "a new state dir under umask 000"
assert_eq $'700 .\n600 lock\n444 child_pid\n755 api.sock' "$OUT" "modes under umask 000"
assert_eq 755 "$(stat -c %a "$T/new")" "mode of a parent made by --state-dir under umask 000"
[[ ! -e $T/new/state ]] || fail "the state dir made under umask 000 was not removed"
run bash -c 'umask 000; exec "$@"' bash "$ROOTLESSKIT" sh -c "$show_modes"
assert_rc 0 "a temporary state dir under umask 000"
assert_eq $'700 .\n600 lock\n444 child_pid\n755 api.sock' "$OUT" "modes of the temporary state dir under umask 000"
# An existing one (upstream makes them 0755) is narrowed while in use.
mkdir -m 755 "$T/old"
rk --state-dir="$T/old" sh -c 'stat -c %a "$ROOTLESSKIT_STATE_DIR"'
assert_rc 0 "an existing 0755 state dir"
assert_eq 700 "$OUT" "mode of an existing 0755 state dir while in use"

# What a killed run leaves (ours, and upstream's .bp.sock/.bp-ready.pipe) is cleaned and the
# directory reused, as dockerd-rootless.sh expects; afterwards it is gone.
mkdir "$T/stale"
python3 -c 'import socket, sys
for p in sys.argv[1:]: socket.socket(socket.AF_UNIX).bind(p)' "$T/stale/api.sock" "$T/stale/.s4nn.sock" "$T/stale/.bp.sock"
mkfifo "$T/stale/.bp-ready.pipe"
touch "$T/stale/lock" "$T/stale/hosts" "$T/stale/resolv.conf" "$T/stale/netns" "$T/stale/pasta.pid"
echo 4242 >"$T/stale/child_pid"
rk --state-dir="$T/stale" sh -c 'ls -A "$ROOTLESSKIT_STATE_DIR" | tr "\n" " "'
assert_rc 0 "a state dir left by a killed run"
assert_eq "api.sock child_pid lock " "$OUT" "entries of the reused state dir while running"
[[ ! -e $T/stale ]] || fail "the reused state dir was not removed at exit"

# Something else that appears while rootlesskit runs is left, with the directory, and named.
rk --state-dir="$T/grown" sh -c 'echo mine >"$ROOTLESSKIT_STATE_DIR/user-file"'
assert_rc 0 "a file made in the state dir while running"
assert_contains "$ERR" "did not remove the state dir $T/grown: it holds \\\"user-file\\\", which rootlesskit did not create"
assert_eq user-file "$(ls -A "$T/grown")" "the state dir after exit"
assert_eq mine "$(cat "$T/grown/user-file")" "the file made in the state dir"

# A state dir given as a symlink is resolved once; at exit the directory it points to is emptied
# of our files and kept, so that the link works again next time.
mkdir "$T/real"
ln -s real "$T/link"
rk --state-dir="$T/link" sh -c 'echo "$ROOTLESSKIT_STATE_DIR"; ls -A "$ROOTLESSKIT_STATE_DIR" | tr "\n" " "'
assert_rc 0 "--state-dir=a symlink to an empty directory"
assert_eq "$T/link"$'\n'"api.sock child_pid lock " "$OUT" "ROOTLESSKIT_STATE_DIR and entries through the symlink"
[[ -L $T/link && -d $T/real && -z $(ls -A "$T/real") ]] || fail "the symlinked state dir after exit: $(ls -la "$T/real")"
rk --state-dir="$T/link" true
assert_rc 0 "a second run through the same symlink"

# api.sock must fit in a unix socket address: a too long state dir fails before anything runs
# (upstream fails only after COMMAND started: docs/compatibility.md, State directory).
long=$T/$(printf 'd%.0s' {1..120})
rk --state-dir="$long" sh -c 'echo ran'
assert_rc 1 "a state dir too long for api.sock"
assert_contains "$ERR" "is too long"
assert_not_contains "$OUT" ran "COMMAND output with a too long state dir"
[[ ! -e $long ]] || fail "the too long state dir was created anyway"
