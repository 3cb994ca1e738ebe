#!/usr/bin/env bash
# --evacuate-cgroup2=NAME (with --pidns --cgroupns): every process of our cgroup2 group moves to
# NAME below it, and COMMAND sees a fresh cgroup2 on /sys/fs/cgroup rooted at that group, where it
# can create sub-groups. Needs a delegated group (run-as-test-user.sh gives each test one).
source "$(dirname "$0")/lib.sh"

group=${ROOTLESSKIT_TEST_CGROUP:-}
[[ -n $group && -w $group/cgroup.procs ]] || skip "no delegated cgroup2 group (cgroup2 not mounted or not writable by root)"

rk --evacuate-cgroup2=evac true
assert_rc 1 "without --cgroupns"
assert_contains "$ERR" "evacuate-cgroup2 requires --cgroupns"

rk --cgroupns --evacuate-cgroup2=evac true
assert_rc 1 "without --pidns"
assert_contains "$ERR" "evacuate-cgroup2 requires --pidns"

rk --pidns --cgroupns --evacuate-cgroup2=e/v true
assert_rc 1 "a name with a slash"
assert_contains "$ERR" 'unexpected evacuation group name "e/v": must not contain "/"'

rk --pidns --cgroupns --evacuate-cgroup2=evac sh -c '
  stat -f -c %T /sys/fs/cgroup
  grep '^0::' /proc/self/cgroup
  mkdir /sys/fs/cgroup/evac/sub && echo made-sub'
assert_rc 0 "evacuation run"
assert_eq "cgroup2fs" "$(sed -n 1p <<<"$OUT")" "filesystem on /sys/fs/cgroup inside"
assert_eq "0::/evac" "$(sed -n 2p <<<"$OUT")" "COMMAND's cgroup inside the namespace"
assert_eq "made-sub" "$(sed -n 3p <<<"$OUT")" "COMMAND can create a sub-group"
[[ -d $group/evac ]] || fail "$group/evac was not created on the host"
# This test's own shell was in the group too: it was evacuated with everything else.
grep -qx "$$" "$group/evac/cgroup.procs" || fail "the test shell (pid $$) was not moved to $group/evac"
