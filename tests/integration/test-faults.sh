#!/usr/bin/env bash
# Faults: kill -9 of slirp4netns, of a socat (--port-driver=socat), of COMMAND, of the child and
# of the parent, each during start-up and while a download runs through a published port. Then,
# within 5 s: no process of the instance is left (by the pids recorded, and by the marker in
# their environment: marked_procs in lib.sh), the published port refuses connections, the
# download has ended, the exit code and the last lines of stderr say what happened, the temporary
# state dir is gone (no --state-dir) and a new run on the same --state-dir works. A socat killed
# while COMMAND runs is restarted (as upstream): the port serves again, the run ends normally.
# "During start-up" is made exact by stand-ins placed first in PATH: slirp4netns, socat and
# newuidmap are scripts that record their pid and, while $T/hold.<name> exists, wait before they
# exec the real program; the test kills while one waits. Traffic stays on the host's loopback.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/port_lib.sh"
require_cmd socat nsenter newuidmap newgidmap

BIN=$T/bin
mkdir "$BIN"
mkfifo "$T/never" # nobody writes it: `read -t` on it is a sleep without a child process
# stand_in NAME: $BIN/NAME records its pid in $T/pids.NAME and waits while $T/hold.NAME exists
# (60 s at most), then execs the real NAME. Feature probes (--help) go straight through, and so
# do socat's per-connection processes (`socat STDIN ...`, run by nsenter in the child's
# namespaces), which record theirs in $T/pids.NAME-conn. The wait uses fd 9: slirp4netns gets its
# ready pipe as fd 3.
stand_in() {
  cat >"$BIN/$1" <<EOF
#!/bin/bash
case \$1 in
--help | --version) exec $(command -v "$1") "\$@" ;;
STDIN) echo \$\$ >>"$T/pids.$1-conn"; exec $(command -v "$1") "\$@" ;;
esac
echo \$\$ >>"$T/pids.$1"
if [ -e "$T/hold.$1" ]; then
  exec 9<>"$T/never"
  n=0
  while [ -e "$T/hold.$1" ] && [ \$n -lt 3000 ]; do read -rt 0.02 -u 9 || n=\$((n + 1)); done
  exec 9<&-
fi
exec $(command -v "$1") "\$@"
EOF
  chmod +x "$BIN/$1"
}
for program in slirp4netns socat newuidmap; do stand_in "$program"; done

# start NAME DRIVER STATE_MODE: a rootlesskit with -p 127.0.0.1:$PORT:80/tcp (port driver
# DRIVER) whose COMMAND records its pid in $T/NAME.cmd and runs port_server.py with a zero
# listener on 80 (READY=$T/NAME.ready). STATE_MODE is "temp" (no --state-dir) or "given"
# (--state-dir=$T/NAME-state). Returns at once; sets PARENT, PORT, STATE (empty for temp).
start() {
  local name=$1 state_flag=()
  PORT=$(free_port)
  STATE=""
  if [[ $3 == given ]]; then
    STATE=$T/$1-state
    state_flag=(--state-dir="$STATE")
  fi
  rm -f "$T"/pids.*
  # shellcheck disable=SC2016 # expanded by sh
  bg "$name" env RKTEST_MARK="$name" PATH="$BIN:$PATH" "$ROOTLESSKIT" "${state_flag[@]}" --net=slirp4netns \
    --disable-host-loopback --port-driver="$2" -p "127.0.0.1:$PORT:80/tcp" \
    sh -c 'echo $$ >"$1"; exec python3 "$2" "$3" zero:127.0.0.1:80' sh "$T/$name.cmd" "$PORT_SERVER" "$T/$name.ready"
  PARENT=$BG_PID
}

# first_pid FILE: the first pid in FILE once it exists (or fails when the instance is gone).
first_pid() {
  _poll "$1" "$WAIT_TIMEOUT" eval "[[ -s $1 ]] || ! pid_alive $PARENT"
  [[ -s $1 ]] || fail "the instance exited before $1 was written: $(cat "$T/$NAME.err")"
  head -n1 "$1"
}

# child_of PARENT: the rootlesskit child (a clone of the parent: same name).
child_of() { pgrep -P "$1" -x rootlesskit || fail "no rootlesskit child under $1"; }

# downloading: waits for the instance's server, then a download through the port until 1 MiB has
# arrived; sets DOWNLOAD (the client's pid).
downloading() {
  # shellcheck disable=SC2016 # expanded by eval, at each try
  _poll "the server of $NAME" "$WAIT_TIMEOUT" eval '[[ -e $T/$NAME.ready ]] || ! pid_alive $PARENT'
  [[ -e $T/$NAME.ready ]] || fail "$NAME exited before its server was ready: $(cat "$T/$NAME.err")"
  bg "$NAME-download" python3 "$PORT_CLIENT" download 127.0.0.1 "$PORT" "$T/$NAME.downloaded"
  DOWNLOAD=$BG_PID
  # shellcheck disable=SC2016
  _poll "1 MiB through port $PORT" "$WAIT_TIMEOUT" eval '[[ -e $T/$NAME.downloaded ]] || ! pid_alive $DOWNLOAD'
  [[ -e $T/$NAME.downloaded ]] || fail "no download through $NAME: $(cat "$T/$NAME-download.out")"
}

# download_ended: the download of `downloading` ended with an EOF from the port.
download_ended() {
  bg_wait "$DOWNLOAD" 5
  assert_eq 1 "$BG_RC" "exit code of the download through $NAME"
  assert_eq "error: ECONNABORTED" "$(cat "$T/$NAME-download.out")" "the download through $NAME"
}

# ended RC LAST_LINES PIDS...: the instance ended with RC and its stderr ends with LAST_LINES (not
# checked when empty); within 5 s every pid given is gone, and every process of the instance; the
# port refuses connections; the state dir is gone (temp: nothing left in TMPDIR) or, given, a new
# run on it works.
ended() {
  local rc=$1 last=$2 pid lines
  shift 2
  bg_wait "$PARENT" 10
  assert_eq "$rc" "$BG_RC" "exit code of $NAME; stderr: $(cat "$T/$NAME.err")"
  if [[ -n $last ]]; then
    lines=$(grep -c '' <<<"$last")
    assert_eq "$last" "$(tail -n "$lines" "$T/$NAME.err")" "last lines of stderr of $NAME"
  fi
  for pid in "$@"; do
    [[ -n $pid ]] && wait_for_pid_exit "$pid" 5
  done
  wait_for_no_marked_procs "$NAME" 5
  wait_for_refused 127.0.0.1 "$PORT" 5
  no_listener "$PORT" || fail "port $PORT of $NAME still bound"
  if [[ -z $STATE ]]; then
    assert_eq "" "$(find "$TMPDIR" -mindepth 1 -maxdepth 1)" "TMPDIR after $NAME"
  else
    rk --state-dir="$STATE" true
    assert_rc 0 "a new run on the state dir of $NAME"
    [[ ! -e $STATE ]] || fail "state dir of $NAME left after the new run: $(ls -A "$STATE")"
  fi
}

P_ERR="[rootlesskit:parent] error:"
C_ERR="[rootlesskit:child ] error:"

for mode in temp given; do
  # --- slirp4netns, while it starts: the set-up fails; then while the download runs ---
  NAME=slirp-start-$mode
  touch "$T/hold.slirp4netns"
  start "$NAME" builtin "$mode"
  slirp=$(first_pid "$T/pids.slirp4netns")
  child=$(child_of "$PARENT")
  kill -KILL "$slirp"
  rm "$T/hold.slirp4netns"
  ended 1 "$P_ERR failed to setup network: waiting for ready fd ([$BIN/slirp4netns --mtu 65520 -r 3 --disable-host-loopback $child tap0]): slirp4netns killed by signal: signal: killed: \"\"" \
    "$PARENT" "$child" "$slirp"

  NAME=slirp-traffic-$mode
  start "$NAME" builtin "$mode"
  downloading
  slirp=$(first_pid "$T/pids.slirp4netns")
  kill -KILL "$slirp"
  download_ended
  ended 1 "$P_ERR slirp4netns exited: signal: killed" "$PARENT" "$slirp" "$(cat "$T/$NAME.cmd")"

  # --- socat, while it starts for a -p port: the set-up fails. (The kill must come within the
  # driver's 2 s ready timeout; after it, a socat that does not listen yet counts as slow.) ---
  NAME=socat-start-$mode
  touch "$T/hold.socat"
  start "$NAME" socat "$mode"
  socat=$(first_pid "$T/pids.socat")
  child=$(child_of "$PARENT")
  kill -KILL "$socat"
  rm "$T/hold.socat"
  ended 1 "$P_ERR failed to expose port {tcp 127.0.0.1 $PORT 80 }: socat exited: signal: killed" \
    "$PARENT" "$child" "$socat"

  # --- socat, while the download runs: that connection ends (its processes with it), a new
  # socat serves the port, and the run goes on until COMMAND exits ---
  NAME=socat-traffic-$mode
  start "$NAME" socat "$mode"
  downloading
  socat=$(first_pid "$T/pids.socat")
  conn=$(first_pid "$T/pids.socat-conn")
  kill -KILL "$socat"
  download_ended
  wait_for_pid_exit "$conn" 5
  restarted() { [[ $(wc -l <"$T/pids.socat") -ge 2 && $(answer probe 127.0.0.1 "$PORT") == accepted ]]; }
  _poll "a new socat on port $PORT" "$WAIT_TIMEOUT" restarted
  pid_alive "$PARENT" || fail "$NAME ended when its socat was killed: $(cat "$T/$NAME.err")"
  rm "$T/$NAME.downloaded"
  downloading
  kill -TERM "$DOWNLOAD"
  bg_wait "$DOWNLOAD"
  touch "$T/$NAME.ready.stop"
  # shellcheck disable=SC2046 # one pid per argument
  ended 0 "" "$PARENT" "$socat" "$conn" $(cat "$T/pids.socat" "$T/pids.socat-conn")
  assert_not_contains "$(cat "$T/$NAME.err")" "error" "stderr of $NAME"

  # --- COMMAND, as soon as it runs; then while the download runs ---
  for phase in start traffic; do
    NAME=command-$phase-$mode
    start "$NAME" builtin "$mode"
    [[ $phase == traffic ]] && downloading
    cmd=$(first_pid "$T/$NAME.cmd")
    child=$(child_of "$PARENT")
    kill -KILL "$cmd"
    [[ $phase == traffic ]] && download_ended
    ended 255 "$C_ERR command [sh -c echo \$\$ >\"\$1\"; exec python3 \"\$2\" \"\$3\" zero:127.0.0.1:80 sh $T/$NAME.cmd $PORT_SERVER $T/$NAME.ready] exited: signal: killed
$P_ERR child exited: exit status 255" "$PARENT" "$child" "$cmd" "$(cat "$T/pids.slirp4netns")"
  done

  # --- the child, while newuidmap writes its map, while slirp4netns starts, and while the
  # download runs ---
  for held in newuidmap slirp4netns ""; do
    NAME=child-${held:-traffic}-$mode
    [[ -n $held ]] && touch "$T/hold.$held"
    start "$NAME" builtin "$mode"
    if [[ -n $held ]]; then
      first_pid "$T/pids.$held" >/dev/null
    else
      downloading
    fi
    child=$(child_of "$PARENT")
    kill -KILL "$child"
    [[ -n $held ]] && rm "$T/hold.$held"
    [[ -z $held ]] && download_ended
    ended 255 "$P_ERR child exited: signal: killed" "$PARENT" "$child" "$(cat "$T/pids.slirp4netns" 2>/dev/null)"
  done
done

# --- the parent, while slirp4netns starts and while the download runs: everything below it goes
# (the parent death signal). Nothing can remove a temporary state dir then (test-parent-kill.sh),
# so only with --state-dir, which the next run cleans ---
for held in slirp4netns ""; do
  NAME=parent-${held:-traffic}
  [[ -n $held ]] && touch "$T/hold.$held"
  start "$NAME" builtin given
  if [[ -n $held ]]; then
    first_pid "$T/pids.$held" >/dev/null
  else
    downloading
  fi
  child=$(child_of "$PARENT")
  kill -KILL "$PARENT"
  [[ -n $held ]] && rm "$T/hold.$held"
  [[ -z $held ]] && download_ended
  ended 137 "" "$child" "$(cat "$T/pids.slirp4netns")"
done
