# Shared by the end-to-end tests (tests/e2e/*.sh, docs/clients.md): real clients started the way
# their own scripts start them, on the rootlesskit under test, as the unprivileged test user.
# Sourced after ../integration/lib.sh and port_lib.sh. No registry is ever contacted: images are
# made here from Debian's busybox-static.
# shellcheck shell=bash
# shellcheck disable=SC2034 # E2E_* are read by the test scripts

PROXY=$(abs_cmd "${ROOTLESSKIT_DOCKER_PROXY:-$(dirname "$ROOTLESSKIT")/rootlesskit-docker-proxy}")
[[ -x $PROXY ]] || fail "rootlesskit-docker-proxy under test not found: $PROXY"
require_cmd busybox unshare

# The clients find rootlesskit, rootlessctl and rootlesskit-docker-proxy by PATH: ours come first
# (Debian's rootlesskit is installed too, in /usr/bin), as links, so /proc/PID/exe names the
# binaries under test.
E2E_BIN=$T/bin
mkdir "$E2E_BIN"
ln -s "$ROOTLESSKIT" "$E2E_BIN/rootlesskit"
ln -s "$ROOTLESSCTL" "$E2E_BIN/rootlessctl"
ln -s "$PROXY" "$E2E_BIN/rootlesskit-docker-proxy"
export PATH=$E2E_BIN:$PATH

# exe_of PID: the program PID runs, symlinks resolved. assert_exe PROGRAM PID WHAT: PID runs
# PROGRAM (a path or a name in PATH), compared with symlinks resolved on both sides.
exe_of() { readlink -f "/proc/$1/exe"; }
assert_exe() { assert_eq "$(readlink -f "$(command -v "$1")")" "$(exe_of "$2")" "$3"; }

# make_busybox_rootfs DIR TOKEN: a root file system of Debian's static busybox with the applets
# the tests run, and /www/index.html holding TOKEN (what httpd serves).
make_busybox_rootfs() {
  local dir=$1 applet
  mkdir -p "$dir/bin" "$dir/www" "$dir/etc" "$dir/tmp"
  cp "$(command -v busybox)" "$dir/bin/busybox"
  for applet in sh httpd nc cat echo sleep printf ip mkfifo; do
    ln -s busybox "$dir/bin/$applet"
  done
  echo "$2" >"$dir/www/index.html"
}

# make_busybox_tar DIR TOKEN TAR: the same root file system as a tar owned by root (what
# `docker import` and image layers expect).
make_busybox_tar() {
  make_busybox_rootfs "$1" "$2"
  tar -C "$1" --numeric-owner --owner=0 --group=0 -cf "$3" .
}

# test_procs: the processes in this test's cgroup (run-as-test-user.sh makes one), other than
# this shell, its ancestors up to that script, what it started itself (OWNED_PIDS: lib.sh's bg)
# and a subshell reading them: what a client left
# running. Read with builtins only (a process started to read them would be listed). Run by hand
# without that cgroup: none listed.
_ancestors() {
  local pid=$$ stat
  while ((pid > 1)); do
    echo "$pid"
    read -r stat <"/proc/$pid/stat" || return 0
    stat=${stat##*) } # "pid (comm) state ppid ...": comm may hold spaces
    stat=${stat#* }
    pid=${stat%% *}
  done
}
TEST_SHELLS=" $(_ancestors | tr '\n' ' ') "
test_procs() {
  local f pid
  [[ -n ${ROOTLESSKIT_TEST_CGROUP:-} ]] || return 0
  for f in "$ROOTLESSKIT_TEST_CGROUP"/cgroup.procs "$ROOTLESSKIT_TEST_CGROUP"/*/cgroup.procs; do
    [[ -r $f ]] || continue
    while read -r pid; do
      [[ $TEST_SHELLS == *" $pid "* || " ${OWNED_PIDS[*]} " == *" $pid "* || $pid == "$BASHPID" ]] || echo "$pid"
    done <"$f"
  done
}

# wait_for_no_test_procs WHAT: until test_procs is empty (zombies leave the cgroup as they exit).
wait_for_no_test_procs() {
  local deadline=$((SECONDS + WAIT_TIMEOUT)) left
  while left=$(test_procs) && [[ -n $left ]]; do
    # shellcheck disable=SC2086 # one pid per argument
    ((SECONDS < deadline)) || fail "$1 left processes: $(ps -o pid=,args= -p "$(echo $left | tr ' ' ,)")"
    sleep 0.1
  done
}

# kill_test_procs: ends what a failed test left in its cgroup. A container's runtime shim leaves
# the client's process tree (it is reparented away), so stopping the client does not reach it.
kill_test_procs() {
  local pid left
  left=$(test_procs)
  [[ -n $left ]] || return 0
  for pid in $left; do kill -KILL "$pid" 2>/dev/null || true; done
  wait_for_no_test_procs "killing what the test left"
}
CLEANUP_HOOKS+=(kill_test_procs)
# Then the test's files, in a user namespace where this user is root and the subordinate ids are
# mapped: the clients leave files of subordinate ids, and directories without search permission
# (dockerd's run/docker/libnetwork is 0600 until it exits cleanly).
# shellcheck disable=SC2016 # expanded at cleanup
CLEANUP_HOOKS+=('unshare --map-root-user --map-auto rm -rf "$T"')
