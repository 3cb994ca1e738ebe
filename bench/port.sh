#!/usr/bin/env bash
# Port forwarding benchmark: our builtin port driver (and the slirp4netns one) against Debian's
# /usr/bin/rootlesskit 1.1.0 in the same run. Servers run inside the namespace, clients on the host
# through ports published on 127.0.0.1; each pair runs REPEATS times alternating ours/Debian and
# medians are kept. Limits come from the same run: the server reached directly, and
# bench/splice_relay. Prints one table and rewrites "Port forwarding" in docs/benchmarks.md.
# Usage: [ROOTLESSKIT=OUR_BINARY] [REPEATS=3] [DURATION=5] [PORT_BASE=28100] bench/port.sh
#   As root it measures as the test user rktest; a normal user needs a subuid range.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REF=/usr/bin/rootlesskit
REPEATS=${REPEATS:-3} DURATION=${DURATION:-5} PORT_BASE=${PORT_BASE:-28100}
HOLD_CONNECTIONS=100
fail() {
  echo "bench/port.sh: $*" >&2
  exit 1
}

OURS=${ROOTLESSKIT:-}
for candidate in "$OURS" "$REPO/build/dev/bin/rootlesskit" "$REPO/build/bin/rootlesskit"; do
  [[ -n $candidate && -x $candidate ]] && OURS=$candidate && break
done
[[ -x ${OURS:-} ]] || fail "no rootlesskit build found: set ROOTLESSKIT=path/to/rootlesskit"
OURS=$(readlink -f "$OURS")
BIN=${BENCH_BIN:-}
for candidate in "$BIN" "$(dirname "$OURS")/../bench" "$REPO/build/dev/bench" "$REPO/build/bench"; do
  [[ -n $candidate && -x $candidate/tiny_http && -x $candidate/splice_relay && -x $candidate/conn_hold ]] &&
    BIN=$candidate && break
done
[[ -x ${BIN:-}/tiny_http ]] ||
  fail "bench programs missing: cmake --build build/dev --target tiny_http splice_relay conn_hold (or set BENCH_BIN)"
for tool in wrk iperf3 hyperfine jq curl slirp4netns "$REF"; do
  command -v "$tool" >/dev/null || fail "$tool missing: apt-get install wrk iperf3 hyperfine jq curl slirp4netns rootlesskit"
done

# Everything the test user writes (state dirs, HOME, TMPDIR, counters) lives in one scratch dir.
work=$(mktemp -d /tmp/rootlesskit-bench-port.XXXXXX)
as_user=(env -u XDG_RUNTIME_DIR HOME="$work" TMPDIR="$work")
mkdir "$work/bin"
cp "$BIN"/{tiny_http,splice_relay,conn_hold} "$REPO"/bench/port-{lib,inside}.sh "$work/bin/"
cat >"$work/bin/wrk-result.lua" <<'EOF'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("wrk-result %d %d %.1f %.1f %d\n", summary.requests, summary.duration,
    latency.mean, latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout))
end
EOF
if (($(id -u) == 0)); then
  id rktest >/dev/null 2>&1 || fail "test user rktest missing: run scripts/test.sh once"
  as_user=(runuser -u rktest -- "${as_user[@]}")
  chown -R rktest: "$work"
fi
"${as_user[@]}" test -x "$OURS" || fail "$OURS is not executable by the test user"
source "$REPO/bench/port-lib.sh"
cd "$work"

baselines=()
cleanup() {
  local name pid
  for name in "${!LAUNCHER[@]}"; do stop_instance "$name"; done
  for pid in "${baselines[@]}"; do stop_tree "$pid"; done
  if [[ -n ${KEEP_WORK:-} ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

declare -A RESULTS BINARY=([ours]=$OURS [ref]=$REF)
declare -A MODE_ARGS=([single]="" [p4]="-P 4" [reverse]="-R" [udp0]="-u -b 0 -l 1460"
  [udp1g]="-u -b 1G -l 1460" [slirp_single]="" [slirp_reverse]="-R")
HZ=$(getconf CLK_TCK)
next_base=$((PORT_BASE + 10)) # PORT_BASE..+2: the host baselines; then 10 ports per instance

# record KEY VALUE: adds one measurement ("-" for a failed one) to KEY.
record() { RESULTS[$1]+="${2:--} "; }
# middle: the median of the numbers on stdin (one a line, sorted), "-" if there are none.
middle() {
  awk '{ v[NR] = $1 } END { if (!NR) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# median KEY: the median of KEY's numeric measurements, "-" if there are none.
median() { tr ' ' '\n' <<<"${RESULTS[$1]:-}" | awk '/^[0-9]/' | sort -g | middle; }
# rounds KEY WHO...: KEY's figures round by round, a line per round with WHO's side by side.
rounds() {
  local key=$1 who
  shift
  for who in "$@"; do echo "${RESULTS[$key|$who]:-}"; done |
    awk '{ for (i = 1; i <= NF; i++) line[i] = line[i] (NR > 1 ? " " : "") $i; if (NF > n) n = NF }
      END { for (i = 1; i <= n; i++) print line[i] }'
}
# paired KEY: ours / Debian round by round (the two ran back to back, in the same state of the
# machine), as "median (lowest-highest)"; "-" without a round where both have a figure.
paired() {
  local ratios
  ratios=$(rounds "$1" ours ref |
    awk '$1 ~ /^[0-9]/ && $2 ~ /^[0-9]/ && $2 > 0 { print $1 / $2 }' | sort -g)
  if [[ -z $ratios ]]; then
    echo -
    return
  fi
  printf '%.2f (%.2f-%.2f)\n' "$(middle <<<"$ratios")" "$(head -n 1 <<<"$ratios")" "$(tail -n 1 <<<"$ratios")"
}
# awk functions for row() and rounds_at_target(): num(X) says whether X is a figure ("-" is
# not); meets(TARGET, A, B) judges the exact ratio A / B, as a number (a printed ratio is rounded,
# and a string), against a target "ge X" or "le X": 1 met, 0 not met, -1 no figures.
TARGET_AWK='
  function num(x) { return x ~ /^[0-9]/ }
  function meets(t, a, b) {
    if (!num(a) || !num(b) || b <= 0) return -1
    split(t, p, " ")
    return p[1] == "ge" ? a / b >= p[2] + 0 : a / b <= p[2] + 0
  }'
# rounds_at_target KEY REF_TARGET LIMIT_WHO LIMIT_TARGET: in how many rounds ours met the targets
# with that round's own figures, as "K/N" (N: the rounds with every figure the targets need); "-"
# without a target. A target is "ge X" or "le X", as in row().
rounds_at_target() {
  local key=$1 ref_target=$2 limit_who=$3 limit_target=$4
  if [[ -z $ref_target && -z $limit_target ]]; then
    echo -
    return
  fi
  # shellcheck disable=SC2086 # no limit: no third column
  rounds "$key" ours ref $limit_who |
    awk -v rt="$ref_target" -v lt="$limit_target" "$TARGET_AWK"'
      NF {
        r = rt == "" ? 1 : meets(rt, $1, $2); l = lt == "" ? 1 : meets(lt, $1, $3)
        if (r < 0 || l < 0) next  # a round without the figures cannot be judged
        n++; k += r && l
      }
      END { print n ? k "/" n : "-" }'
}
# machine_ticks: "STEAL TOTAL" from /proc/stat, all CPUs: the time the hypervisor ran others on this
# VM's CPUs, and all time. Steal comes in bursts and slows whichever implementation runs then.
machine_ticks() { awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print $9, t; exit }' /proc/stat; }
# steal_since "STEAL TOTAL": the share of CPU time stolen since then, in percent.
steal_since() {
  local steal total
  read -r steal total < <(machine_ticks)
  awk -v s=$((steal - ${1% *})) -v t=$((total - ${1#* })) 'BEGIN { printf "%.1f", (t > 0 ? 100 * s / t : 0) }'
}
# order ROUND: the two implementations, the first one alternating from round to round.
order() { if (($1 % 2)); then echo ours ref; else echo ref ours; fi; }
# launch NAME WHO DRIVER: start_instance on the next block of host ports that nobody uses.
launch() {
  local base=$next_base
  while listening tcp "$base" || listening tcp $((base + 1)) || listening udp $((base + 1)) ||
    listening tcp $((base + 2)); do
    base=$((base + 10))
  done
  next_base=$((base + 10))
  start_instance "$1" "${BINARY[$2]}" "$3" "$base"
}
running() { [[ -n ${LAUNCHER[$1]:-} ]]; }

start_baselines() {
  local pid
  "${as_user[@]}" "$work/bin/tiny_http" 127.0.0.1 "$PORT_BASE" "$work/direct.count" 2>"$work/tiny_http.log" &
  baselines+=($!)
  "${as_user[@]}" iperf3 --server --bind 127.0.0.1 --port $((PORT_BASE + 1)) >"$work/iperf3.log" 2>&1 &
  baselines+=($!)
  "${as_user[@]}" "$work/bin/splice_relay" 127.0.0.1 $((PORT_BASE + 2)) 127.0.0.1 $((PORT_BASE + 1)) \
    2>"$work/splice_relay.log" &
  baselines+=($!)
  pid=$!
  up() { listening tcp "$PORT_BASE" && listening tcp $((PORT_BASE + 1)) && listening tcp $((PORT_BASE + 2)); }
  wait_for "the host baselines" 10 up || fail "ports $PORT_BASE-$((PORT_BASE + 2)) busy? set PORT_BASE"
  RELAY_PID=$(exe_pids "$pid" "$(readlink -f "$work/bin/splice_relay")")
}

# http_point WHO PORT COUNTER_FILE [PID...]: one wrk run, recorded under WHO; with PIDs, also
# their CPU time per 1,000 requests and the share of one core they used.
http_point() {
  local who=$1 port=$2 counter=$3 out rps=- mean=- p99=- accepts=- before after cpu=- busy=-
  shift 3
  before=$(cpu_ticks "$@") || before=""
  if running "$who" || [[ $who == direct ]]; then
    out=$(http_run "$port" "$counter") && read -r rps mean p99 accepts <<<"$out"
  fi
  if (($#)) && after=$(cpu_ticks "$@") && [[ -n $before && $rps != - ]]; then
    read -r cpu busy < <(awk -v t=$((after - before)) -v hz="$HZ" -v r="$rps" -v d="$DURATION" \
      'BEGIN { printf "%.1f %.0f\n", t / hz * 1000 / (r * d / 1000), t / hz / d * 100 }')
  fi
  record "http_accepts" "$accepts"
  record "http_rps|$who" "$rps"
  record "http_mean|$who" "$mean"
  record "http_p99|$who" "$p99"
  echo -n "  http $who: $rps req/s, mean $mean ms, p99 $p99 ms, $accepts accepts per request"
  if (($#)); then
    record "http_cpu|$who" "$cpu"
    record "http_busy|$who" "$busy"
    echo -n ", $cpu CPU ms per 1000 requests ($busy% of a core)"
  fi
  echo
}

# iperf_point MODE WHO PORT [PID...]: one iperf3 run recorded under MODE|WHO (Gbit/s; loss for
# UDP), and the CPU seconds of PIDs per GB received when PIDs are given.
iperf_point() {
  local mode=$1 who=$2 port=$3 out before after bps bytes lost rate=- cpu=- args
  shift 3
  read -ra args <<<"${MODE_ARGS[$mode]}"
  before=$(cpu_ticks "$@") || before=""
  if out=$(iperf_run "$port" "${args[@]}"); then
    read -r bps bytes lost <<<"$out"
    rate=$(awk -v b="$bps" 'BEGIN { printf "%.3f", b / 1e9 }')
    if after=$(cpu_ticks "$@") && [[ -n $before ]]; then
      cpu=$(awk -v t=$((after - before)) -v hz="$HZ" -v b="$bytes" 'BEGIN { printf "%.4f", t / hz / (b / 1e9) }')
    fi
  fi
  record "$mode|$who" "$rate"
  echo -n "  $mode $who: $rate Gbit/s"
  if [[ $mode == udp* ]]; then
    lost=$(awk -v l="${lost:--}" 'BEGIN { if (l ~ /^[0-9]/) printf "%.2f", l; else printf "-" }')
    record "${mode}_loss|$who" "$lost"
    echo -n ", loss $lost %"
  fi
  if (($#)); then
    record "${mode}_cpu|$who" "$cpu"
    echo -n ", $cpu CPU s/GB"
  fi
  echo
}

measure_builtin_round() {
  local round=$1 who mode round_start
  round_start=$(machine_ticks)
  echo "==> round $round/$REPEATS: HTTP, new connection per request"
  http_point direct "$PORT_BASE" "$work/direct.count"
  for who in $(order "$round"); do
    # shellcheck disable=SC2046 # a list of pids
    http_point "$who" "${BASE[$who]:-0}" "$work/ready-$who.count" $(running "$who" && rk_pids "$who")
  done
  for mode in single p4 reverse udp0 udp1g; do
    echo "==> round $round/$REPEATS: iperf3 ${MODE_ARGS[$mode]}"
    iperf_point "$mode" direct $((PORT_BASE + 1))
    [[ $mode == udp* ]] || iperf_point "$mode" splice $((PORT_BASE + 2)) "$RELAY_PID"
    for who in $(order "$round"); do
      if running "$who"; then
        # shellcheck disable=SC2046 # a list of pids
        iperf_point "$mode" "$who" $((BASE[$who] + 1)) $(rk_pids "$who")
      else
        record "$mode|$who" -
      fi
    done
  done
  ROUND_STEAL+=("$(steal_since "$round_start")")
  echo "  CPU time stolen by the hypervisor in this round: ${ROUND_STEAL[-1]}%"
}

# measure_rss ROUND: VmRSS of a fresh instance's parent + child, idle and while conn_hold keeps
# HOLD_CONNECTIONS echoed connections open through the published port.
measure_rss() {
  local who name idle held held_pss hold
  echo "==> round $1/$REPEATS: RSS with $HOLD_CONNECTIONS open forwarded connections"
  for who in $(order "$1"); do
    name=$who-rss-$1 idle=- held=- held_pss=-
    if launch "$name" "$who" builtin; then
      # shellcheck disable=SC2046 # a list of pids
      idle=$(rss_kb $(rk_pids "$name"))
      "${as_user[@]}" "$work/bin/conn_hold" connect 127.0.0.1 $((BASE[$name] + 2)) "$HOLD_CONNECTIONS" \
        >"$work/hold.out" 2>&1 &
      hold=$!
      if wait_for "$HOLD_CONNECTIONS held connections" 30 grep -q '^held' "$work/hold.out"; then
        # shellcheck disable=SC2046 # a list of pids
        held=$(rss_kb $(rk_pids "$name"))
        # shellcheck disable=SC2046 # a list of pids
        held_pss=$(pss_kb $(rk_pids "$name"))
      fi
      stop_tree "$hold"
      stop_instance "$name"
    fi
    record "rss_idle|$who" "$idle"
    record "rss_held|$who" "$held"
    record "pss_held|$who" "$held_pss"
    echo "  $who: idle $idle kB, with $HOLD_CONNECTIONS connections $held kB (PSS $held_pss kB)"
  done
}

# measure_startup: hyperfine -N of `rootlesskit --net=slirp4netns --port-driver=builtin true`.
# Failed runs are kept out of the median and counted: Debian's 1.1.0 fails some of them (its
# parent dials the child's port driver socket after `true` has exited and the child is gone).
declare -A STARTUP_FAILED
measure_startup() {
  local json=$work/startup.json who flags="--net=slirp4netns --port-driver=builtin"
  echo "==> start-up: rootlesskit $flags true"
  "${as_user[@]}" hyperfine -N --ignore-failure --warmup 5 --runs 50 --export-json "$json" \
    -n ours "$OURS $flags true" -n ref "$REF $flags true" || true
  for who in ours ref; do
    record "startup|$who" "$(jq -r --arg n "$who" '.results[] | select(.command == $n) |
      [.times, .exit_codes] | transpose | map(select(.[1] == 0) | .[0] * 1000) | sort |
      if length == 0 then "-" elif length % 2 == 1 then .[length / 2 | floor]
      else (.[length / 2 - 1] + .[length / 2]) / 2 end' "$json" 2>/dev/null)"
    record "startup_cpu|$who" "$(jq -r --arg n "$who" '.results[] | select(.command == $n) |
      (.user + .system) * 1000' "$json" 2>/dev/null)"
    STARTUP_FAILED[$who]=$(jq -r --arg n "$who" '.results[] | select(.command == $n) |
      [.exit_codes[] | select(. != 0)] | length' "$json" 2>/dev/null || echo "?")
  done
}

# row LABEL KEY FORMAT LIMIT_WHO REF_TARGET LIMIT_TARGET: one table row from the medians of KEY,
# with its per-round ratios beside; a target is "ge X" or "le X" on ours / Debian (the ratio of
# the medians) or ours / limit, "" for none.
row() {
  local label=$1 key=$2 format=$3 limit_who=$4
  awk -v label="$label" -v fmt="$format" -v lw="$limit_who" -v rt="$5" -v lt="$6" \
    -v o="$(median "$key|ours")" -v r="$(median "$key|ref")" -v l="$(median "$key|$limit_who")" \
    -v pr="$(paired "$key")" -v at="$(rounds_at_target "$key" "$5" "$limit_who" "$6")" "$TARGET_AWK"'
    function show(x) { return num(x) ? sprintf(fmt, x) : "-" }
    function ratio(a, b) { return num(a) && num(b) && b > 0 ? sprintf("%.2f", a / b) : "-" }
    # check(TARGET, A, B, WHAT): appends the target text; then as meets(), 1 when there is none.
    function check(t, a, b, what) {
      if (t == "") return 1
      split(t, p, " ")
      target = target (target == "" ? "" : ", ") (p[1] == "ge" ? "≥ " : "≤ ") p[2] "x " what
      return meets(t, a, b)
    }
    BEGIN {
      rr = ratio(o, r); lr = lw == "" ? "-" : ratio(o, l)
      a = check(rt, o, r, "Debian"); b = check(lt, o, l, lw)
      met = target == "" ? "-" : (a == 0 || b == 0) ? "**no**" : (a < 0 || b < 0) ? "-" : "yes"
      printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", label, show(o), show(r), rr, pr,
        lw == "" ? "-" : show(l) " (" lw ")", lr, target == "" ? "-" : target, met, at
    }'
}

table() {
  echo "| measurement | ours | Debian $(version_of "$REF") | ours / Debian | per round | limit | ours / limit | target | met | rounds met |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  row "HTTP req/s, new connection per request (wrk -c4)" http_rps "%.0f" direct "ge 2.5" ""
  row "HTTP mean latency (ms)" http_mean "%.3f" direct "le 0.4" ""
  row "HTTP p99 latency (ms)" http_p99 "%.3f" direct "le 0.4" ""
  row "HTTP CPU ms per 1,000 requests (rootlesskit's processes)" http_cpu "%.1f" "" "" ""
  row "HTTP: share of one core rootlesskit's processes used (%)" http_busy "%.0f" "" "" ""
  row "TCP host→child, 1 stream (Gbit/s)" single "%.2f" splice "ge 1.0" "ge 0.95"
  row "TCP host→child, -P 4 (Gbit/s)" p4 "%.2f" splice "ge 1.0" "ge 0.95"
  row "TCP child→host, -R (Gbit/s)" reverse "%.2f" splice "ge 1.0" "ge 0.95"
  row "CPU s per GB, 1 stream" single_cpu "%.3f" splice "le 0.7" ""
  row "CPU s per GB, -P 4" p4_cpu "%.3f" splice "le 0.7" ""
  row "CPU s per GB, -R" reverse_cpu "%.3f" splice "le 0.7" ""
  row "RSS parent+child, idle (kB)" rss_idle "%.0f" "" "" ""
  row "RSS parent+child, $HOLD_CONNECTIONS connections (kB)" rss_held "%.0f" "" "le 0.3" ""
  row "PSS parent+child, $HOLD_CONNECTIONS connections (kB)" pss_held "%.0f" "" "" ""
  row "UDP -b 0 received (Gbit/s)" udp0 "%.3f" direct "ge 1.0" ""
  row "UDP -b 0 loss (%)" udp0_loss "%.1f" direct "" ""
  row "UDP -b 1G received (Gbit/s)" udp1g "%.3f" direct "ge 1.0" ""
  row "UDP -b 1G loss (%)" udp1g_loss "%.1f" direct "" ""
  row "slirp4netns driver, host→child 1 stream (Gbit/s)" slirp_single "%.2f" "" "ge 1.0" ""
  row "slirp4netns driver, child→host -R (Gbit/s)" slirp_reverse "%.2f" "" "ge 1.0" ""
  row "start-up \`--net=slirp4netns --port-driver=builtin true\` (ms)" startup "%.2f" "" "le 0.3" ""
  row "start-up CPU, user+system of all its processes (ms)" startup_cpu "%.2f" "" "" ""
}

# measure_slirp4netns_round ROUND: iperf3 through --port-driver=slirp4netns (slirp4netns itself
# forwards, so there is no rootlesskit CPU to count).
measure_slirp4netns_round() {
  local who mode
  echo "==> round $1/$REPEATS: iperf3 through --port-driver=slirp4netns"
  for who in $(order "$1"); do
    for mode in slirp_single slirp_reverse; do
      if running "$who-slirp"; then
        iperf_point "$mode" "$who" $((BASE[$who-slirp] + 1))
      else
        record "$mode|$who" -
      fi
    done
  done
}

version_of() { "$1" --version 2>/dev/null | awk '{ print $NF }'; }

summary() {
  local commit
  commit=$(git -C "$(dirname "$OURS")" rev-parse --short HEAD 2>/dev/null || echo unknown)
  cat <<END
Measured $(date -u +%Y-%m-%d) on $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo) ($(nproc) cores, load average $load at the start), kernel $(uname -r), as an unprivileged user. CPU time stolen by the hypervisor (/proc/stat): ${run_steal}% over the run; in the rounds of the builtin driver one by one: $(IFS=/; echo "${ROUND_STEAL[*]:-}")%.
Ours: $(version_of "$OURS") (commit $commit); Debian rootlesskit $(version_of "$REF"), slirp4netns $(slirp4netns --version | awk 'NR == 1 { print $NF }'), $(wrk --version 2>&1 | awk 'NR == 1 { print $1, $2 }'), $(iperf3 --version | awk 'NR == 1 { print $1, $2 }'), hyperfine $(version_of hyperfine).
\`bench/port.sh\`: each measurement ${REPEATS} times alternating ours/Debian (who goes first alternates), medians; ${DURATION} s per run. "per round": ours / Debian within each round, where the two ran back to back (median, lowest-highest): the machine's state drifts over a run, which the ratio of the medians mixes in; targets are judged on the ratio of the medians ("met"), and "rounds met" counts the rounds whose own figures met them. Servers run inside the namespace, clients on the host through the published 127.0.0.1 ports; the limit is measured in the same run.${ours_note}

$(table)

Commands (\`bench/port-inside.sh\` starts \`tiny_http 0.0.0.0 8080\`, \`iperf3 --server --bind 0.0.0.0 --port 5201\` and \`conn_hold serve 0.0.0.0 9000\` inside; P = the instance's first host port):
- \`rootlesskit --net=slirp4netns --mtu=65520 --port-driver=builtin -p 127.0.0.1:P:8080/tcp -p 127.0.0.1:P+1:5201/tcp -p 127.0.0.1:P+1:5201/udp -p 127.0.0.1:P+2:9000/tcp bench/port-inside.sh\` (\`--port-driver=slirp4netns\` for the slirp4netns rows)
- HTTP: \`wrk -t2 -c4 -d${DURATION}s --latency -H 'Connection: close' http://127.0.0.1:P/\`; tiny_http counted $(median http_accepts) accepts per completed request (median over all runs; a run with fewer than one fails, as does one with more than 1% errors). Limit: \`tiny_http\` on the host, no forwarder.
- TCP and UDP: \`iperf3 --client 127.0.0.1 --port P+1 --time ${DURATION}\` with nothing, \`-P 4\`, \`-R\`, \`-u -b 0 -l 1460\` or \`-u -b 1G -l 1460\`; the rate the receiver counted. Limit for TCP: \`splice_relay\` (bench/splice_relay.c: splice(2) through a pipe, a thread per direction) in front of an iperf3 server on the host; for UDP: the host's iperf3 server, no forwarder. Without any relay on the host: $(median "single|direct") / $(median "p4|direct") / $(median "reverse|direct") Gbit/s (1 stream / -P 4 / -R).
- CPU: utime+stime from /proc/PID/stat (all threads) of the rootlesskit parent and child (the processes running the rootlesskit binary) over one iperf3 run, per GB received (the limit is splice_relay's own CPU); for HTTP the same over one wrk run, per 1,000 requests and as a share of one core.
- RSS: the sum of VmRSS of the same processes on a fresh instance, idle and while \`conn_hold connect 127.0.0.1 P+2 ${HOLD_CONNECTIONS}\` holds ${HOLD_CONNECTIONS} connections, each proved end-to-end by an echoed byte. VmRSS counts every page a process maps, shared ones included (libc, and for ours the pages the child still shares with the parent it was cloned from); PSS (smaps_rollup) divides each shared page among the processes that map it.
- Start-up: \`hyperfine -N --ignore-failure --warmup 5 --runs 50 'rootlesskit --net=slirp4netns --port-driver=builtin true'\`, median of the runs that exited 0; failed runs: ours ${STARTUP_FAILED[ours]:-?} of 50, Debian's ${STARTUP_FAILED[ref]:-?} of 50 (1.1.0 races with a command that exits at once: its parent dials the child's port driver socket after the child is gone).
END
}

load=$(cut -d' ' -f1-3 /proc/loadavg)
run_ticks=$(machine_ticks)
ROUND_STEAL=()
ours_note=""
if awk -v l="${load%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n) }'; then
  ours_note=" Other jobs shared the machine (load above the core count): wall-clock figures and ratios are noisy."
fi
start_baselines
for who in ours ref; do
  launch "$who" "$who" builtin || echo "$who: the builtin port driver does not forward; its cells stay empty" >&2
done
running ref || fail "Debian's rootlesskit did not forward through its builtin port driver"
running ours || ours_note+=" **Ours did not forward through its builtin port driver in this run: its cells are empty.**"
for ((round = 1; round <= REPEATS; round++)); do measure_builtin_round "$round"; done
stop_instance ours
stop_instance ref
for ((round = 1; round <= REPEATS; round++)); do measure_rss "$round"; done
for who in ours ref; do
  launch "$who-slirp" "$who" slirp4netns || echo "$who: the slirp4netns port driver does not forward" >&2
done
for ((round = 1; round <= REPEATS; round++)); do measure_slirp4netns_round "$round"; done
stop_instance ours-slirp
stop_instance ref-slirp
measure_startup
run_steal=$(steal_since "$run_ticks")

text=$(summary)
echo
echo "$text"
source "$REPO/bench/lib.sh"
update_results port.sh "Port forwarding" "$text"
