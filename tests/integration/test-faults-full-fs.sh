#!/usr/bin/env bash
# The state dir on a full filesystem: root's fixture (scripts/lib/full-fs.sh, set up by
# scripts/test.sh) is a one-page tmpfs owned by the test user whose page is taken. With inodes
# left, rootlesskit makes the state dir and its lock and fails at the first write (child_pid)
# with upstream's message naming the file and ENOSPC; with no inode left either (the test takes
# them), mkdir fails. Either way before COMMAND runs, exit code 1, and nothing is left: no
# process, no listener, nothing new on the filesystem. For a given and a temporary state dir.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/port_lib.sh"

FULL=/run/rootlesskit-test-fullfs
if [[ $(findmnt -n -o FSTYPE --mountpoint "$FULL" 2>/dev/null) != tmpfs || ! -O $FULL ]]; then
  skip "no full tmpfs of $(id -un) at $FULL: as root, run scripts/lib/full-fs.sh up $(id -un) (scripts/test.sh does)"
fi
if echo x 2>/dev/null >"$FULL/.rktest-probe"; then
  rm -f "$FULL/.rktest-probe"
  fail "$FULL is not full: as root, run scripts/lib/full-fs.sh up $(id -un) again"
fi
rm -f "$FULL"/.rktest-* # a probe file, or the inodes an interrupted run of this test took
before=$(ls -A "$FULL")

# refused WHAT EXPECTED_ERROR [TMPDIR] -- FLAGS...: rootlesskit with FLAGS (and a -p port through
# builtin with slirp4netns) fails with EXPECTED_ERROR as its last line ("N" in it stands for the
# child's pid, "R" for the digits of a temporary state dir); COMMAND never ran; nothing is left.
refused() {
  local what=$1 expected=$2 tmpdir=${3:-$TMPDIR} port last
  shift 4
  port=$(free_port)
  rm -f "$T/ran"
  run env RKTEST_MARK="$what" TMPDIR="$tmpdir" "$ROOTLESSKIT" "$@" -p "127.0.0.1:$port:80/tcp" touch "$T/ran"
  assert_rc 1 "$what"
  last=$(tail -n1 <<<"$ERR" | sed -E 's/child PID [0-9]+ /child PID N /; s/rootlesskit[0-9]+/rootlesskitR/g')
  assert_eq "[rootlesskit:parent] error: $expected" "$last" "$what"
  [[ ! -e $T/ran ]] || fail "COMMAND ran ($what)"
  wait_for_no_marked_procs "$what" 5
  no_listener "$port" || fail "port $port still bound ($what)"
  assert_eq "$before" "$(ls -A "$FULL")" "what $FULL holds after $what"
}

net=(--net=slirp4netns --disable-host-loopback --port-driver=builtin)
write_error="failed to write the child PID N to $FULL/state/child_pid: write $FULL/state/child_pid: no space left on device"
refused "no space for child_pid" "$write_error" "" -- --state-dir="$FULL/state" "${net[@]}"
tmp_state=$FULL/rootlesskitR
refused "no space for child_pid in a temporary state dir" \
  "failed to write the child PID N to $tmp_state/child_pid: write $tmp_state/child_pid: no space left on device" \
  "$FULL" -- "${net[@]}"

# No inode left: not even the state dir can be made.
n=0
while touch "$FULL/.rktest-inode.$n" 2>/dev/null; do
  n=$((n + 1))
  ((n < 1000)) || fail "$FULL has more inodes than the fixture makes"
done
before=$(ls -A "$FULL")
refused "no inode for the state dir" "mkdir $FULL/state: no space left on device" "" -- \
  --state-dir="$FULL/state" "${net[@]}"
refused "no inode for a temporary state dir" "creating a state directory: mkdir $tmp_state: no space left on device" \
  "$FULL" -- "${net[@]}"
rm -f "$FULL"/.rktest-inode.*
