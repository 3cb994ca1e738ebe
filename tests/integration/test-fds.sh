#!/usr/bin/env bash
# Every fd rootlesskit and its drivers open is O_CLOEXEC: COMMAND starts with only 0, 1 and 2,
# whatever the network driver, port driver, pid namespace, reaper, copy-up or detached netns.
# Checked by listing /proc/self/fd inside (ls itself holds one more, its directory handle).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/port_lib.sh"

# fds_inside WHAT FLAGS...: runs `ls -l /proc/self/fd` as COMMAND with FLAGS, from a shell that
# has only 0, 1 and 2 open, and expects 0, 1, 2 and the listing's own fd.
fds_inside() {
  local what=$1
  shift
  run "${ONLY_STD_FDS[@]}" "$ROOTLESSKIT" "$@" ls -l /proc/self/fd
  assert_rc 0 "$what"
  local fds
  fds=$(awk 'NF > 8 { print $9 }' <<<"$OUT" | sort -n | tr '\n' ' ' | sed 's/ $//')
  assert_eq "0 1 2 3" "$fds" "fds open in COMMAND ($what); ls -l /proc/self/fd: $OUT"
  [[ $(awk '$9 == 3 { print $11 }' <<<"$OUT") == /proc/*/fd ]] || fail "fd 3 in COMMAND ($what) is not ls's own: $OUT"
}

fds_inside "host network"
fds_inside "pid namespace and reaper" --pidns --reaper=true
fds_inside "slirp4netns and builtin ports" --net=slirp4netns --disable-host-loopback --port-driver=builtin \
  -p "127.0.0.1:$(free_port):80/tcp"
fds_inside "slirp4netns port driver" --net=slirp4netns --disable-host-loopback --port-driver=slirp4netns \
  -p "127.0.0.1:$(free_port):80/tcp"
fds_inside "detached netns and copy-up" --net=slirp4netns --detach-netns --copy-up=/etc --pidns
fds_inside "no network" --net=none --port-driver=builtin
fds_inside "a given state dir" --state-dir="$T/state" --net=slirp4netns --port-driver=builtin
