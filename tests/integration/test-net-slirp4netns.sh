#!/usr/bin/env bash
# --net=slirp4netns: the tap's address, route, MTU, /etc/resolv.conf and /etc/hosts for the
# default and a custom --cidr/--mtu/--ifname, the same as Debian's rootlesskit for the same flags
# (also `rootlessctl info --json` minus versions/pids/state dir); --disable-host-loopback blocks
# a listener on the host's 127.0.0.1 (reached as 10.0.2.2) and its absence allows it; --ipv6;
# sandbox/seccomp; a missing or failing slirp4netns; killing slirp4netns ends the run and
# leaves nothing.
# Traffic goes only to 10.0.2.2 from inside the namespace (slirp maps it to the host's loopback).
source "$(dirname "$0")/lib.sh"
require_cmd slirp4netns socat jq ip
[[ -x $ROOTLESSCTL ]] || fail "rootlessctl under test not found: ROOTLESSCTL=$ROOTLESSCTL"

# What COMMAND sees of its network. The API socket is awaited because Debian's 1.1 may start
# COMMAND before api.sock exists; ours creates it first.
# shellcheck disable=SC2016
SHOW='
dev=$1 ctl=$2
ip -4 -o addr; ip route; echo "mtu $(cat /sys/class/net/$dev/mtu)"
echo "--- resolv.conf"; cat /etc/resolv.conf
echo "--- hosts"; cat /etc/hosts
n=0; until [ -S "$ROOTLESSKIT_STATE_DIR/api.sock" ]; do n=$((n + 1)); [ $n -lt 500 ] || exit 9; sleep 0.01; done
echo "--- info"; "$ctl" --socket "$ROOTLESSKIT_STATE_DIR/api.sock" info --json | jq -c "del(.version, .childPID, .stateDir)"
'

# compare DEV FLAGS...: ours and Debian's print the same.
compare() {
  local dev=$1
  shift
  run "$REF_ROOTLESSKIT" "$@" sh -c "$SHOW" sh "$dev" "$REF_ROOTLESSCTL"
  assert_rc 0 "Debian's rootlesskit $*"
  local reference=$OUT
  rk "$@" sh -c "$SHOW" sh "$dev" "$ROOTLESSCTL"
  assert_rc 0 "rootlesskit $*"
  assert_eq "$reference" "$OUT" "network seen by COMMAND with $* (Debian's vs ours)"
}

# Defaults: 10.0.2.100/24 via 10.0.2.2 on tap0, MTU 65520, DNS 10.0.2.3.
rk --net=slirp4netns --copy-up=/etc --disable-host-loopback sh -c "$SHOW" sh tap0 "$ROOTLESSCTL"
assert_rc 0 "defaults"
assert_contains "$OUT" "tap0    inet 10.0.2.100/24 scope global tap0" "address"
assert_contains "$OUT" "default via 10.0.2.2 dev tap0" "route"
assert_contains "$OUT" "mtu 65520" "MTU"
assert_contains "$OUT" $'--- resolv.conf\nnameserver 10.0.2.3\n--- hosts' "resolv.conf"
assert_contains "$OUT" $'\n127.0.0.1 '"$(hostname)"$'\n::1 '"$(hostname)"$'\n--- info' "hosts"
assert_contains "$OUT" '"networkDriver":{"driver":"slirp4netns","dns":["10.0.2.3"],"childIP":"10.0.2.100"}' "info"
assert_not_contains "$ERR" "Mounting /etc/resolv.conf without copying-up /etc" "warning with --copy-up=/etc"
compare tap0 --net=slirp4netns --copy-up=/etc --disable-host-loopback
compare eth7 --net=slirp4netns --copy-up=/etc --cidr=10.0.5.0/24 --mtu=1500 --ifname=eth7 --disable-host-loopback
assert_contains "$OUT" "eth7    inet 10.0.5.100/24 scope global eth7" "custom cidr address"
assert_contains "$OUT" "default via 10.0.5.2 dev eth7" "custom cidr route"
assert_contains "$OUT" "mtu 1500" "custom MTU"
assert_contains "$OUT" "nameserver 10.0.5.3" "custom cidr DNS"

# Without --copy-up=/etc: upstream's warning, the files still bind-mounted from the state dir.
rk --net=slirp4netns --disable-host-loopback sh -c 'cat /etc/resolv.conf; grep -c . "$ROOTLESSKIT_STATE_DIR/hosts"'
assert_rc 0 "without --copy-up=/etc"
assert_contains "$ERR" "Mounting /etc/resolv.conf without copying-up /etc. Note that /etc/resolv.conf in the namespace will be unmounted when it is recreated on the host." "warning"
assert_contains "$OUT" "nameserver 10.0.2.3" "bind-mounted resolv.conf"
grep -q 10.0.2.3 /etc/resolv.conf && fail "the host's /etc/resolv.conf was modified"

# --disable-host-loopback: a listener on the host's 127.0.0.1 only, reached as 10.0.2.2.
port=$(free_port)
bg listener socat -T5 "TCP4-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" SYSTEM:'echo hello-from-host'
_poll "listener on 127.0.0.1:$port" "$WAIT_TIMEOUT" eval "socat -T1 - TCP4:127.0.0.1:$port </dev/null >/dev/null 2>&1"
# shellcheck disable=SC2016
CONNECT='timeout 5 bash -c "exec 3<>/dev/tcp/10.0.2.2/$1 && head -n1 <&3"'
rk --net=slirp4netns sh -c "$CONNECT" sh "$port"
assert_rc 0 "host loopback without --disable-host-loopback"
assert_eq hello-from-host "$OUT"
rk --net=slirp4netns --disable-host-loopback sh -c "$CONNECT" sh "$port"
assert_ne 0 "$RC" "exit code of a connection to the host's loopback with --disable-host-loopback"
assert_ne 124 "$RC" "--disable-host-loopback should refuse at once, not time out"

# Sandbox and seccomp, explicit and auto: slirp4netns gets the flags and still forwards.
for modes in "--slirp4netns-sandbox=true --slirp4netns-seccomp=true" \
  "--slirp4netns-sandbox=auto --slirp4netns-seccomp=auto"; do
  # shellcheck disable=SC2086
  rk --net=slirp4netns --debug $modes sh -c "$CONNECT" sh "$port"
  assert_rc 0 "$modes"
  assert_eq hello-from-host "$OUT" "$modes"
  assert_contains "$ERR" "--enable-sandbox --enable-seccomp" "slirp4netns argv with $modes"
done
rk --net=slirp4netns --slirp4netns-sandbox=maybe true
assert_rc 1
assert_contains "$ERR" 'unsupported slirp4netns-sandbox mode: "maybe"'

# --ipv6: DNS fd00::3 too, and an fd00::/64 address by SLAAC from slirp.
# shellcheck disable=SC2016
rk --net=slirp4netns --ipv6 --disable-host-loopback sh -c '
  cat /etc/resolv.conf
  n=0; until ip -6 -o addr show dev tap0 scope global | grep -q " fd00::"; do
    n=$((n + 1)); [ $n -lt 250 ] || exit 9; sleep 0.02; done
  ip -6 route show default'
assert_rc 0 "--ipv6 (no SLAAC address within 5s?)"
assert_contains "$OUT" $'nameserver 10.0.2.3\nnameserver fd00::3' "resolv.conf with --ipv6"
assert_contains "$OUT" "default via fe80::2 dev tap0" "IPv6 default route"
assert_contains "$ERR" "ipv6 is experimental"

# A missing slirp4netns is reported before anything is created, saying what to install.
rk --net=slirp4netns --slirp4netns-binary=no-such-slirp4netns true
assert_rc 1
assert_contains "$ERR" '[rootlesskit:parent] error: slirp4netns binary "no-such-slirp4netns" is not installed: exec: "no-such-slirp4netns": executable file not found in $PATH'
assert_contains "$ERR" "install the slirp4netns package"
assert_eq "" "$(find "$TMPDIR" -mindepth 1 -maxdepth 1 -name 'rootlesskit*')" "state dirs left"

# slirp4netns failing at start: its status and output in the error, nothing left behind.
cat >"$T/failing-slirp4netns" <<'SCRIPT'
#!/bin/sh
[ "$1" = --help ] && exec slirp4netns --help
echo "cannot do it" >&2
exit 3
SCRIPT
chmod +x "$T/failing-slirp4netns"
rk --net=slirp4netns --slirp4netns-binary="$T/failing-slirp4netns" true
assert_rc 1
assert_contains "$ERR" "[rootlesskit:parent] error: failed to setup network: waiting for ready fd ([$T/failing-slirp4netns --mtu 65520 -r 3 "
assert_contains "$ERR" '): slirp4netns failed: exit status 3: "cannot do it"'
assert_eq "" "$(find "$TMPDIR" -mindepth 1 -maxdepth 1 -name 'rootlesskit*')" "state dirs left"

# Killing slirp4netns while COMMAND runs: rootlesskit notices, kills COMMAND, exits non-zero.
state=$T/kill-state
bg kill "$ROOTLESSKIT" --net=slirp4netns --disable-host-loopback --state-dir="$state" sleep 1000
parent=$BG_PID
wait_for_socket "$state/api.sock"
child=$(<"$state/child_pid")
own_pid "$child"
slirp=$(pgrep -P "$parent" -x slirp4netns) || fail "no slirp4netns under rootlesskit $parent"
own_pid "$slirp"
command=$(pgrep -P "$child" -x sleep) || fail "no COMMAND under the child $child"
own_pid "$command"
kill -KILL "$slirp"
bg_wait "$parent"
assert_eq 1 "$BG_RC" "exit code after slirp4netns was killed"
assert_contains "$(cat "$T/kill.err")" "[rootlesskit:parent] error: slirp4netns exited: signal: killed"
for pid in "$child" "$command" "$slirp"; do
  wait_for_pid_exit "$pid" 10
done
[[ ! -e $state ]] || fail "state dir $state left behind"
