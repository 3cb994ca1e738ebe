#!/usr/bin/env bash
# --net=pasta (Debian's passt 2023-03-09, which lacks --host-lo-to-ns-lo): address, route, MTU
# and resolv.conf for the default and a custom --cidr/--mtu/--ifname, `rootlessctl info`, the
# experimental warning once, upstream's argv; the host's 127.0.0.1 reached as 10.0.2.2;
# --port-driver=implicit (a listener inside on 0.0.0.0:PORT answers on the host's 127.0.0.1:PORT;
# the API has no port driver); --detach-netns; a missing or failing pasta; and no pasta left
# behind after a normal exit, a failing COMMAND, SIGKILL of the parent, or pasta's own death.
# Traffic: only to the host's loopback (directly, or as 10.0.2.2 from inside the namespace).
# --disable-host-loopback is checked in pasta's argv only: with --no-map-gw pasta would send a
# connection to 10.0.2.2 out through the host's real routes, which these tests never do.
source "$(dirname "$0")/lib.sh"
require_cmd pasta socat jq ip nsenter
[[ -x $ROOTLESSCTL ]] || fail "rootlessctl under test not found: ROOTLESSCTL=$ROOTLESSCTL"

# shellcheck disable=SC2016
SHOW='
dev=$1 ctl=$2
ip -4 -o addr; ip route; echo "mtu $(cat /sys/class/net/$dev/mtu)"
echo "--- resolv.conf"; cat /etc/resolv.conf
echo "--- info"; "$ctl" --socket "$ROOTLESSKIT_STATE_DIR/api.sock" info --json | jq -c "del(.version, .childPID, .stateDir)"
'
WARNING='network driver is experimental. Needs very recent version of pasta (see docs/network.md).'

# pasta_gone STATE: the pasta whose PID rootlesskit recorded in STATE has exited.
pasta_gone() {
  local pid
  pid=$(cat "$1/pasta.pid" 2>/dev/null) || fail "no pasta.pid in $1"
  ! pid_alive "$pid"
}

# Defaults: 10.0.2.100/24 via 10.0.2.2 on tap0, MTU 65520, DNS 10.0.2.3, all set by pasta.
rk --net=pasta --copy-up=/etc --disable-host-loopback --debug sh -c "$SHOW" sh tap0 "$ROOTLESSCTL"
assert_rc 0 "defaults"
assert_contains "$OUT" "tap0    inet 10.0.2.100/24 scope global tap0" "address"
assert_contains "$OUT" "default via 10.0.2.2 dev tap0" "route"
assert_contains "$OUT" "mtu 65520" "MTU"
assert_contains "$OUT" $'--- resolv.conf\nnameserver 10.0.2.3\n--- info' "resolv.conf"
assert_contains "$OUT" '{"apiVersion":"1.1.1","networkDriver":{"driver":"pasta","dns":["10.0.2.3"],"childIP":"10.0.2.100"}}' "info"
assert_eq 1 "$(grep -cF "$WARNING" <<<"$ERR")" "number of experimental warnings"
assert_contains "$ERR" " --stderr --ns-ifname=tap0 --mtu=65520 --config-net --address=10.0.2.100 --netmask=24 --gateway=10.0.2.2 --dns-forward=10.0.2.3 --no-map-gw --ipv4-only --tcp-ports=none --udp-ports=none --pid=" "pasta argv"
assert_contains "$ERR" "pasta supports --host-lo-to-ns-lo: false" "feature probe"

rk --net=pasta --copy-up=/etc --cidr=10.0.5.0/24 --mtu=1500 --ifname=eth7 --disable-host-loopback sh -c "$SHOW" sh eth7 "$ROOTLESSCTL"
assert_rc 0 "custom cidr/mtu/ifname"
assert_contains "$OUT" "eth7    inet 10.0.5.100/24 scope global eth7" "custom cidr address"
assert_contains "$OUT" "default via 10.0.5.2 dev eth7" "custom cidr route"
assert_contains "$OUT" "mtu 1500" "custom MTU"
assert_contains "$OUT" "nameserver 10.0.5.3" "custom cidr DNS"

# The host's loopback as 10.0.2.2 (pasta maps the gateway to it unless --no-map-gw).
port=$(free_port)
bg listener socat -T5 "TCP4-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" SYSTEM:'echo hello-from-host'
_poll "listener on 127.0.0.1:$port" "$WAIT_TIMEOUT" eval "socat -T1 - TCP4:127.0.0.1:$port </dev/null >/dev/null 2>&1"
# shellcheck disable=SC2016
rk --net=pasta sh -c 'timeout 5 bash -c "exec 3<>/dev/tcp/10.0.2.2/$1 && head -n1 <&3"' sh "$port"
assert_rc 0 "host loopback without --disable-host-loopback"
assert_eq hello-from-host "$OUT"

# --port-driver=implicit: pasta itself forwards what is bound inside (it scans the namespace's
# /proc/net/tcp about once a second). The API has no port driver.
port=$(free_port)
state=$T/implicit-state
bg implicit "$ROOTLESSKIT" --net=pasta --port-driver=implicit --disable-host-loopback --state-dir="$state" \
  socat -T5 "TCP4-LISTEN:$port,reuseaddr,fork" SYSTEM:'echo hello-from-namespace'
parent=$BG_PID
wait_for_socket "$state/api.sock"
own_pid "$(<"$state/child_pid")"
answer() { [[ $(socat -T1 - "TCP4:127.0.0.1:$port" </dev/null 2>/dev/null) == hello-from-namespace ]]; }
_poll "pasta to forward 127.0.0.1:$port into the namespace" "$WAIT_TIMEOUT" answer
run "$ROOTLESSCTL" --socket "$state/api.sock" list-ports
assert_rc 1 "list-ports with the implicit port driver"
assert_contains "$ERR" "no PortDriver is available"
run "$ROOTLESSCTL" --socket "$state/api.sock" info --json
assert_eq null "$(jq -c .portDriver <<<"$OUT")" "portDriver in info"
assert_contains "$(cat "$T/implicit.err")" "$WARNING"
pasta_pid=$(<"$state/pasta.pid")
kill -TERM "$parent"
bg_wait "$parent"
wait_for_pid_exit "$pasta_pid" 10
rk --net=pasta --port-driver=implicit --debug true
assert_rc 0
assert_contains "$ERR" "--tcp-ports=auto --udp-ports=auto" "pasta argv with --port-driver=implicit"

# --detach-netns: COMMAND stays in the host's netns; the detached one is configured by pasta.
# shellcheck disable=SC2016
rk --net=pasta --detach-netns --disable-host-loopback --debug sh -c '
  ip -4 -o addr | grep -c " 10.0.2.100/" || true
  nsenter --net="$ROOTLESSKIT_STATE_DIR/netns" sh -c "ip -4 -o addr; ip route"'
assert_rc 0 "--detach-netns"
assert_contains "$OUT" $'0\n' "no pasta address in the host's netns"
assert_contains "$OUT" "tap0    inet 10.0.2.100/24 scope global tap0" "address in the detached netns"
assert_contains "$OUT" "default via 10.0.2.2 dev tap0" "route in the detached netns"
assert_contains "$ERR" "--userns=/proc/" "detached pasta argv"
assert_contains "$ERR" "/netns" "detached pasta argv"

# No pasta left behind: normal exit, COMMAND failing, SIGKILL of the parent.
# shellcheck disable=SC2016
rk --net=pasta --state-dir="$T/s1" sh -c 'cat "$ROOTLESSKIT_STATE_DIR/pasta.pid" >"$1"' sh "$T/pid1"
assert_rc 0
wait_for_pid_exit "$(<"$T/pid1")" 10
# shellcheck disable=SC2016
rk --net=pasta sh -c 'cat "$ROOTLESSKIT_STATE_DIR/pasta.pid" >"$1"; exit 3' sh "$T/pid2"
assert_rc 3 "exit code of a failing COMMAND"
wait_for_pid_exit "$(<"$T/pid2")" 10

state=$T/kill-state
bg kill "$ROOTLESSKIT" --net=pasta --state-dir="$state" sleep 1000
parent=$BG_PID
wait_for_socket "$state/api.sock"
child=$(<"$state/child_pid")
own_pid "$child"
pasta_pid=$(<"$state/pasta.pid")
kill -KILL "$parent"
bg_wait "$parent"
wait_for_pid_exit "$child" 10
wait_for_pid_exit "$pasta_pid" 10 # killed by rootlesskit's watchdog, not by the namespace's end

# pasta dying while COMMAND runs ends the run with an error, as slirp4netns does.
state=$T/die-state
bg die "$ROOTLESSKIT" --net=pasta --state-dir="$state" sleep 1000
parent=$BG_PID
wait_for_socket "$state/api.sock"
own_pid "$(<"$state/child_pid")"
pasta_pid=$(<"$state/pasta.pid")
kill -KILL "$pasta_pid"
bg_wait "$parent"
assert_eq 1 "$BG_RC" "exit code after pasta was killed"
assert_contains "$(cat "$T/die.err")" "[rootlesskit:parent] error: pasta (PID $pasta_pid) exited"
[[ ! -e $state ]] || fail "state dir $state left behind"

# A missing pasta says what to install; a failing one shows its exit code and output.
rk --net=pasta --pasta-binary=no-such-pasta true
assert_rc 1
assert_contains "$ERR" '[rootlesskit:parent] error: exec: "no-such-pasta": executable file not found in $PATH'
assert_contains "$ERR" "apt-get install passt"
cat >"$T/failing-pasta" <<'SCRIPT'
#!/bin/sh
[ "$1" = --version ] && exec pasta --version
[ "$1" = --host-lo-to-ns-lo ] && exit 1
echo "cannot do it" >&2
exit 3
SCRIPT
chmod +x "$T/failing-pasta"
rk --net=pasta --pasta-binary="$T/failing-pasta" true
assert_rc 1
assert_contains "$ERR" $'[rootlesskit:parent] error: failed to setup network: pasta failed with exit code 3:\ncannot do it'
cat >"$T/broken-pasta" <<'SCRIPT'
#!/bin/sh
echo "broken" >&2
exit 2
SCRIPT
chmod +x "$T/broken-pasta"
rk --net=pasta --pasta-binary="$T/broken-pasta" true
assert_rc 1
assert_contains "$ERR" "command \"$T/broken-pasta --version\" failed, make sure pasta is installed: \"broken\": exit status 2"
assert_eq "" "$(find "$TMPDIR" -mindepth 1 -maxdepth 1 -name 'rootlesskit*')" "state dirs left"
