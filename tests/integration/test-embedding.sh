#!/usr/bin/env bash
# examples/embed: a program of its own that embeds the parent and child roles through
# include/rootlesskit/ as k3s embeds upstream's Go packages (docs/embedding.md). Its innermost
# stage runs in new user, mount, net, pid, uts, ipc and cgroup namespaces with 10.41.0.100 on
# tap0, publishes its own port through the REST API, and answers on the host's 127.0.0.1; it
# stops cleanly on SIGTERM and SIGINT, leaving no process and no state dir.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/port_lib.sh"

[[ -x $EMBED_EXAMPLE ]] || fail "the embedding example is not built: $EMBED_EXAMPLE"

# greeting PORT: the line the service on 127.0.0.1:PORT answers, or "refused".
# shellcheck disable=SC2016 # expanded by that bash
greeting() {
  timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && IFS= read -r line <&3 && echo "$line"' bash "$1" 2>/dev/null ||
    echo refused
}

# line KEY [NAME]: the value of the first "KEY value" line the example printed.
line() { awk -v k="$1" '$1 == k { sub(/^[^ ]+ /, ""); print; exit }' "$T/${2:-embed}.out"; }

# start_embed NAME ARGS...: starts the example in the background; returns once it is ready.
# Sets PARENT, CHILD (child_pid), INNER (the innermost stage's host pid) and SLIRP.
start_embed() {
  local name=$1
  shift
  bg "$name" "$EMBED_EXAMPLE" "$@"
  PARENT=$BG_PID
  # shellcheck disable=SC2016 # expanded by _poll's eval
  _poll "$name to be ready" "$WAIT_TIMEOUT" eval 'grep -qx ready "$T/$name.out" || ! pid_alive $PARENT'
  grep -qx ready "$T/$name.out" || fail "$name exited before it was ready: $(cat "$T/$name.err")"
  CHILD=$(<"$STATE/child_pid")
  own_pid "$CHILD"
  INNER=$(pgrep -P "$CHILD")
  SLIRP=$(pgrep -P "$PARENT" -x slirp4netns)
  [[ -n $INNER && -n $SLIRP ]] || fail "$name: innermost stage [$INNER] or slirp4netns [$SLIRP] not found"
}

# stop_embed NAME SIGNAL: the example must exit 0, with every process of it gone.
stop_embed() {
  kill "-$2" "$PARENT"
  bg_wait "$PARENT"
  assert_eq 0 "$BG_RC" "exit code of $1 after SIG$2; stderr: $(cat "$T/$1.err")"
  assert_eq "SIG$2" "$(line stopping: "$1")" "$1: the signal that reached the innermost stage"
  local pid
  for pid in "$PARENT" "$CHILD" "$INNER" "$SLIRP"; do
    ! pid_alive "$pid" || fail "$1: pid $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline")) is still alive"
  done
  [[ ! -e $STATE ]] || fail "$1: the state dir $STATE was not removed: $(ls -A "$STATE")"
}

run "$EMBED_EXAMPLE"
assert_rc 2 "without a state dir"
assert_contains "$ERR" "embed parent: missing STATE_DIR"

# k3s's set-up: builtin ports, 10.41.0.0/16, host loopback off; stopped by SIGTERM.
port=$(free_port)
STATE=$T/state
start_embed embed --publish="127.0.0.1:$port:80/tcp" "$STATE"
for ns in user mnt net pid uts ipc cgroup; do
  inside=$(awk -v n="$ns" '$1 == "ns" && $2 == n { print $3 }' "$T/embed.out")
  [[ -n $inside ]] || fail "no $ns namespace reported: $(cat "$T/embed.out")"
  assert_ne "$(readlink "/proc/self/ns/$ns")" "$inside" "the innermost stage's $ns namespace (same as the host's)"
  assert_eq "$inside" "$(readlink "/proc/$INNER/ns/$ns")" "$ns namespace reported vs. seen from the host"
done
assert_eq 0 "$(line uid)" "uid of the innermost stage"
assert_eq 2 "$(line pid)" "pid of the innermost stage in its pid namespace"
assert_eq "tap0 10.41.0.100/16" "$(line addr)" "address of the innermost stage"
assert_eq "/etc tmpfs" "$(line mount)" "copied-up /etc"
assert_eq "/etc/embed/hello" "$(line wrote)" "a file written into the copied-up /etc"
[[ ! -e /etc/embed ]] || fail "/etc/embed reached the host's /etc"
assert_eq "$STATE/api.sock" "$(line api)" "the API socket the innermost stage found in its environment"
assert_eq "1 127.0.0.1:$port:80/tcp" "$(line published)" "the port the innermost stage published"
assert_eq "hello from embed" "$(greeting "$port")" "the published port from the host's 127.0.0.1"
ctl list-ports
assert_eq "1 tcp 127.0.0.1 $port 80" "$(awk 'NR == 2 { print $1, $2, $3, $4, $5 }' <<<"$OUT")" "rootlessctl list-ports"
env_inside=$(tr '\0' '\n' <"/proc/$INNER/environ")
assert_not_contains "$env_inside" "_EMBED_ROOTLESS_FD=" "the innermost stage's environment"
assert_contains "$env_inside" "ROOTLESSKIT_STATE_DIR=$STATE" "the innermost stage's environment"

# A second instance cannot publish the same port: the innermost stage's error and exit code
# come back through the child and the parent, and nothing is left behind.
run "$EMBED_EXAMPLE" --publish="127.0.0.1:$port:80/tcp" "$T/state-conflict"
assert_rc 1 "a second instance publishing the same port"
assert_contains "$ERR" "embed innermost: failed to publish a port: HTTP 400: "
assert_contains "$ERR" "embed parent: child exited: exit status 1"
[[ ! -e $T/state-conflict ]] || fail "the state dir of the failed instance was not removed"

stop_embed embed TERM
assert_eq 1 "$(line unpublished)" "the innermost stage removed its port before exiting"
assert_eq refused "$(greeting "$port")" "the port after the example exited"

# The slirp4netns port driver, another network and, with a delegated cgroup, evacuation;
# stopped by SIGINT.
port=$(free_port)
STATE=$T/state2
args=(--publish="127.0.0.1:$port:8080/tcp")
group=${ROOTLESSKIT_TEST_CGROUP:-}
[[ -n $group && -w $group/cgroup.procs ]] && args+=(--evacuate-cgroup2=embed_evac)
EMBED_ROOTLESS_PORT_DRIVER=slirp4netns EMBED_ROOTLESS_CIDR=10.42.7.0/24 EMBED_ROOTLESS_COPYUPDIRS=/opt \
  start_embed embed2 "${args[@]}" "$STATE"
assert_eq "tap0 10.42.7.100/24" "$(line addr embed2)" "address with EMBED_ROOTLESS_CIDR"
assert_contains "$(grep '^mount ' "$T/embed2.out")" "mount /opt tmpfs" "EMBED_ROOTLESS_COPYUPDIRS"
assert_eq "hello from embed" "$(greeting "$port")" "a port published by the slirp4netns driver"
ctl info --json
assert_contains "$OUT" '"driver": "slirp4netns"' "rootlessctl info"
if [[ ${args[*]} == *evacuate* ]]; then
  grep -qx "$PARENT" "$group/embed_evac/cgroup.procs" || fail "the parent was not evacuated to $group/embed_evac"
fi
stop_embed embed2 INT

# The sysctl check comes first, with the fix. A user namespace may lower its own
# user.max_user_namespaces, which lets this run without root.
# shellcheck disable=SC2016 # expanded by that sh
run unshare -Ur sh -c 'echo 0 >/proc/sys/user/max_user_namespaces && exec "$@"' sh "$EMBED_EXAMPLE" "$T/state3"
assert_rc 1 "with user.max_user_namespaces=0"
assert_contains "$ERR" "embed parent: user.max_user_namespaces is 0: no user namespace may be created. Run \`sudo sysctl -w user.max_user_namespaces="
[[ ! -e $T/state3 ]] || fail "the sysctl check ran after the state dir was made"
