#!/usr/bin/env python3
"""Runs a command on a fresh pseudo-terminal, waits for it to print "ready", types Ctrl-C once,
and prints everything the command wrote. Used by test-tty.sh to count how often COMMAND receives
the terminal's SIGINT (upstream forwards it again on top: docs/compatibility.md, Processes and
signals)."""
import os
import pty
import select
import sys
import time


def main():
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(sys.argv[1], sys.argv[1:])
    out = b""
    deadline = time.monotonic() + 30
    sent = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        if not sent and b"ready" in out:
            os.write(fd, b"\x03")
            sent = True
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
    sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else 0)


main()
