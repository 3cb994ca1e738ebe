#!/usr/bin/env bash
# no_new_privs: under `setpriv --no-new-privs` the setuid newuidmap cannot work, so rootlesskit
# must fail quickly with a message that names no_new_privs (Debian's 1.1 fails with the raw
# `newuidmap: write to uid_map failed: Operation not permitted` instead).
source "$(dirname "$0")/lib.sh"
require_cmd setpriv

RUN_TIMEOUT=10
run setpriv --no-new-privs "$ROOTLESSKIT" true
assert_rc 1 "exit code under no_new_privs"
assert_contains "$ERR" "[rootlesskit:parent] error: " "stderr under no_new_privs"
assert_contains "$ERR" "no_new_privs" "stderr under no_new_privs"

# The same binary works once the flag is gone.
rk true
assert_rc 0 "exit code without no_new_privs"
