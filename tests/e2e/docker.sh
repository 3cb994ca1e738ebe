#!/usr/bin/env bash
# Rootless Docker on our binaries (docs/clients.md): Debian's docker.io 20.10 started by its own
# dockerd-rootless.sh as the unprivileged test user, with our rootlesskit and
# rootlesskit-docker-proxy first in PATH. Arguments: NET PORT_DRIVER, given to the script as
# DOCKERD_ROOTLESS_ROOTLESSKIT_NET and DOCKERD_ROOTLESS_ROOTLESSKIT_PORT_DRIVER (pasta takes only
# the implicit port driver, as upstream's: pasta itself forwards what listens inside).
# Checks: the daemon runs under ours; an imported busybox image's httpd published with -p answers
# on the host, through our docker-proxy and our API (or pasta); a container reaches a server on the host's
# loopback (as 10.0.2.2) only once --disable-host-loopback is undone; `docker rm -f` closes the
# port; stopping the daemon leaves no process, no port and no state dir.
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/../integration/port_lib.sh"
source "$(dirname "$0")/lib.sh"

(($# == 2)) || fail "usage: docker.sh NET PORT_DRIVER (e.g. slirp4netns builtin)"
net=$1 port_driver=$2
DOCKERD_ROOTLESS=/usr/share/docker.io/contrib/dockerd-rootless.sh
DOCKER=/usr/bin/docker # Debian's client (a newer one may come first in PATH)
[[ -x $DOCKERD_ROOTLESS ]] || fail "$DOCKERD_ROOTLESS not found: scripts/install-deps.sh installs docker.io"
require_cmd "$DOCKER" dockerd containerd runc docker-proxy "${net/pasta/passt}" curl
export DOCKER_HOST=unix://$XDG_RUNTIME_DIR/docker.sock
IMAGE=rootlesskit-e2e/busybox:latest
TOKEN=served-by-busybox-$$

# daemon_log: the end of what dockerd-rootless.sh (set -x), rootlesskit and dockerd printed.
daemon_log() { tail -n 30 "$T/$DAEMON_NAME.err"; }

# start_daemon NAME [ROOTLESSKIT_FLAGS]: dockerd-rootless.sh as a user runs it; returns once the
# API answers. Sets DAEMON (the script's pid, which execs rootlesskit), DOCKERD and STATE (the
# state dir dockerd was given in ROOTLESSKIT_STATE_DIR, as rootlesskit-docker-proxy reads it).
start_daemon() {
  DAEMON_NAME=$1
  bg "$1" env DOCKERD_ROOTLESS_ROOTLESSKIT_NET="$net" DOCKERD_ROOTLESS_ROOTLESSKIT_PORT_DRIVER="$port_driver" \
    DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS="${2:-}" "$DOCKERD_ROOTLESS"
  DAEMON=$BG_PID
  # shellcheck disable=SC2016 # expanded by _poll's eval
  _poll "the Docker API" 60 eval '"$DOCKER" version >/dev/null 2>&1 || ! pid_alive $DAEMON'
  pid_alive "$DAEMON" || fail "dockerd-rootless.sh exited: $(daemon_log)"
  assert_exe "$ROOTLESSKIT" "$DAEMON" "the rootlesskit dockerd-rootless.sh runs"
  local child
  child=$(pgrep -P "$DAEMON" | head -n 1)
  assert_exe "$ROOTLESSKIT" "$child" "the rootlesskit child"
  DOCKERD=$(pgrep -P "$child" -x dockerd) || fail "no dockerd under the rootlesskit child $child: $(daemon_log)"
  STATE=$(tr '\0' '\n' <"/proc/$DOCKERD/environ" | sed -n 's/^ROOTLESSKIT_STATE_DIR=//p')
  assert_eq "$child" "$(cat "$STATE/child_pid")" "child_pid in dockerd's ROOTLESSKIT_STATE_DIR"
}

# stop_daemon: SIGTERM to rootlesskit, as a service manager stops it; everything must go.
stop_daemon() {
  kill -TERM "$DAEMON"
  bg_wait "$DAEMON"
  assert_eq 0 "$BG_RC" "exit code of dockerd-rootless.sh after SIGTERM; log: $(daemon_log)"
  wait_for_no_test_procs "the stopped daemon"
  [[ ! -e $STATE ]] || fail "the state dir $STATE outlived rootlesskit"
}

# docker ARGS...: Debian's docker client (sets OUT, ERR, RC). Images never come from a registry.
docker() { run "$DOCKER" "$@"; }

# ask_host_loopback: a container sends a line to the test's server on the host's 127.0.0.1,
# addressed as 10.0.2.2 (slirp4netns and pasta map it there unless told not to). nc's input is
# a FIFO the shell keeps open, so nc does not half-close the connection: Debian's pasta
# (2023-03-09) drops the answer to a client that shut down its sending side (docs/network.md).
ask_host_loopback() {
  docker run --rm --pull=never "$IMAGE" sh -c \
    "mkfifo /tmp/in && exec 3<>/tmp/in && echo from-container >&3 && nc -w 2 10.0.2.2 $loopback_port <&3"
}

start_daemon daemon
docker info --format '{{.Driver}} {{json .SecurityOptions}}'
assert_rc 0 "docker info"
assert_contains "$OUT" "name=rootless" "docker info's security options"
echo "storage driver: ${OUT%% *}" >&2

make_busybox_tar "$T/rootfs" "$TOKEN" "$T/busybox.tar"
docker import "$T/busybox.tar" "$IMAGE"
assert_rc 0 "docker import"

# -p: our docker-proxy asks our API for the port; our port driver serves it.
host_port=$(free_port)
docker run -d --pull=never --name web -p "127.0.0.1:$host_port:80" "$IMAGE" httpd -f -p 80 -h /www
assert_rc 0 "docker run -p"
# shellcheck disable=SC2016 # expanded by _poll's eval
_poll "the published port to answer" "$WAIT_TIMEOUT" eval 'curl -fs -o /dev/null "http://127.0.0.1:$host_port/"'
run curl -fsS --max-time 5 "http://127.0.0.1:$host_port/"
assert_eq "$TOKEN" "$OUT" "the container's page through 127.0.0.1:$host_port"
proxy_pid=$(pgrep -P "$DOCKERD" -f -- "-host-port $host_port( |$)") || fail "no docker-proxy for $host_port under dockerd"
if [[ $port_driver == implicit ]]; then
  # No API driver: our docker-proxy execs the real one, which listens in the namespace for pasta.
  assert_exe docker-proxy "$proxy_pid" "what our docker-proxy execs with --port-driver=implicit"
else
  assert_exe "$PROXY" "$proxy_pid" "the rootlesskit-docker-proxy dockerd runs"
  ctl list-ports
  assert_rc 0 "rootlessctl list-ports"
  grep -Eq "^[0-9]+ +tcp4? +127[.]0[.]0[.]1 +$host_port " <<<"$OUT" || fail "port $host_port not in rootlessctl list-ports: $OUT"
fi

# The host's loopback, refused as dockerd-rootless.sh asks (--disable-host-loopback). Not with
# pasta: its --no-map-gw sends a connection to 10.0.2.2 out to the host's real network, where this
# test must not go (test-net-pasta-loopback.sh checks it inside a sandbox network namespace).
loopback_port=$(free_port)
bg loopback python3 "$PORT_SERVER" "$T/loopback.ready" "tcp:127.0.0.1:$loopback_port"
wait_for_file "$T/loopback.ready"
if [[ $net != pasta ]]; then
  ask_host_loopback
  assert_ne 0 "$RC" "exit code of a container reaching the host's loopback with --disable-host-loopback; out: $OUT"
  assert_not_contains "$OUT" "from-container" "the host's loopback with --disable-host-loopback"
fi

docker rm -f web
assert_rc 0 "docker rm -f"
wait_for_refused 127.0.0.1 "$host_port"
# shellcheck disable=SC2016 # expanded by _poll's eval
_poll "docker-proxy $proxy_pid to exit" "$WAIT_TIMEOUT" eval '! pid_alive $proxy_pid'
if [[ $port_driver != implicit ]]; then
  ctl list-ports
  assert_rc 0 "rootlessctl list-ports"
  ! grep -Eq " $host_port " <<<"$OUT" || fail "port $host_port still in rootlessctl list-ports after docker rm -f: $OUT"
fi
stop_daemon
no_listener "$host_port" || fail "port $host_port still bound after the daemon stopped"

# The host's loopback reached once DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS undoes the script's
# --disable-host-loopback (a later boolean flag wins, as with upstream's Go flags).
start_daemon allowing-loopback --disable-host-loopback=false
ask_host_loopback
assert_rc 0 "a container reaching the host's loopback"
assert_eq "tcp:127.0.0.1:$loopback_port 127.0.0.1 from-container" "$OUT" "the host's loopback as 10.0.2.2"
stop_daemon
