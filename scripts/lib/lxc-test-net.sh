#!/usr/bin/env bash
# Root-side fixture for --net=lxc-user-nic (tests/integration/test-net-lxc-user-nic.sh and
# bench/net.sh): an isolated bridge with an address of its own and a DHCP server bound only to it.
# Sourced by scripts/test.sh, or run directly as root: `scripts/lib/lxc-test-net.sh up USER|down`.
# shellcheck shell=bash
#
# What it makes, and why it reaches nothing else:
# - bridge rktbr0, 10.99.0.1/24, no member but the veths lxc-user-nic adds; IPv6 off on it;
#   net.ipv4.conf.rktbr0.forwarding=0, so nothing received on it is routed anywhere, whatever
#   the global ip_forward; no NAT rule anywhere.
# - dnsmasq bound only to rktbr0: DHCP for 10.99.0.100-150, router and DNS option 10.99.0.1,
#   DNS service off (--port=0: nothing answers on 10.99.0.1:53, no upstream is ever asked).
#   Leases of 2 min, the shortest dnsmasq allows (a run killed before it could release its
#   address frees it soon: 51 addresses must last a whole test and bench run); renewal time
#   T1 = 3 s, so a test sees the lease keeper renew; no ping before an offer (3 s per start).
# - /etc/lxc/lxc-usernet: "USER veth rktbr0 10", so the setuid lxc-user-nic lets USER attach.

LXC_TEST_BRIDGE=rktbr0
LXC_TEST_BRIDGE_ADDR=10.99.0.1
LXC_TEST_RUN_DIR=/run/rootlesskit-lxc-test
LXC_TEST_USERNET=/etc/lxc/lxc-usernet

# lxc_test_net_up USER: creates the fixture (idempotent) for USER.
lxc_test_net_up() {
  local user=$1 line
  lxc_test_net_down
  mkdir -p "$LXC_TEST_RUN_DIR" /etc/lxc
  ip link add "$LXC_TEST_BRIDGE" type bridge
  sysctl -qw "net.ipv6.conf.$LXC_TEST_BRIDGE.disable_ipv6=1" 2>/dev/null || true # no IPv6 in the kernel: fine
  sysctl -qw "net.ipv4.conf.$LXC_TEST_BRIDGE.forwarding=0"
  ip addr add "$LXC_TEST_BRIDGE_ADDR/24" dev "$LXC_TEST_BRIDGE"
  ip link set "$LXC_TEST_BRIDGE" up
  dnsmasq --conf-file=/dev/null --pid-file="$LXC_TEST_RUN_DIR/dnsmasq.pid" \
    --dhcp-leasefile="$LXC_TEST_RUN_DIR/dnsmasq.leases" \
    --interface="$LXC_TEST_BRIDGE" --bind-interfaces --except-interface=lo --port=0 \
    --no-resolv --no-hosts --no-ping --dhcp-range=10.99.0.100,10.99.0.150,255.255.255.0,2m \
    --dhcp-option=option:T1,3 --dhcp-option=option:router,"$LXC_TEST_BRIDGE_ADDR" \
    --dhcp-option=option:dns-server,"$LXC_TEST_BRIDGE_ADDR" \
    --dhcp-authoritative --log-facility="$LXC_TEST_RUN_DIR/dnsmasq.log"
  line="$user veth $LXC_TEST_BRIDGE 10"
  touch "$LXC_TEST_USERNET"
  grep -qxF "$line" "$LXC_TEST_USERNET" || echo "$line" >>"$LXC_TEST_USERNET"
  echo "lxc-user-nic test network: $LXC_TEST_BRIDGE $LXC_TEST_BRIDGE_ADDR/24, dnsmasq pid $(cat "$LXC_TEST_RUN_DIR/dnsmasq.pid")"
}

# lxc_test_net_down: stops dnsmasq (by its pid file) and removes the bridge. The lxc-usernet
# line stays: it grants nothing once the bridge is gone.
lxc_test_net_down() {
  local pid
  if [[ -s $LXC_TEST_RUN_DIR/dnsmasq.pid ]]; then
    pid=$(cat "$LXC_TEST_RUN_DIR/dnsmasq.pid")
    if [[ $(cat "/proc/$pid/comm" 2>/dev/null) == dnsmasq ]]; then
      kill "$pid"
      while [[ -e /proc/$pid ]]; do sleep 0.05; done
    fi
    rm -f "$LXC_TEST_RUN_DIR/dnsmasq.pid" "$LXC_TEST_RUN_DIR/dnsmasq.leases"
  fi
  if ip link show "$LXC_TEST_BRIDGE" >/dev/null 2>&1; then
    ip link del "$LXC_TEST_BRIDGE"
  fi
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  case ${1:-} in
  up) lxc_test_net_up "${2:?usage: $0 up USER}" ;;
  down) lxc_test_net_down ;;
  *)
    echo "usage: $0 up USER | down" >&2
    exit 2
    ;;
  esac
fi
