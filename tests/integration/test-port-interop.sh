#!/usr/bin/env bash
# Port API interoperability with Debian's rootlesskit 1.1.0, --port-driver=builtin (and a
# shorter session with --port-driver=slirp4netns, whose errors come from slirp4netns): the same
# session of rootlessctl calls (add-ports, add-ports --json, list-ports, list-ports --json,
# remove-ports, and their errors: a conflict, an out-of-range port, a privileged port, an
# unknown id) is run for each pairing of server and client: Debian's rootlessctl against
# Debian's rootlesskit is the reference; Debian's rootlessctl against ours, ours against
# Debian's and ours against ours must print the same bytes (stdout, stderr, exit codes). Lists
# are compared sorted (Debian's server lists in Go's random map order, ours by id). Traffic
# flows through the ports each client added. (A wide child IP checks list-ports' column widths.)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/port_lib.sh"
[[ -x $REF_ROOTLESSKIT && -x $REF_ROOTLESSCTL ]] || fail "Debian's rootlesskit not found: scripts/install-deps.sh installs it"

pa=$(free_port) pb=$(free_port) pc=$(free_port) pd=$(free_port) pe=$(free_port) pf=$(free_port)
specs=("127.0.0.1:$pa:80/tcp" "[::1]:$pb:127.0.0.1:81/udp" "[::1]:$pd:127.255.255.254:8080/tcp6")
spec_json="127.0.0.1:$pc:127.0.0.1:80/tcp4"

# step ARGS...: one call of $ctl against $STATE/api.sock, as a transcript on stdout.
step() {
  local rc=0
  echo "\$ $*"
  "$ctl" --socket "$STATE/api.sock" "$@" >"$T/step.out" 2>"$T/step.err" </dev/null || rc=$?
  # A list's rows come in the server's order: sorted here, after the header.
  if [[ $1 == list-ports ]]; then
    { grep '^ID ' "$T/step.out" || true; } >"$T/step.sorted"
    { grep -v '^ID ' "$T/step.out" || true; } | sort >>"$T/step.sorted"
    mv "$T/step.sorted" "$T/step.out"
  fi
  cat "$T/step.out"
  sed 's/^/stderr: /' "$T/step.err"
  echo "rc=$rc"
}

# session_builtin / session_slirp4netns: the calls for each port driver.
session_builtin() {
  step list-ports
  step list-ports --json
  step add-ports "${specs[@]}"
  step add-ports --json "$spec_json"
  step add-ports "127.0.0.1:$pa:81/tcp"
  step add-ports "127.0.0.1:0:80/tcp"
  step add-ports "127.0.0.1:80:80/tcp"
  step list-ports
  step list-ports --json
  step remove-ports 2
  step remove-ports 9 4
  # IPv4-mapped addresses are IPv4 to Go: a v4 listener, no tcp6, the v4 address in errors.
  step add-ports "[::ffff:127.0.0.1]:$pe:80/tcp"
  step add-ports "[::ffff:127.0.0.1]:$pf:80/tcp6"
  step add-ports "[::ffff:127.0.0.1]:$pa:80/tcp"
  step list-ports
  step list-ports --json
}
sa=$(free_port) sb=$(free_port) sc=$(free_port) sd=$(free_port)
session_slirp4netns() {
  step add-ports "127.0.0.1:$sa:80/tcp" "127.0.0.1:$sb:81/udp"
  step add-ports --json "127.0.0.1:$sc:10.0.2.100:80/tcp4"
  step add-ports "127.0.0.1:$sa:81/tcp"
  step add-ports "[::1]:$sd:80/tcp6"
  step add-ports "127.0.0.1:$sd:[::1]:80/tcp"
  step add-ports "127.0.0.1:0:80/tcp"
  step list-ports
  step list-ports --json
  step remove-ports 2
  step remove-ports 9
  step list-ports
  step list-ports --json
}

# pairing SERVER CLIENT NAME: a fresh instance of SERVER, the session with CLIENT, traffic
# through the ports that are left; the transcript in $T/NAME.txt.
pairing() {
  start_server "$3" "$1" --net=slirp4netns --disable-host-loopback --port-driver=builtin -- \
    tcp:127.0.0.1:80 udp:127.0.0.1:81
  wait_for_socket "$STATE/api.sock" # Debian's may start COMMAND before its API socket
  ctl=$2
  session_builtin >"$T/$3.txt"
  expect_answer "TCP through an added port ($3)" tcp 127.0.0.1 "$pa" "$3" "tcp:127.0.0.1:80 127.0.0.1 $3"
  expect_answer "TCP4 through an added port ($3)" tcp 127.0.0.1 "$pc" "$3" "tcp:127.0.0.1:80 127.0.0.1 $3"
  expect_answer "TCP through a v4-mapped port ($3)" tcp 127.0.0.1 "$pe" "$3" "tcp:127.0.0.1:80 127.0.0.1 $3"
  stop_server "$3"
}
# pairing_slirp4netns SERVER CLIENT NAME: the same with --port-driver=slirp4netns.
pairing_slirp4netns() {
  start_server "$3" "$1" --net=slirp4netns --disable-host-loopback --port-driver=slirp4netns -- tcp:0.0.0.0:80
  wait_for_socket "$STATE/api.sock"
  ctl=$2
  session_slirp4netns >"$T/$3.txt"
  expect_answer "TCP through an added port ($3)" tcp 127.0.0.1 "$sa" "$3" "tcp:0.0.0.0:80 10.0.2.2 $3"
  stop_server "$3"
}

pairing "$REF_ROOTLESSKIT" "$REF_ROOTLESSCTL" reference
pairing "$ROOTLESSKIT" "$REF_ROOTLESSCTL" debian-ctl-on-ours
pairing "$REF_ROOTLESSKIT" "$ROOTLESSCTL" our-ctl-on-debian
pairing "$ROOTLESSKIT" "$ROOTLESSCTL" ours
pairing_slirp4netns "$REF_ROOTLESSKIT" "$REF_ROOTLESSCTL" slirp-reference
pairing_slirp4netns "$ROOTLESSKIT" "$REF_ROOTLESSCTL" slirp-debian-ctl-on-ours
pairing_slirp4netns "$REF_ROOTLESSKIT" "$ROOTLESSCTL" slirp-our-ctl-on-debian
pairing_slirp4netns "$ROOTLESSKIT" "$ROOTLESSCTL" slirp-ours
# The reference itself is what was expected (so that a broken session cannot pass).
assert_contains "$(<"$T/reference.txt")" $'$ add-ports --json '"$spec_json"$'\n{"id":4,"spec":{"proto":"tcp4","parentIP":"127.0.0.1","parentPort":'"$pc"',"childPort":80,"childIP":"127.0.0.1"}}'$'\nrc=0' \
  "reference transcript"
assert_contains "$(<"$T/reference.txt")" $'stderr: error: conflict with ID 1\nrc=1' "reference transcript"
assert_contains "$(<"$T/slirp-reference.txt")" $'stderr: error: reply.Error: map[desc:bad request: remove_hostfwd: bad arguments.id]\nrc=1' \
  "reference transcript (slirp4netns)"
for name in debian-ctl-on-ours our-ctl-on-debian ours; do
  diff -u "$T/reference.txt" "$T/$name.txt" >"$T/diff" || fail "transcript of $name differs from Debian's: $(cat "$T/diff")"
  diff -u "$T/slirp-reference.txt" "$T/slirp-$name.txt" >"$T/diff" ||
    fail "transcript of $name (slirp4netns) differs from Debian's: $(cat "$T/diff")"
done
