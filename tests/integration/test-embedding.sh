#!/usr/bin/env bash
# Another program embeds the parent and child roles through include/rootlesskit/ (as k3s embeds
# upstream's Go packages), with its own pipe variable: the command runs as root in new namespaces,
# the state dir has upstream's files, exit codes pass through, and no variable of ours leaks.
source "$(dirname "$0")/lib.sh"

embedder=$HELPERS_DIR/embedder
[[ -x $embedder ]] || fail "embedder helper not built: $embedder"

run "$embedder" "$T/state" sh -c '
  id -u
  echo $$
  test -L /etc/passwd && echo etc-copied-up
  env | grep -c "^_EMBEDDER_ROOTLESS_FD=" || true
  echo "$ROOTLESSKIT_STATE_DIR"
  ls "$ROOTLESSKIT_STATE_DIR" | tr "\n" " "'
assert_rc 0 "embedded run"
assert_eq "0" "$(sed -n 1p <<<"$OUT")" "uid inside"
assert_eq "2" "$(sed -n 2p <<<"$OUT")" "pid of COMMAND in the pid namespace"
assert_eq "etc-copied-up" "$(sed -n 3p <<<"$OUT")" "copy-up of /etc"
assert_eq "0" "$(sed -n 4p <<<"$OUT")" "pipe variable visible to COMMAND"
assert_eq "$T/state" "$(sed -n 5p <<<"$OUT")" "ROOTLESSKIT_STATE_DIR"
assert_eq "api.sock child_pid lock " "$(sed -n 6p <<<"$OUT")" "state dir files"
[[ ! -e $T/state ]] || fail "the state dir was not removed"

run "$embedder" "$T/state" sh -c 'exit 9'
assert_rc 9 "exit code passed through the embedder"
assert_contains "$ERR" "embedder parent: child exited: exit status 9"
