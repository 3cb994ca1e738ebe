#!/usr/bin/env bash
# Run by real root (docs/subid.md, Running as root): upstream's warning, then the same
# algorithm for user "root": with no root: range in /etc/subuid it fails naming the user and the
# file; with one, the map is "0 0 1" plus the ranges.
source "$(dirname "$0")/lib.sh"

(($(id -u) == 0)) || skip "needs to run as root (scripts/test.sh runs it so)"

rk sh -c 'cat /proc/self/uid_map'
assert_contains "$ERR" "Running RootlessKit as the root user is unsupported."
if grep -Eq '^(root|0):' /etc/subuid && grep -Eq '^(root|0):' /etc/subgid; then
  assert_rc 0 "root with its own subuid range"
  assert_eq "0 0 1" "$(head -n1 <<<"$OUT" | tr -s ' ' | sed 's/^ //')" "first uid_map line"
else
  assert_rc 1 "root without a subuid range"
  assert_contains "$ERR" 'No subuid ranges found for user 0 ("root")'
  assert_contains "$ERR" "/etc/subuid"
  # Nothing was started, so nothing is left behind.
  assert_eq "" "$(ls "$TMPDIR")" "leftovers in TMPDIR"
fi
