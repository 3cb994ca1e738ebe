#!/usr/bin/env bash
# The builtin driver under the issue's load, bounded to well under a minute: 1,000 ports added
# (rootlessctl, in batches) and removed (one curl, 1,000 DELETEs) through the API, listening
# meanwhile, ids never reused, the list empty after; 10,000 short connections one after another,
# whose per-connection latency (p50/p99) is printed, never asserted; 1,000 long connections open
# at once through an echo port; 200 API clients at once (curl and rootlessctl: every answer 200
# or 201, none refused) while ports are added and removed. After each load the parent's fd count
# comes back to where it was before plus BUILTIN_FD_SLACK (port_lib.sh), and at the end its RSS
# to the warm-up's plus 1 MiB. test-port-builtin-stress.sh covers clients killed mid-transfer.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/port_lib.sh"
require_cmd curl jq

long=1000
# The client holds $long sockets and port_server.py (COMMAND: it inherits this limit) as many.
ulimit -n 4096 || fail "cannot raise the open files limit to 4096 (hard limit: $(ulimit -Hn))"
rss_slack_kib=1024

start_server load "$ROOTLESSKIT" --net=slirp4netns --disable-host-loopback --port-driver=builtin -- \
  tcp:127.0.0.1:80 echo:127.0.0.1:82
load=$PARENT
api=$STATE/api.sock

_fds_at_most() { (($(fd_count "$load") <= $1)); }
# settled WHAT BASE_FDS: the parent's fd count comes back to BASE_FDS (+ the driver's slack).
settled() {
  _poll "fds of the parent back to $2 (+$BUILTIN_FD_SLACK) after $1" "$WAIT_TIMEOUT" _fds_at_most $(($2 + BUILTIN_FD_SLACK))
}

# --- 1,000 ports through the API ---
base_fds=$(fd_count "$load")
read -ra ports <<<"$(free_ports 1000)"
for batch in $(seq 0 9); do
  specs=()
  for p in "${ports[@]:$((batch * 100)):100}"; do specs+=("127.0.0.1:$p:80/tcp"); done
  ctl add-ports "${specs[@]}"
  assert_rc 0 "add-ports, batch $batch"
  assert_eq "$(seq $((batch * 100 + 1)) $((batch * 100 + 100)))" "$OUT" "ids of add-ports, batch $batch"
done
ctl list-ports --json
assert_eq 1000 "$(jq -s length <<<"$OUT")" "ports listed after adding 1,000"
for i in 0 1 499 998 999; do
  expect_answer "port id $((i + 1))" tcp 127.0.0.1 "${ports[$i]}" "p$i" "tcp:127.0.0.1:80 127.0.0.1 p$i"
done
codes=$(curl -sS --max-time 60 --unix-socket "$api" -X DELETE -w '%{http_code}\n' "http://rootlesskit/v1/ports/[1-1000]") ||
  fail "curl removing 1,000 ports"
assert_eq "1000 200" "$(sort <<<"$codes" | uniq -c | awk '{ print $1, $2 }')" "answers to 1,000 DELETEs"
ctl list-ports --json
assert_eq "" "$OUT" "ports listed after removing them all"
for i in 0 499 999; do
  no_listener "${ports[$i]}" || fail "removed port ${ports[$i]} still bound"
done
settled "1,000 ports added and removed" "$base_fds"

# The two ports of the loads below: ids go on from 1001.
p_short=${ports[0]} p_echo=${ports[1]}
ctl add-ports "127.0.0.1:$p_short:80/tcp" "127.0.0.1:$p_echo:82/tcp"
assert_eq $'1001\n1002' "$OUT" "ids after 1,000 removed ports"

# hold N: N connections open at once through the echo port; sets HELD_FDS.
hold() { hold_connections "$load" "$p_echo" "$1"; }

# Warm-up: each load once, so that the pools and the heap reach their working size.
client many 127.0.0.1 "$p_short" 200
assert_eq "ok 200" "$OUT" "warm-up connections"
hold "$long"
settled "the warm-up" "$base_fds"
base_fds=$(fd_count "$load")
base_rss=$(rss_kib "$load")

# --- short connections, one after another: latency ---
client latency 127.0.0.1 "$p_short" 10000
assert_eq "ok 10000" "$(head -n1 <<<"$OUT")" "10,000 short connections${ERR:+; stderr: $ERR}"
echo "latency of 10,000 short connections through builtin (connect, request, answer, close): $(tail -n1 <<<"$OUT")" >&2
settled "10,000 short connections" "$base_fds"

# --- 1,000 long connections at once: two sockets each in the parent while open ---
hold "$long"
((HELD_FDS >= base_fds + 2 * long - BUILTIN_SOCKET_POOL)) ||
  fail "$long open connections: $HELD_FDS fds in the parent, expected about $base_fds + $((2 * long))"
settled "$long long connections" "$base_fds"

# --- 200 API clients at once while ports are added and removed ---
read -ra churn <<<"$(free_ports 150)"
# The loop adds 100 ports one by one and removes every other one of them; its ids go to
# churn.out (all) and churn.kept.
# shellcheck disable=SC2016 # expanded by the inner shell
bg churn bash -c 'ctl=$1 sock=$2 kept=$3
  shift 3
  for p; do "$ctl" --socket "$sock" add-ports "127.0.0.1:$p:80/tcp" || exit 1; done >"$kept.all"
  n=0
  while read -r id; do
    n=$((n + 1))
    if ((n % 2)); then "$ctl" --socket "$sock" remove-ports "$id" >/dev/null || exit 1; else echo "$id"; fi
  done <"$kept.all" >"$kept"' \
  churn "$ROOTLESSCTL" "$api" "$T/churn.kept" "${churn[@]:0:100}"
churn_pid=$BG_PID
# The clients wait at a barrier so that all 200 connect at once: a FIFO they inherit open for
# reading (fd 7), whose read ends (EOF) once its last writer is closed: this shell's fd 8 (each
# client closes its inherited copy first).
mkfifo "$T/api.barrier"
# shellcheck disable=SC2094 # one end each
exec 8<>"$T/api.barrier" 7<"$T/api.barrier"
api_pids=()
for i in $(seq 1 200); do
  (
    exec 8>&-
    read -r -u 7 _ || true
    exec 7<&-
    out=$T/api.$i
    case $((i % 4)) in
    0) timeout 60 "$ROOTLESSCTL" --socket "$api" list-ports --json >"$out" 2>"$out.err" ;;
    1) timeout 60 curl -sS -o "$out" -w '%{http_code}' --unix-socket "$api" http://rootlesskit/v1/info >"$out.code" 2>"$out.err" ;;
    2) timeout 60 curl -sS -o "$out" -w '%{http_code}' --unix-socket "$api" http://rootlesskit/v1/ports >"$out.code" 2>"$out.err" ;;
    3) timeout 60 curl -sS -o "$out" -w '%{http_code}' --unix-socket "$api" -X POST \
      -d "{\"proto\":\"tcp\",\"parentIP\":\"127.0.0.1\",\"parentPort\":${churn[$((100 + i / 4))]},\"childPort\":80}" \
      http://rootlesskit/v1/ports >"$out.code" 2>"$out.err" ;;
    esac
  ) &
  api_pids+=($!)
done
exec 8>&- 7<&-
for i in $(seq 1 200); do
  rc=0
  wait "${api_pids[$((i - 1))]}" || rc=$?
  assert_eq 0 "$rc" "exit code of API client $i: $(cat "$T/api.$i.err")"
  want=200
  ((i % 4 == 3)) && want=201
  ((i % 4 == 0)) || assert_eq "$want" "$(cat "$T/api.$i.code")" "HTTP status for API client $i: $(cat "$T/api.$i")"
done
jq . "$T"/api.[0-9]* >/dev/null || fail "an API client's answer is not JSON"
bg_wait "$churn_pid"
assert_eq 0 "$BG_RC" "exit code of the add/remove loop: $(cat "$T/churn.err")"
# The loop's 100 adds and the 50 POSTs took ids 1003-1152 between them, each once.
posted=$(for i in $(seq 3 4 199); do jq -r .id "$T/api.$i"; done | sort -n)
words() { tr '\n' ' ' | sed 's/ $//'; }
assert_eq "$(seq 1003 1152 | words)" "$(sort -n "$T/churn.kept.all" - <<<"$posted" | words)" "ids of the adds while the API clients ran"
ctl list-ports --json
assert_eq "$(printf '%s\n' 1001 1002 "$posted" | sort -n - "$T/churn.kept" | words)" \
  "$(jq -r .id <<<"$OUT" | sort -n | words)" "ids listed after the API clients"
# shellcheck disable=SC2046,SC2086 # one id per argument
ctl remove-ports $(cat "$T/churn.kept") $posted
assert_rc 0 "removing what the API clients and the loop added"
settled "the API clients" "$base_fds"

expect_rss_back "$load" "$base_fds" "$base_rss" "$rss_slack_kib"
stop_server load
