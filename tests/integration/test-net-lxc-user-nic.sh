#!/usr/bin/env bash
# --net=lxc-user-nic: the setuid lxc-user-nic puts a veth on bridge rktbr0 and the child learns
# its address by DHCP from the bridge's dnsmasq: address in 10.99.0.100-150/24, default route via
# 10.99.0.1, MTU, resolv.conf, TCP to a listener on 10.99.0.1, `rootlessctl info`, lease renewal
# and release, --detach-netns, custom --mtu/--ifname, the same view as Debian's rootlesskit, the
# errors for a missing binary or lxc-usernet entry, and no veth or process left behind.
# Needs the root-side fixture of scripts/lib/lxc-test-net.sh (scripts/test.sh sets it up).
# Traffic goes only to 10.99.0.1, the fixture bridge's own address (no forwarding, no NAT).
source "$(dirname "$0")/lib.sh"
require_cmd ip jq socat
[[ -x $ROOTLESSCTL ]] || fail "rootlessctl under test not found: ROOTLESSCTL=$ROOTLESSCTL"
BRIDGE=rktbr0
BRIDGE_ADDR=10.99.0.1
LXC_USER_NIC=/usr/libexec/lxc/lxc-user-nic
[[ -u $LXC_USER_NIC ]] || fail "$LXC_USER_NIC is missing or not setuid: scripts/install-deps.sh installs liblxc-common"
ip -4 -o addr show dev "$BRIDGE" 2>/dev/null | grep -q " $BRIDGE_ADDR/24 " ||
  fail "no bridge $BRIDGE with $BRIDGE_ADDR/24: run 'sudo scripts/lib/lxc-test-net.sh up $(id -un)' (scripts/test.sh does)"
grep -qE "^$(id -un)[[:space:]]+veth[[:space:]]+${BRIDGE}[[:space:]]" /etc/lxc/lxc-usernet ||
  fail "/etc/lxc/lxc-usernet has no line for $(id -un) on $BRIDGE: scripts/lib/lxc-test-net.sh adds it"
LXC=(--net=lxc-user-nic --lxc-user-nic-bridge="$BRIDGE")

# veths on the bridge (their host ends), one name per line.
bridge_veths() { ip -o link show master "$BRIDGE" | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'; }
before=$(bridge_veths)
veths_as_before() { [[ $(bridge_veths) == "$before" ]]; }

# What COMMAND sees of its network, then the API's view once api.sock answers.
# shellcheck disable=SC2016
SHOW='
dev=$1 ctl=$2
ip -4 -o addr; ip route; echo "mtu $(cat /sys/class/net/$dev/mtu)"
echo "--- resolv.conf"; cat /etc/resolv.conf
n=0; until [ -S "$ROOTLESSKIT_STATE_DIR/api.sock" ]; do n=$((n + 1)); [ $n -lt 500 ] || exit 9; sleep 0.01; done
echo "--- info"; "$ctl" --socket "$ROOTLESSKIT_STATE_DIR/api.sock" info --json | jq -c "del(.version, .childPID, .stateDir)"
'
# The lease's address, in the output of SHOW for DEV.
leased_ip() { sed -n "s/^[0-9]*: $1 *inet \(10\.99\.0\.[0-9]*\)\/24 .*/\1/p" <<<"$OUT"; }
in_pool() { [[ $1 =~ ^10\.99\.0\.([0-9]+)$ ]] && ((BASH_REMATCH[1] >= 100 && BASH_REMATCH[1] <= 150)); }

# Defaults: eth0, a DHCP address of the pool, route and DNS from DHCP, MTU 1500.
rk "${LXC[@]}" --copy-up=/etc sh -c "$SHOW" sh eth0 "$ROOTLESSCTL"
assert_rc 0 "defaults"
ip=$(leased_ip eth0)
in_pool "$ip" || fail "eth0 has no address of the DHCP pool 10.99.0.100-150/24: $OUT"
assert_contains "$OUT" "default via $BRIDGE_ADDR dev eth0" "default route"
assert_contains "$OUT" "mtu 1500" "MTU"
assert_contains "$OUT" $'--- resolv.conf\nnameserver 10.99.0.1\n--- info' "resolv.conf"
assert_contains "$OUT" '"networkDriver":{"driver":"lxc-user-nic","dynamicChildIP":true}' "info"
assert_contains "$ERR" '\"lxc-user-nic\" network driver is experimental' "warning"
assert_contains "$ERR" "--disable-host-loopback is implicitly set for lxc-user-nic" "warning"

# Debian's rootlesskit shows COMMAND the same network, but for the leased address.
ours=${OUT//$ip/LEASED}
run "$REF_ROOTLESSKIT" "${LXC[@]}" --copy-up=/etc sh -c "$SHOW" sh eth0 "$REF_ROOTLESSCTL"
assert_rc 0 "Debian's rootlesskit"
ref_ip=$(leased_ip eth0)
in_pool "$ref_ip" || fail "Debian's rootlesskit got no address of the pool: $OUT"
assert_eq "${OUT//$ref_ip/LEASED}" "$ours" "network seen by COMMAND (Debian's vs ours)"

# Custom --mtu and --ifname.
rk "${LXC[@]}" --mtu=1400 --ifname=veth7 sh -c "$SHOW" sh veth7 "$ROOTLESSCTL"
assert_rc 0 "custom --mtu/--ifname"
in_pool "$(leased_ip veth7)" || fail "veth7 has no address of the pool: $OUT"
assert_contains "$OUT" "default via $BRIDGE_ADDR dev veth7" "custom ifname route"
assert_contains "$OUT" "mtu 1400" "custom MTU"

# TCP to a listener on the bridge's own address, and only there.
port=$(free_port)
bg listener socat -T5 "TCP4-LISTEN:$port,bind=$BRIDGE_ADDR,reuseaddr,fork" SYSTEM:'echo hello-from-bridge'
_poll "listener on $BRIDGE_ADDR:$port" "$WAIT_TIMEOUT" eval "socat -T1 - TCP4:$BRIDGE_ADDR:$port </dev/null >/dev/null 2>&1"
# shellcheck disable=SC2016
CONNECT='timeout 5 bash -c "exec 3<>/dev/tcp/$1/$2 && head -n1 <&3"'
rk "${LXC[@]}" sh -c "$CONNECT" sh "$BRIDGE_ADDR" "$port"
assert_rc 0 "connection to $BRIDGE_ADDR:$port"
assert_eq hello-from-bridge "$OUT"

# A running instance: the lease keeper renews (the fixture's T1 is 3 s); when the instance ends,
# the address is released and the veth goes with the namespace.
start_instance lxc "$ROOTLESSKIT" --debug "${LXC[@]}"
_poll "a lease renewal" 15 grep -q "dhcp: renewed the lease of 10.99.0." "$T/lxc.err"
veth=$(sed -n 's/.*lxc-user-nic attached \(veth[^ ]*\) to bridge .*/\1/p' "$T/lxc.err")
[[ -n $veth ]] || fail "no 'lxc-user-nic attached' debug line: $(cat "$T/lxc.err")"
bridge_veths | grep -qxF "$veth" || fail "$veth is not on $BRIDGE while the instance runs"
stop_instance lxc "$PARENT"
_poll "$veth to disappear" "$WAIT_TIMEOUT" eval "! ip link show '$veth' >/dev/null 2>&1"

# --detach-netns: COMMAND stays in the host's netns; the detached one has the lease.
# shellcheck disable=SC2016
rk "${LXC[@]}" --detach-netns sh -c 'nsenter --net="$ROOTLESSKIT_STATE_DIR/netns" sh -c "ip -4 -o addr; ip route"
  echo "--- state resolv.conf"; cat "$ROOTLESSKIT_STATE_DIR/resolv.conf"
  echo "--- host netns"; ip -4 -o addr show dev eth0 2>&1 | head -n1'
assert_rc 0 "--detach-netns"
in_pool "$(leased_ip eth0)" || fail "the detached netns has no address of the pool: $OUT"
assert_contains "$OUT" "default via $BRIDGE_ADDR dev eth0" "detached route"
assert_contains "$OUT" $'--- state resolv.conf\nnameserver 10.99.0.1' "detached resolv.conf"
assert_not_contains "${OUT#*--- host netns}" "10.99.0." "COMMAND's (host) netns"

# Errors: a missing binary says what to install; a bridge without an lxc-usernet entry says
# which line to add. Nothing is left behind.
rk --net=lxc-user-nic --lxc-user-nic-binary=/nonexistent/lxc-user-nic true
assert_rc 1
assert_contains "$ERR" '[rootlesskit:parent] error: lxc-user-nic binary "/nonexistent/lxc-user-nic" is not installed: exec: "/nonexistent/lxc-user-nic": stat /nonexistent/lxc-user-nic: no such file or directory'
assert_contains "$ERR" "apt-get install liblxc-common"
rk --net=lxc-user-nic --lxc-user-nic-bridge=rktnobr0 true
assert_rc 1
assert_contains "$ERR" "[rootlesskit:parent] error: failed to setup network: $LXC_USER_NIC create /dev/null dummy "
assert_contains "$ERR" "as root, add the line \"$(id -un) veth rktnobr0 10\" to /etc/lxc/lxc-usernet"
assert_eq "" "$(find "$TMPDIR" -mindepth 1 -maxdepth 1 -name 'rootlesskit*')" "state dirs left"

_poll "the test's veths to disappear" "$WAIT_TIMEOUT" veths_as_before
