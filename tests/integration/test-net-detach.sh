#!/usr/bin/env bash
# --detach-netns: COMMAND stays in the host's network namespace while the driver's namespace is
# bind-mounted at $ROOTLESSKIT_STATE_DIR/netns (an empty 0400 file on the host) and configured
# (lo up, tap address/route/MTU); /etc is not touched, hosts and resolv.conf are only written to
# the state dir; slirp4netns' sandbox is off for `auto`. For slirp4netns, vdeplug_slirp and none.
# Traffic to 10.0.2.2 only from inside the detached namespace (nsenter --net).
source "$(dirname "$0")/lib.sh"
require_cmd slirp4netns vde_plug socat nsenter ip

host_netns=$(readlink /proc/self/ns/net)
port=$(free_port)
bg listener socat -T5 "TCP4-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" SYSTEM:'echo hello-detached'
_poll "listener on 127.0.0.1:$port" "$WAIT_TIMEOUT" eval "socat -T1 - TCP4:127.0.0.1:$port </dev/null >/dev/null 2>&1"

# shellcheck disable=SC2016
SHOW='
readlink /proc/self/ns/net
stat -f -c %T "$ROOTLESSKIT_STATE_DIR/netns"
cmp -s /etc/resolv.conf "$1" && echo "host resolv.conf"
echo "--- state"; cat "$ROOTLESSKIT_STATE_DIR/resolv.conf"; tail -n2 "$ROOTLESSKIT_STATE_DIR/hosts"
echo "--- netns"
nsenter --net="$ROOTLESSKIT_STATE_DIR/netns" sh -c "
  ip -4 -o addr; ip route; ip -o link show | cut -d\" \" -f2,5
  [ -z \"\$1\" ] || timeout 5 bash -c \"exec 3<>/dev/tcp/10.0.2.2/\$1 && head -n1 <&3\"" sh "$2"
'
# The host's resolv.conf as COMMAND must see it (copied: it may be unreadable through a symlink).
cp /etc/resolv.conf "$T/host-resolv.conf"

for net in slirp4netns vdeplug_slirp; do
  rk --net=$net --detach-netns --copy-up=/etc --debug sh -c "$SHOW" sh "$T/host-resolv.conf" "$port"
  assert_rc 0 "--net=$net --detach-netns"
  mapfile -t lines <<<"$OUT"
  assert_eq "$host_netns" "${lines[0]}" "COMMAND's netns with --net=$net --detach-netns"
  assert_eq nsfs "${lines[1]}" "STATE/netns seen from COMMAND: a bind-mounted netns"
  assert_eq "host resolv.conf" "${lines[2]}" "/etc/resolv.conf is the host's with --detach-netns"
  assert_contains "$OUT" $'--- state\nnameserver 10.0.2.3\n127.0.0.1 '"$(hostname)" "state dir files"
  assert_contains "$OUT" "tap0    inet 10.0.2.100/24 scope global tap0" "address in the detached netns"
  assert_contains "$OUT" "lo    inet 127.0.0.1/8" "lo in the detached netns"
  assert_contains "$OUT" "default via 10.0.2.2 dev tap0" "route in the detached netns"
  assert_contains "$OUT" "hello-detached" "host loopback through the detached netns"
  assert_not_contains "$ERR" "Mounting /etc/resolv.conf" "warning with --detach-netns"
done

# slirp4netns is told the netns by path, and `auto` leaves its sandbox off (slirp4netns#317).
rk --net=slirp4netns --detach-netns --slirp4netns-sandbox=auto --slirp4netns-seccomp=auto --debug true
assert_rc 0
assert_contains "$ERR" "--enable-seccomp --userns-path=/proc/" "slirp4netns argv"
assert_contains "$ERR" "--netns-type=path /proc/" "slirp4netns argv"
assert_not_contains "$ERR" "--enable-sandbox" "sandbox with --detach-netns and auto"

# The MTU of the slirp4netns tap (65520) in the detached netns.
rk --net=slirp4netns --detach-netns sh -c 'nsenter --net="$ROOTLESSKIT_STATE_DIR/netns" ip -o link show tap0'
assert_rc 0
assert_contains "$OUT" "mtu 65520" "MTU in the detached netns"

# --net=none --detach-netns: the detached netns has only lo, up.
rk --net=none --detach-netns sh -c 'readlink /proc/self/ns/net; nsenter --net="$ROOTLESSKIT_STATE_DIR/netns" ip -o -4 addr'
assert_rc 0 "--net=none --detach-netns"
assert_eq "$host_netns" "$(head -n1 <<<"$OUT")" "COMMAND's netns with --net=none --detach-netns"
assert_contains "$OUT" "lo    inet 127.0.0.1/8" "lo in the detached none netns"

# On the host, STATE/netns is an empty 0400 file (the bind mount exists only in the child's
# mount namespace), like upstream's.
state=$T/state
bg detached "$ROOTLESSKIT" --net=slirp4netns --detach-netns --state-dir="$state" \
  sh -c 'n=0; until [ -e "$1" ]; do n=$((n + 1)); [ $n -lt 3000 ] || exit 9; sleep 0.02; done' sh "$T/go"
parent=$BG_PID
wait_for_socket "$state/api.sock"
own_pid "$(<"$state/child_pid")"
assert_eq "400 0" "$(stat -c '%a %s' "$state/netns")" "mode and size of STATE/netns on the host"
touch "$T/go"
bg_wait "$parent"
assert_eq 0 "$BG_RC" "exit code; stderr: $(cat "$T/detached.err")"
