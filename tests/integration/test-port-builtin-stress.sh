#!/usr/bin/env bash
# The builtin driver under load, bounded to well under a minute: 10,000 short connections one
# after another; 200 long ones open at once (through an echo server); a client killed with
# SIGKILL in the middle of an upload and of a download; 100 concurrent API clients while ports
# are added and removed. After each load the parent's fd count and RSS return to where they
# were: the only slack is what the driver keeps on purpose, bounded (BUILTIN_FD_SLACK in
# port_lib.sh: its socket pool and idle splice pipes), plus the allocator keeping freed memory
# after the warm-up (RSS).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/port_lib.sh"
require_cmd curl jq

fd_slack=$BUILTIN_FD_SLACK
rss_slack_kib=1024

p_short=$(free_port) p_echo=$(free_port) p_zero=$(free_port)
start_server stress "$ROOTLESSKIT" --net=slirp4netns --disable-host-loopback --port-driver=builtin \
  -p "127.0.0.1:$p_short:80/tcp,127.0.0.1:$p_echo:82/tcp,127.0.0.1:$p_zero:83/tcp" -- \
  tcp:127.0.0.1:80 echo:127.0.0.1:82 zero:127.0.0.1:83
stress=$PARENT

# hold_round N: N connections open at once through the echo port; sets HELD_FDS.
hold_round() { hold_connections "$stress" "$p_echo" "$1"; }

# settled WHAT BASE_FDS: the fd count comes back to BASE_FDS (+ the pools' slack).
_fds_at_most() { (($(fd_count "$1") <= $2)); }
settled() {
  _poll "fds of the parent back to $2 (+$fd_slack) after $1" "$WAIT_TIMEOUT" _fds_at_most "$stress" $(($2 + fd_slack))
}

# Warm-up: every kind of load once, so that pools and the heap reach their working size.
client many 127.0.0.1 "$p_short" 200
assert_eq "ok 200" "$OUT" "warm-up connections"
hold_round 200
base_fds=$(fd_count "$stress")
base_rss=$(rss_kib "$stress")

# 10,000 short connections.
SECONDS_BEFORE=$SECONDS
client many 127.0.0.1 "$p_short" 10000
assert_eq "ok 10000" "$OUT" "10,000 short connections${ERR:+; stderr: $ERR}"
echo "10,000 connections in $((SECONDS - SECONDS_BEFORE)) s" >&2
settled "10,000 connections" "$base_fds"

# 200 long connections at once: two sockets each in the parent while open.
hold_round 200
((HELD_FDS >= base_fds + 400 - BUILTIN_SOCKET_POOL)) ||
  fail "200 open connections: $HELD_FDS fds in the parent, expected about $base_fds + 400"
settled "200 long connections" "$base_fds"

# A client killed mid-transfer (SIGKILL: its socket is reset by the kernel) frees its relay.
for mode in upload:$p_echo download:$p_zero; do
  ready=$T/${mode%%:*}.ready
  bg "${mode%%:*}" python3 "$PORT_CLIENT" "${mode%%:*}" 127.0.0.1 "${mode#*:}" "$ready"
  pid=$BG_PID
  _poll "a 1 MiB ${mode%%:*}" "$WAIT_TIMEOUT" eval "[[ -e $ready ]] || ! pid_alive $pid"
  [[ -e $ready ]] || fail "${mode%%:*} failed: $(cat "$T/${mode%%:*}.out")"
  kill -KILL "$pid"
  bg_wait "$pid"
  settled "a killed ${mode%%:*}" "$base_fds"
done

# 100 API clients at once (50 rootlessctl, 50 curl; lists and info) while 30 ports are added
# and every other one removed again.
churn_ports=()
while ((${#churn_ports[@]} < 30)); do
  q=$(free_port)
  [[ " ${churn_ports[*]} " == *" $q "* ]] || churn_ports+=("$q")
done
# shellcheck disable=SC2016 # expanded by the inner shell
bg churn bash -c 'ctl=$1 sock=$2
  shift 2
  for p; do "$ctl" --socket "$sock" add-ports "127.0.0.1:$p:80/tcp" || exit 1; done
  for id in $(seq 4 2 33); do "$ctl" --socket "$sock" remove-ports "$id" || exit 1; done' \
  churn "$ROOTLESSCTL" "$STATE/api.sock" "${churn_ports[@]}"
churn=$BG_PID
api_pids=()
for i in $(seq 1 100); do
  if ((i % 2)); then
    timeout 30 "$ROOTLESSCTL" --socket "$STATE/api.sock" list-ports --json >"$T/api.$i.out" 2>"$T/api.$i.err" &
  else
    timeout 30 curl -sS -f --unix-socket "$STATE/api.sock" "http://rootlesskit/v1/$( ((i % 4)) && echo ports || echo info)" \
      >"$T/api.$i.out" 2>"$T/api.$i.err" &
  fi
  api_pids+=($!)
done
for i in $(seq 1 100); do
  rc=0
  wait "${api_pids[$((i - 1))]}" || rc=$?
  assert_eq 0 "$rc" "exit code of API client $i: $(cat "$T/api.$i.err")"
done
jq . "$T"/api.*.out >/dev/null || fail "an API client's answer is not JSON"
bg_wait "$churn"
assert_eq 0 "$BG_RC" "exit code of the add/remove loop: $(cat "$T/churn.err")"
ctl list-ports --json
want="1 2 3"
for i in $(seq 1 2 29); do want+=" $((i + 4))"; done
assert_eq "$want" "$(jq -r .id <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')" "ids after the churn"
for i in $(seq 0 29); do
  q=${churn_ports[$i]}
  if ((i % 2)); then
    expect_answer "port $((i + 4)) after the churn" tcp 127.0.0.1 "$q" x "tcp:127.0.0.1:80 127.0.0.1 x"
  else
    no_listener "$q" || fail "removed port $q (id $((i + 4))) still bound"
  fi
done
# shellcheck disable=SC2046 # one id per argument
ctl remove-ports $(seq 5 2 33)
assert_rc 0 "removing the churned ports"
settled "the API clients" "$base_fds"

expect_rss_back "$stress" "$base_fds" "$base_rss" "$rss_slack_kib"
stop_server stress
