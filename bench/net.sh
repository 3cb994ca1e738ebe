#!/usr/bin/env bash
# Network throughput benchmark: iperf3 from inside the namespace to a server on the host's
# loopback (reached as 10.0.2.2 through slirp4netns), ours and Debian's rootlesskit in the same
# run, at MTU 1500 and 65520. Traffic stays on this machine. Prints Mbit/s and the ratio and
# rewrites the network section of docs/benchmarks.md.
# Usage: bench/net.sh [OUR_ROOTLESSKIT]   (as root it measures as the test user rktest)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REF=/usr/bin/rootlesskit
OURS=${1:-}
for candidate in "$OURS" "$REPO/build/bin/rootlesskit" "$REPO/build/test/bin/rootlesskit"; do
  [[ -n $candidate && -x $candidate ]] && OURS=$candidate && break
done
[[ -x ${OURS:-} ]] || { echo "no rootlesskit build found: pass its path as the argument" >&2; exit 1; }
OURS=$(readlink -f "$OURS")
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
PORT=${PORT:-15201}

as_user=()
if (($(id -u) == 0)); then
  as_user=(runuser -u rktest --)
fi

"${as_user[@]}" iperf3 --server --bind 127.0.0.1 --port "$PORT" --daemon --pidfile /tmp/rootlesskit-bench-iperf3.pid
trap 'kill "$(cat /tmp/rootlesskit-bench-iperf3.pid)" 2>/dev/null || true; rm -f /tmp/rootlesskit-bench-iperf3.pid' EXIT
sleep 0.5

# mbps BINARY MTU: Mbit/s received by the server for one client run inside the namespace.
mbps() {
  "${as_user[@]}" "$1" --net=slirp4netns --mtu="$2" --copy-up=/etc \
    iperf3 --client 10.0.2.2 --port "$PORT" --time "$SECONDS_PER_RUN" --json |
    jq -r '.end.sum_received.bits_per_second / 1e6 | floor'
}

rows=""
for mtu in 1500 65520; do
  echo "==> iperf3 via slirp4netns, MTU $mtu"
  ours=$(mbps "$OURS" "$mtu")
  ref=$(mbps "$REF" "$mtu")
  ratio=$(awk -v a="$ours" -v b="$ref" 'BEGIN { printf "%.2f", a / b }')
  echo "ours $ours Mbit/s, Debian $ref Mbit/s, ratio $ratio"
  rows+="| slirp4netns, MTU $mtu | $ours Mbit/s | $ref Mbit/s | $ratio |"$'\n'
done

# lxc-user-nic: the kernel path (veth on a bridge), to the bridge's own address.
source "$REPO/bench/net-lxc-user-nic.sh"
row=$(lxc_user_nic_row "$OURS" "$REF")
if [[ -n $row ]]; then
  rows+="$row"$'\n'
fi

summary="Measured $(date -u +%Y-%m-%d) on $(nproc) cores: \`bench/net.sh\`, iperf3 -t $SECONDS_PER_RUN from inside to 127.0.0.1 on the host (10.0.2.2), both implementations in the same run.

| path | ours | Debian rootlesskit 1.1.0 | ours / Debian |
|---|---|---|---|
${rows%$'\n'}"
echo
echo "$summary"

source "$REPO/bench/lib.sh"
update_results net.sh "Network throughput" "$summary"
