# Helpers of bench/port.sh (sourced; bench/port-inside.sh uses the first two inside the namespace):
# readiness polls, rootlesskit instances with published ports, process accounting from /proc, and
# the wrk/iperf3 clients. Expects $work, DURATION and the as_user array from bench/port.sh.
# shellcheck shell=bash disable=SC2154 # work, as_user and DURATION are set by bench/port.sh

# The ports the servers listen on inside every namespace (each instance has its own).
IN_HTTP=8080 IN_IPERF=5201 IN_HOLD=9000

# listening PROTO PORT: whether this network namespace has a socket on PORT: a TCP listener
# (/proc/net/tcp or tcp6, state 0A) or a bound UDP socket (/proc/net/udp or udp6).
listening() {
  local hex files
  hex=$(printf ':%04X' "$2")
  files=("/proc/net/$1" "/proc/net/${1}6")
  awk -v p="$hex" -v tcp="$([[ $1 == tcp ]] && echo 1)" '
    FNR > 1 && substr($2, length($2) - 4) == p && (!tcp || $4 == "0A") { found = 1 }
    END { exit !found }' "${files[@]}" 2>/dev/null
}

# wait_for WHAT SECONDS COMMAND...: polls COMMAND every 20 ms until it succeeds.
wait_for() {
  local what=$1 deadline=$((SECONDS + $2))
  shift 2
  until "$@"; do
    if ((SECONDS >= deadline)); then
      echo "timed out waiting for $what" >&2
      return 1
    fi
    sleep 0.02
  done
}

# descendants PID: every process below PID (children, their children, ...).
descendants() {
  ps -e -o pid=,ppid= | awk -v root="$1" '
    { up[$1] = $2 }
    END { for (p in up) { q = up[p]; while (q != "" && q != root && q > 1) { q = up[q] } if (q == root) print p } }'
}

# all_gone PID...: whether none of the processes is alive any more.
all_gone() {
  local pid
  for pid; do
    kill -0 "$pid" 2>/dev/null && return 1
  done
  return 0
}

# stop_tree PID: SIGTERM to PID and everything below it, SIGKILL to what is left after 5 s.
# Only used on processes this benchmark started.
stop_tree() {
  local pids
  read -ra pids <<<"$1 $(descendants "$1" | tr '\n' ' ')"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait_for "${pids[*]} to exit" 5 all_gone "${pids[@]}" 2>/dev/null || kill -KILL "${pids[@]}" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# start_instance NAME BINARY PORT_DRIVER BASE: runs BINARY (as the test user) with slirp4netns and
# bench/port-inside.sh inside, publishing 127.0.0.1:BASE -> tiny_http, BASE+1 -> iperf3 (tcp and
# udp) and BASE+2 -> conn_hold. Returns once everything listens and one HTTP request went through.
declare -A LAUNCHER PARENT BASE
start_instance() {
  local name=$1 bin=$2 driver=$3 base=$4 state=$work/state-$1
  BASE[$name]=$base
  rm -rf "$state" "$work/ready-$name"
  "${as_user[@]}" "$bin" --state-dir="$state" --net=slirp4netns --mtu=65520 --port-driver="$driver" \
    -p "127.0.0.1:$base:$IN_HTTP/tcp" -p "127.0.0.1:$((base + 1)):$IN_IPERF/tcp" \
    -p "127.0.0.1:$((base + 1)):$IN_IPERF/udp" -p "127.0.0.1:$((base + 2)):$IN_HOLD/tcp" \
    "$work/bin/port-inside.sh" "$work" "$work/ready-$name" >"$work/$name.log" 2>&1 &
  LAUNCHER[$name]=$!
  if ! wait_for "$name to publish its ports" 30 instance_ready "$name" ||
    ! curl -fsS -m 5 -o /dev/null "http://127.0.0.1:$base/"; then
    echo "$name ($bin --port-driver=$driver) did not forward; its log:" >&2
    tail -n 5 "$work/$name.log" >&2
    stop_tree "${LAUNCHER[$name]}"
    unset "LAUNCHER[$name]"
    return 1
  fi
  PARENT[$name]=$(ps -o ppid= -p "$(<"$state/child_pid")" | tr -d ' ')
}

instance_ready() {
  local base=${BASE[$1]}
  [[ -f $work/ready-$1 ]] && listening tcp "$base" && listening tcp $((base + 1)) &&
    listening udp $((base + 1)) && listening tcp $((base + 2))
}

# stop_instance NAME: SIGTERM to the rootlesskit parent (its own clean-up runs), then the tree.
stop_instance() {
  [[ -n ${LAUNCHER[$1]:-} ]] || return 0
  kill -TERM "${PARENT[$1]}" 2>/dev/null || true
  wait_for "$1 to stop" 10 all_gone "${LAUNCHER[$1]}" || true
  stop_tree "${LAUNCHER[$1]}"
  unset "LAUNCHER[$1]"
}

# exe_pids ROOT EXE: ROOT and each process below it that runs the binary EXE.
exe_pids() {
  local pid
  for pid in "$1" $(descendants "$1"); do
    [[ $(readlink "/proc/$pid/exe" 2>/dev/null) == "$2" ]] && echo "$pid"
  done
  return 0
}

# rk_pids NAME: the instance's own processes: the parent and every descendant running the same
# binary (the child re-executes /proc/self/exe; the command and slirp4netns do not count).
rk_pids() {
  local parent=${PARENT[$1]}
  exe_pids "$parent" "$(readlink "/proc/$parent/exe")"
}

# cpu_ticks PID...: utime + stime of the processes, all their threads included (the totals of
# /proc/PID/stat cover every thread, also exited ones); fails if one of them is gone.
cpu_ticks() {
  local pid stats=""
  for pid; do
    stats+=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null)$'\n' || return 1
  done
  awk '{ t += $12 + $13 } END { print t + 0 }' <<<"$stats"
}

# rss_kb PID...: the sum of VmRSS.
rss_kb() {
  local pid
  for pid; do cat "/proc/$pid/status"; done | awk '/^VmRSS:/ { t += $2 } END { print t + 0 }'
}

# pss_kb PID...: the sum of Pss (each shared page split among the processes mapping it: libc's
# pages, and with ours the pages the child still shares with the parent it was cloned from).
pss_kb() {
  local pid
  for pid; do cat "/proc/$pid/smaps_rollup"; done | awk '/^Pss:/ { t += $2 } END { print t + 0 }'
}

# http_run PORT COUNTER_FILE: prints "req/s mean_ms p99_ms accepts_per_request" of one wrk run
# with a new connection per request; fails if the server accepted fewer connections than wrk
# completed requests (wrk kept a connection alive) or more than 1% of the requests failed.
http_run() {
  local before after out
  before=$(od -An -tu8 "$2" | tr -d ' ')
  out=$(timeout $((DURATION + 30)) "${as_user[@]}" wrk -t2 -c4 -d"${DURATION}s" --latency \
    -H 'Connection: close' -s "$work/bin/wrk-result.lua" "http://127.0.0.1:$1/") || return 1
  after=$(od -An -tu8 "$2" | tr -d ' ')
  awk -v accepts=$((after - before)) '
    $1 == "wrk-result" {
      if ($2 == 0 || accepts < $2 || $6 > $2 / 100) { printf "wrk: %d requests, %d accepts, %d errors\n", $2, accepts, $6 > "/dev/stderr"; exit 1 }
      printf "%.0f %.3f %.3f %.4f\n", $2 / ($3 / 1e6), $4 / 1000, $5 / 1000, accepts / $2; ok = 1 }
    END { exit !ok }' <<<"$out"
}

# iperf_run PORT ARGS...: prints "bits_per_second bytes lost_percent" as the receiver counted them.
iperf_run() {
  local port=$1 out
  shift
  out=$(timeout $((DURATION + 30)) "${as_user[@]}" iperf3 --client 127.0.0.1 --port "$port" \
    --time "$DURATION" --connect-timeout 5000 --json "$@") || true
  jq -er 'if .error then error(.error) else .end.sum_received |
    "\(.bits_per_second) \(.bytes) \(.lost_percent // 0)" end' <<<"$out"
}
