#!/usr/bin/env bash
# --net=lxc-user-nic throughput: iperf3 from inside the namespace, over the veth that lxc-user-nic
# puts on the test bridge rktbr0, to a server bound to the bridge's own address 10.99.0.1 (the
# kernel path: no userspace network stack), ours and Debian's rootlesskit in the same run.
# Sourced by bench/net.sh (which adds the row to docs/benchmarks.md), or run alone:
#   bench/net-lxc-user-nic.sh [OUR_ROOTLESSKIT]
# The bridge and its DHCP server come from scripts/lib/lxc-test-net.sh: set up here (as root)
# when missing, and removed again afterwards. Traffic goes only to 10.99.0.1.

# lxc_user_nic_row OURS REF: prints one benchmarks.md table row, or nothing (with the reason on
# stderr) when the fixture is missing and we are not root to make it.
lxc_user_nic_row() {
  local ours_bin=$1 ref_bin=$2 repo user=rktest port=${LXC_PORT:-15202} seconds=${SECONDS_PER_RUN:-5}
  local made_fixture=false pidfile=/tmp/rootlesskit-bench-iperf3-lxc.pid ours ref ratio run=()
  repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  (($(id -u) == 0)) && run=(runuser -u "$user" --)
  # shellcheck source=/dev/null # scripts/lib/lxc-test-net.sh
  source "$repo/scripts/lib/lxc-test-net.sh"
  if ! ip -4 -o addr show dev "$LXC_TEST_BRIDGE" 2>/dev/null | grep -q " $LXC_TEST_BRIDGE_ADDR/"; then
    if (($(id -u) != 0)); then
      echo "lxc-user-nic: no bridge $LXC_TEST_BRIDGE; run as root (or 'sudo scripts/lib/lxc-test-net.sh up $(id -un)')" >&2
      return 0
    fi
    lxc_test_net_up "$user" >&2
    made_fixture=true
  fi
  "${run[@]}" iperf3 --server --bind "$LXC_TEST_BRIDGE_ADDR" --port "$port" --daemon --pidfile "$pidfile"
  sleep 0.5
  _lxc_mbps() {
    "${run[@]}" "$1" --net=lxc-user-nic --lxc-user-nic-bridge="$LXC_TEST_BRIDGE" \
      iperf3 --client "$LXC_TEST_BRIDGE_ADDR" --port "$port" --time "$seconds" --json 2>/dev/null |
      jq -r '.end.sum_received.bits_per_second / 1e6 | floor'
  }
  echo "==> iperf3 via lxc-user-nic (veth on $LXC_TEST_BRIDGE to $LXC_TEST_BRIDGE_ADDR), MTU 1500" >&2
  ours=$(_lxc_mbps "$ours_bin") || true
  ref=$(_lxc_mbps "$ref_bin") || true
  kill "$(cat "$pidfile")" 2>/dev/null || true
  rm -f "$pidfile"
  $made_fixture && lxc_test_net_down
  if [[ -z $ours || -z $ref ]]; then
    echo "lxc-user-nic: iperf3 failed (ours: '${ours}', Debian: '${ref}')" >&2
    return 0
  fi
  ratio=$(awk -v a="$ours" -v b="$ref" 'BEGIN { printf "%.2f", a / b }')
  echo "ours $ours Mbit/s, Debian $ref Mbit/s, ratio $ratio" >&2
  echo "| lxc-user-nic (veth on a bridge, to its 10.99.0.1), MTU 1500 | $ours Mbit/s | $ref Mbit/s | $ratio |"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  ours=${1:-}
  for candidate in "$ours" "$repo/build/bin/rootlesskit" "$repo/build/test/bin/rootlesskit"; do
    [[ -n $candidate && -x $candidate ]] && ours=$candidate && break
  done
  [[ -x ${ours:-} ]] || { echo "no rootlesskit build found: pass its path as the argument" >&2; exit 1; }
  lxc_user_nic_row "$(readlink -f "$ours")" /usr/bin/rootlesskit
fi
