#!/usr/bin/env bash
# systemd socket activation (upstream ≥2.1, docs/process.md): started by
# systemd-socket-activate, COMMAND gets the listening socket as fd 3 with LISTEN_FDS=1 and
# LISTEN_PID equal to its own pid, and can answer a client on it. Debian's 1.1 has no socket
# activation support.
source "$(dirname "$0")/lib.sh"
require_cmd systemd-socket-activate python3 socat

sock=$T/activate.sock
# COMMAND: record what it sees, then serve one connection on fd 3.
server='
import os, socket, sys
with open(sys.argv[1], "w") as f:
    f.write("%s %s %d %s\n" % (os.environ.get("LISTEN_FDS"), os.environ.get("LISTEN_PID"),
                               os.getpid(), os.readlink("/proc/self/fd/3")))
listener = socket.socket(fileno=3)
conn, _ = listener.accept()
conn.sendall(b"hello from inside\n")
conn.close()
'
# systemd-socket-activate passes only a few variables (PATH, HOME, USER...): the report path
# travels as an argument.
bg activate systemd-socket-activate -l "$sock" "$ROOTLESSKIT" python3 -c "$server" "$T/report"
activator=$BG_PID
wait_for_socket "$sock"

# systemd-socket-activate starts the service on the first connection.
reply=$(timeout 30 socat -t 20 - "UNIX-CONNECT:$sock" </dev/null) || fail "no reply on $sock; stderr: $(cat "$T/activate.err")"
assert_eq "hello from inside" "$reply" "reply through the activated socket (stderr: $(cat "$T/activate.err"))"
bg_wait "$activator"
assert_eq 0 "$BG_RC" "exit code of the activated rootlesskit; stderr: $(cat "$T/activate.err")"

read -r fds pid self fd3 <"$T/report"
assert_eq 1 "$fds" "LISTEN_FDS inside"
assert_eq "$self" "$pid" "LISTEN_PID inside (must be COMMAND's own pid)"
[[ $fd3 == socket:* ]] || fail "fd 3 inside is [$fd3], expected the listening socket"
