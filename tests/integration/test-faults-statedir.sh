#!/usr/bin/env bash
# The state dir spoiled while rootlesskit runs. api.sock deleted: rootlessctl says the socket is
# not there (upstream's text), rootlesskit runs on (its published ports too), and COMMAND's exit
# still ends it cleanly, state dir removed. The state dir made read-only (chmod 0500): nothing
# needs to write there while COMMAND runs (the API still adds ports), so only the clean-up at exit
# fails: exit code 0, a warning naming the entry and saying that the next run cleans it, only our
# entries left, and the next run on it does clean it. No process is left either way.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/port_lib.sh"

# gone NAME PORT...: no process of the instance, every PORT closed.
gone() {
  local p name=$1
  shift
  wait_for_no_leftovers "after $name" 5
  for p in "$@"; do
    _poll "port $p to close" 5 no_listener "$p"
  done
}

# --- api.sock deleted ---
p1=$(free_port)
start_server deleted "$ROOTLESSKIT" --net=slirp4netns --disable-host-loopback --port-driver=builtin \
  -p "127.0.0.1:$p1:80/tcp" -- tcp:127.0.0.1:80
rm "$STATE/api.sock"
for args in list-ports "add-ports 127.0.0.1:$(free_port):80/tcp" info; do
  # shellcheck disable=SC2086 # one word per argument
  ctl $args
  assert_rc 1 "rootlessctl $args without api.sock"
  assert_eq "error: stat $STATE/api.sock: no such file or directory" "$ERR" "rootlessctl $args without api.sock"
done
pid_alive "$PARENT" || fail "rootlesskit exited when api.sock was deleted: $(cat "$T/deleted.err")"
expect_answer "the -p port without api.sock" tcp 127.0.0.1 "$p1" x "tcp:127.0.0.1:80 127.0.0.1 x"
stop_server deleted
assert_not_contains "$(cat "$T/deleted.err")" "state dir" "stderr after api.sock was deleted"
[[ ! -e $STATE ]] || fail "state dir left after api.sock was deleted: $(ls -A "$STATE")"
gone deleted "$p1"

# --- the state dir made read-only ---
p1=$(free_port) p2=$(free_port)
start_server readonly "$ROOTLESSKIT" --net=slirp4netns --disable-host-loopback --port-driver=builtin \
  -p "127.0.0.1:$p1:80/tcp" -- tcp:127.0.0.1:80
chmod 0500 "$STATE"
ctl add-ports "127.0.0.1:$p2:80/tcp"
assert_rc 0 "add-ports with a read-only state dir"
assert_eq 2 "$OUT" "id of the port added with a read-only state dir"
expect_answer "the port added with a read-only state dir" tcp 127.0.0.1 "$p2" y "tcp:127.0.0.1:80 127.0.0.1 y"
ctl list-ports --json
assert_rc 0 "list-ports with a read-only state dir"
stop_server readonly
assert_eq "time=\"*\" level=warning msg=\"[rootlesskit:parent] failed to remove the state dir $STATE: failed to remove $STATE/api.sock: permission denied; the next rootlesskit with --state-dir=$STATE cleans it up\"" \
  "$(tail -n1 "$T/readonly.err" | sed 's/^time="[^"]*"/time="*"/')" "the warning at exit with a read-only state dir"
# shellcheck disable=SC2012 # our own file names
assert_eq "api.sock child_pid hosts lock resolv.conf" "$(ls -A "$STATE" | tr '\n' ' ' | sed 's/ $//')" \
  "what the read-only state dir holds after exit"
gone readonly "$p1" "$p2"
rk --state-dir="$STATE" true
assert_rc 0 "a new run on the read-only state dir"
[[ ! -e $STATE ]] || fail "the read-only state dir was not cleaned by the next run: $(ls -A "$STATE")"
