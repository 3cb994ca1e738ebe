#!/usr/bin/env bash
# Runs inside the rootlesskit namespace for bench/port.sh: the three servers the published ports
# lead to (tiny_http, iperf3, conn_hold), none forking per connection; touches READY_FILE once all
# listen, and stops them when rootlesskit passes on SIGTERM.
# Usage: port-inside.sh WORK_DIR READY_FILE
set -uo pipefail
work=$1 ready=$2
# shellcheck source=bench/port-lib.sh
source "$work/bin/port-lib.sh"

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; exit 0' TERM INT HUP
"$work/bin/tiny_http" 0.0.0.0 "$IN_HTTP" "$ready.count" &
pids+=($!)
iperf3 --server --bind 0.0.0.0 --port "$IN_IPERF" >/dev/null &
pids+=($!)
"$work/bin/conn_hold" serve 0.0.0.0 "$IN_HOLD" &
pids+=($!)
servers_listening() { listening tcp "$IN_HTTP" && listening tcp "$IN_IPERF" && listening tcp "$IN_HOLD"; }
wait_for "the servers inside" 20 servers_listening || exit 1
touch "$ready"
wait
