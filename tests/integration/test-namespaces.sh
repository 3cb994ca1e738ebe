#!/usr/bin/env bash
# Namespace flags: each of --pidns, --utsns, --ipcns, --cgroupns and --net=none puts COMMAND in
# a new namespace of that type (/proc/self/ns/X differs from outside), and the user sees it:
# pid 1 is the rootlesskit child with a fresh /proc, hostname changes stay inside, only lo exists.
source "$(dirname "$0")/lib.sh"

ns_of() { readlink "/proc/self/ns/$1"; }

# assert_new_ns NS FLAG...: the namespace NS inside differs from the host's, user and mnt too.
assert_new_ns() {
  local ns=$1
  shift
  rk "$@" sh -c "readlink /proc/self/ns/$ns /proc/self/ns/user /proc/self/ns/mnt"
  assert_rc 0 "$* readlink"
  mapfile -t inside <<<"$OUT"
  assert_ne "$(ns_of "$ns")" "${inside[0]}" "$ns namespace with $*"
  assert_ne "$(ns_of user)" "${inside[1]}" "user namespace with $*"
  assert_ne "$(ns_of mnt)" "${inside[2]}" "mount namespace with $*"
}

# Without flags only user and mount namespaces are new.
rk readlink /proc/self/ns/pid /proc/self/ns/uts /proc/self/ns/net
assert_rc 0
assert_eq "$(ns_of pid)"$'\n'"$(ns_of uts)"$'\n'"$(ns_of net)" "$OUT" "pid/uts/net namespaces without flags"

# --pidns: pid 1 is the rootlesskit child, /proc is remounted (host pid 1 would be unreadable).
assert_new_ns pid --pidns
rk --pidns sh -c 'echo $$; readlink /proc/1/exe; ls /proc | grep -c "^[0-9]"'
assert_rc 0
mapfile -t lines <<<"$OUT"
assert_ne 1 "${lines[0]}" "pid of COMMAND inside --pidns"
assert_eq "$(readlink -f "$ROOTLESSKIT")" "${lines[1]}" "readlink /proc/1/exe inside --pidns"
((lines[2] < 20)) || fail "/proc inside --pidns lists ${lines[2]} processes: not remounted?"

# --utsns: a hostname set inside is not seen outside.
assert_new_ns uts --utsns
host_name=$(hostname)
rk --utsns sh -c 'hostname rktest-uts-inside && hostname'
assert_rc 0
assert_eq rktest-uts-inside "$OUT" "hostname inside --utsns"
assert_eq "$host_name" "$(hostname)" "hostname outside after --utsns"

assert_new_ns ipc --ipcns

require_ns cgroup
assert_new_ns cgroup --cgroupns
# Inside a cgroup namespace every hierarchy's path is its root.
rk --cgroupns cat /proc/self/cgroup
assert_rc 0
assert_eq "" "$(grep -v ':/$' <<<"$OUT" || true)" "cgroup paths other than / inside --cgroupns"

# --net=none (v3): a new network namespace with only a working loopback.
assert_new_ns net --net=none
rk --net=none sh -c 'ip -o link show | cut -d: -f2 | tr -d " "; ip -o -4 addr show dev lo'
assert_rc 0 "--net=none"
assert_eq lo "$(head -n1 <<<"$OUT")" "interfaces inside --net=none"
assert_contains "$OUT" "127.0.0.1/8" "lo address inside --net=none"
