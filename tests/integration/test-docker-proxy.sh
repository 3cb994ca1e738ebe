#!/usr/bin/env bash
# rootlesskit-docker-proxy as dockerd < 28 runs it: inside the child's namespaces (entered here
# with nsenter, where dockerd would live), fd 3 a report file, and a fake `docker-proxy` first in
# $PATH that records its argv, serves "hello" on -host-ip:-host-port and writes "0\n" to fd 3.
# - ours against Debian's rootlesskit --port-driver=builtin: publishes tcp4, a client on the
#   host reaches the fake proxy through the port, SIGINT (and SIGTERM, which upstream leaks)
#   removes it; --port-driver=slirp4netns: the network driver's child IP, tcp6 discarded with "0";
# - ours against our rootlesskit --port-driver=none: execs the fake docker-proxy, same argv;
# - Debian's Go rootlesskit-docker-proxy (and ours) against our rootlesskit --port-driver=builtin.
source "$(dirname "$0")/lib.sh"
require_cmd slirp4netns socat jq nsenter
[[ -x $ROOTLESSCTL ]] || fail "rootlessctl under test not found: ROOTLESSCTL=$ROOTLESSCTL"
PROXY=$(abs_cmd "${ROOTLESSKIT_DOCKER_PROXY:-$(dirname "$ROOTLESSKIT")/rootlesskit-docker-proxy}")
[[ -x $PROXY ]] || fail "rootlesskit-docker-proxy under test not found: $PROXY"
REF_PROXY=/usr/bin/rootlesskit-docker-proxy # Debian's Go build (rootlesskit 1.1.0)
[[ -x $REF_PROXY ]] || fail "$REF_PROXY not found: scripts/install-deps.sh installs rootlesskit"

mkdir "$T/bin"
cat >"$T/bin/docker-proxy" <<'EOF'
#!/bin/sh
echo $$ >"$FAKE_PROXY_OUT.pid"
printf '%s\n' "$@" >"$FAKE_PROXY_OUT.args"
ip= port=
while [ $# -gt 1 ]; do
  case $1 in -host-ip) ip=$2 ;; -host-port) port=$2 ;; esac
  shift
done
printf '0\n' >&3
exec 3>&-
exec socat TCP-LISTEN:"$port",bind="$ip",reuseaddr,fork SYSTEM:'echo hello'
EOF
chmod +x "$T/bin/docker-proxy"

PORT=$(free_port)

# start_proxy NAME BINARY ARGS...: runs BINARY in the namespaces of the instance in $STATE, as
# uid 0 there like dockerd, with fd 3 on $T/NAME.fd3; sets PROXY_PID. The fake docker-proxy
# leaves its pid and argv in $T/NAME.fake.pid and $T/NAME.fake.args.
start_proxy() {
  local name=$1 binary=$2
  shift 2
  exec 3>"$T/$name.fd3"
  bg "$name" nsenter --target "$(<"$STATE/child_pid")" --user --mount --net \
    env ROOTLESSKIT_STATE_DIR="$STATE" PATH="$T/bin:$PATH" FAKE_PROXY_OUT="$T/$name.fake" \
    "$binary" "$@"
  exec 3>&-
  PROXY_PID=$BG_PID
}
fd3_is() { [[ $(<"$T/$1.fd3") == "$2" ]]; }
# wait_for_fd3 NAME CONTENT: until fd 3 of the proxy started last holds CONTENT; fails early
# (with its stderr) if it exits first.
wait_for_fd3() {
  local deadline=$((SECONDS + WAIT_TIMEOUT))
  until fd3_is "$1" "$2"; do
    if ! pid_alive "$PROXY_PID" || ((SECONDS >= deadline)); then
      fd3_is "$1" "$2" && return
      fail "expected [$2] on fd 3 of $1, got [$(<"$T/$1.fd3")]; stderr: $(cat "$T/$1.err")"
    fi
    sleep 0.02
  done
}

ports_json() { "$ROOTLESSCTL" --socket "$STATE/api.sock" list-ports --json | jq -c .spec; }
hello_on() { [[ $(socat -T 2 -u "TCP:127.0.0.1:$1" STDOUT 2>/dev/null) == hello ]]; }

# check_publish NAME BINARY SIGNAL CHILD_IP: a dockerd-style request for $PORT on 127.0.0.1
# is published as tcp4 (Debian's list shows `1 tcp4 127.0.0.1 P 127.0.0.1 P`), the fake
# docker-proxy listens on CHILD_IP:$PORT inside and answers through the host port; SIGNAL
# stops the proxy, which removes the port.
check_publish() {
  local name=$1 binary=$2 sig=$3 child_ip=$4
  assert_eq "" "$(ports_json)" "ports before $name"
  start_proxy "$name" "$binary" -proto tcp -host-ip 127.0.0.1 -host-port "$PORT" \
    -container-ip 172.17.0.2 -container-port 80
  wait_for_fd3 "$name" 0
  assert_eq "{\"proto\":\"tcp4\",\"parentIP\":\"127.0.0.1\",\"parentPort\":$PORT,\"childPort\":$PORT,\"childIP\":\"$child_ip\"}" \
    "$(ports_json | jq -c '{proto, parentIP, parentPort, childPort, childIP}')" "port published by $name"
  assert_eq "-container-ip 172.17.0.2 -container-port 80 -host-ip $child_ip -host-port $PORT -proto tcp" \
    "$(tr '\n' ' ' <"$T/$name.fake.args" | sed 's/ $//')" "argv of the real docker-proxy ($name)"
  _poll "hello through 127.0.0.1:$PORT ($name)" "$WAIT_TIMEOUT" hello_on "$PORT"
  kill "-$sig" "$PROXY_PID"
  bg_wait "$PROXY_PID"
  assert_eq 0 "$BG_RC" "exit code of $name after SIG$sig; stderr: $(cat "$T/$name.err")"
  assert_eq "" "$(ports_json)" "ports after SIG$sig to $name"
  wait_for_pid_exit "$(<"$T/$name.fake.pid")"
  hello_on "$PORT" && fail "127.0.0.1:$PORT still answers after $name stopped"
  PORT=$((PORT + 1))
}

# --- ours against Debian's rootlesskit, builtin port driver ---
start_instance ref "$REF_ROOTLESSKIT" --net=slirp4netns --disable-host-loopback --port-driver=builtin
ref=$PARENT
check_publish ours-int "$PROXY" INT 127.0.0.1
check_publish ours-term "$PROXY" TERM 127.0.0.1

# Errors reach dockerd on fd 3 and stderr as Go's log.Fatal line: a conflicting port.
"$ROOTLESSCTL" --socket "$STATE/api.sock" add-ports "127.0.0.1:$PORT:$PORT/tcp4" >/dev/null
start_proxy conflict "$PROXY" -host-ip 127.0.0.1 -host-port "$PORT" -container-ip 172.17.0.2 -container-port 80
bg_wait "$PROXY_PID"
assert_eq 1 "$BG_RC" "exit code on a conflicting port"
[[ $(<"$T/conflict.fd3") == $'1\nerror while calling PortManager.AddPort(): '* ]] ||
  fail "fd 3 on a conflicting port: [$(<"$T/conflict.fd3")]"
[[ $(<"$T/conflict.err") =~ ^[0-9]{4}/[0-9]{2}/[0-9]{2}\ [0-9:]{8}\ error\ while\ calling\ PortManager.AddPort\(\):\  ]] ||
  fail "stderr on a conflicting port: [$(<"$T/conflict.err")]"
[[ -e $T/conflict.fake.args ]] && fail "the real docker-proxy ran although the port was not published"
stop_instance ref "$ref"

# --- ours against Debian's rootlesskit, slirp4netns port driver (no loopback child IP, no tcp6) ---
start_instance ref-slirp "$REF_ROOTLESSKIT" --net=slirp4netns --disable-host-loopback --port-driver=slirp4netns
ref=$PARENT
check_publish ours-slirp "$PROXY" INT 10.0.2.100
start_proxy v6 "$PROXY" -host-ip :: -host-port "$PORT" -container-ip 172.17.0.2 -container-port 80
bg_wait "$PROXY_PID"
assert_eq 0 "$BG_RC" "exit code for tcp6 on the slirp4netns port driver; stderr: $(cat "$T/v6.err")"
assert_eq 0 "$(<"$T/v6.fd3")" "fd 3 for a discarded tcp6 request"
assert_contains "$(<"$T/v6.err")" 'protocol \"tcp6\" is not supported by the RootlessKit port driver \"slirp4netns\", discarding request for \"[::]:'"$PORT"'\"' "warning"
assert_eq "" "$(ports_json)" "ports after a discarded request"
stop_instance ref-slirp "$ref"

# --- ours against our rootlesskit --port-driver=none: the real docker-proxy does everything ---
start_instance none "$ROOTLESSKIT" --net=slirp4netns --disable-host-loopback --port-driver=none
ours=$PARENT
start_proxy exec "$PROXY" -proto tcp -host-ip 0.0.0.0 -host-port "$PORT" -container-ip 172.17.0.2 -container-port 80
wait_for_fd3 exec 0
assert_eq "-proto tcp -host-ip 0.0.0.0 -host-port $PORT -container-ip 172.17.0.2 -container-port 80" \
  "$(tr '\n' ' ' <"$T/exec.fake.args" | sed 's/ $//')" "argv passed on by exec"
assert_eq "$PROXY_PID" "$(<"$T/exec.fake.pid")" "the fake docker-proxy replaced rootlesskit-docker-proxy (exec, same pid)"
# TERM, not INT: a background job of this non-interactive shell starts with SIGINT ignored, and
# the fake may still be the shell script rather than socat when the signal arrives.
kill -TERM "$PROXY_PID"
bg_wait "$PROXY_PID"
stop_instance none "$ours"

# --- Debian's Go rootlesskit-docker-proxy, and ours, against our rootlesskit's builtin driver ---
start_instance ours-builtin "$ROOTLESSKIT" --net=slirp4netns --disable-host-loopback --port-driver=builtin
ours=$PARENT
check_publish ref-on-ours "$REF_PROXY" INT 127.0.0.1
check_publish ours-on-ours "$PROXY" TERM 127.0.0.1
stop_instance ours-builtin "$ours"
