#!/usr/bin/env bash
# rootlessctl and the REST API socket: `info`, `info --json` and `list-ports` against our
# api.sock (apiVersion 1.1.1, stateDir, childPID), and both directions of interoperability with
# Debian's reference: its rootlessctl against our socket prints what ours prints, and ours
# against its rootlesskit prints what its rootlessctl prints. Ports: test-rootlessctl-ports.sh.
source "$(dirname "$0")/lib.sh"
require_cmd jq
[[ -x $ROOTLESSCTL ]] || fail "rootlessctl under test not found: ROOTLESSCTL=$ROOTLESSCTL"

ctl() { run "$ROOTLESSCTL" --socket "$STATE/api.sock" "$@"; }
ref_ctl() { run "$REF_ROOTLESSCTL" --socket "$STATE/api.sock" "$@"; }

# --- ours, host network ---
start_instance ours "$ROOTLESSKIT"
ours=$PARENT
child=$(<"$STATE/child_pid")

ctl info --json
assert_rc 0 "rootlessctl info --json"
json=$OUT
assert_eq 1.1.1 "$(jq -r .apiVersion <<<"$json")" "apiVersion"
assert_eq "$STATE" "$(jq -r .stateDir <<<"$json")" "stateDir"
assert_eq "$child" "$(jq -r .childPID <<<"$json")" "childPID"
assert_eq false "$(jq 'has("networkDriver") or has("portDriver")' <<<"$json")" "driver keys for host network"
[[ $(jq -r .version <<<"$json") =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || fail "version in info: $json"
ref_ctl info --json
assert_rc 0 "Debian's rootlessctl info --json against our socket"
assert_eq "$json" "$OUT" "info --json of Debian's rootlessctl vs ours"

ctl info
assert_rc 0 "rootlessctl info"
text=$OUT
assert_contains "$text" "- REST API version: 1.1.1"$'\n'
assert_contains "$text" $'\n'"- State Directory: $STATE"$'\n'
assert_contains "$text" $'\n'"- Child PID: $child"
ref_ctl info
assert_eq "$text" "$OUT" "info of Debian's rootlessctl vs ours"

# $ROOTLESSKIT_STATE_DIR locates the socket when --socket is absent.
RC=0
OUT=$(ROOTLESSKIT_STATE_DIR=$STATE "$ROOTLESSCTL" info --json) || RC=$?
assert_eq 0 "$RC" "rootlessctl info with \$ROOTLESSKIT_STATE_DIR"
assert_eq "$json" "$OUT" "info --json via \$ROOTLESSKIT_STATE_DIR"

ctl list-ports
assert_rc 1 "list-ports on host network"
assert_eq "error: no PortDriver is available" "$ERR" "list-ports on host network"
stop_instance ours "$ours"

# --- our rootlessctl against Debian's rootlesskit ---
start_instance ref "$REF_ROOTLESSKIT"
ref=$PARENT
ref_ctl info --json
assert_rc 0 "Debian's rootlessctl against Debian's rootlesskit"
want=$OUT
ctl info --json
assert_rc 0 "our rootlessctl info --json against Debian's rootlesskit"
assert_eq "$want" "$OUT" "info --json against Debian's rootlesskit"
ref_ctl info
want=$OUT
ctl info
assert_eq "$want" "$OUT" "info against Debian's rootlesskit"
ctl list-ports
assert_rc 1 "list-ports against Debian's rootlesskit (host network)"
assert_eq "error: no PortDriver is available" "$ERR"
stop_instance ref "$ref"
