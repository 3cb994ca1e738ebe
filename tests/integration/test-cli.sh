#!/usr/bin/env bash
# Command line: --version and --help succeed quietly; bad option values and a missing COMMAND
# fail with exit 1 and the upstream message; `--` ends the options and single-dash long flags
# work. (--print-semver is v3; Debian's 1.1 does not have it.)
source "$(dirname "$0")/lib.sh"

rk --version
assert_rc 0 "--version"
[[ $OUT =~ ^rootlesskit\ version\ ([0-9]+)\.[0-9]+\.[0-9]+ ]] || fail "--version printed [$OUT]"
major=${BASH_REMATCH[1]}
assert_eq "" "$ERR" "stderr of --version"
rk -v
assert_rc 0 "-v"
assert_contains "$OUT" "rootlesskit version "

rk --help
assert_rc 0 "--help"
assert_eq "" "$ERR" "stderr of --help"
assert_contains "$OUT" "NAME:"$'\n'"   rootlesskit - Linux-native fakeroot using user namespaces"
assert_contains "$OUT" "--state-dir value"
rk -h
assert_rc 0 "-h"

rk --net=foo true
assert_rc 1 "--net=foo"
assert_contains "$ERR" "[rootlesskit:parent] error: unknown network mode: foo"

rk --mtu=abc true
assert_rc 1 "--mtu=abc"
assert_contains "$ERR" '[rootlesskit:parent] error: invalid value "abc" for flag -mtu: parse error'

rk --mtu=70000 true
assert_rc 1 "--mtu=70000"
assert_contains "$ERR" "[rootlesskit:parent] error: mtu must be <= 65521, got 70000"

rk --port-driver=builtin true
assert_rc 1 "--port-driver=builtin with host network"
assert_contains "$ERR" "[rootlesskit:parent] error: port driver requires non-host network"

rk --debug=yes true
assert_rc 1 "--debug=yes"
assert_contains "$ERR" 'invalid boolean value "yes" for -debug: parse error'

rk
assert_rc 1 "no command"
assert_contains "$ERR" "[rootlesskit:parent] error: no command specified"

rk -- echo after-dashdash
assert_rc 0 "-- echo"
assert_eq after-dashdash "$OUT" "output after --"

rk -debug=false echo single-dash
assert_rc 0 "single-dash long flag"
assert_eq single-dash "$OUT"

# Options after COMMAND belong to COMMAND.
rk echo --net=foo
assert_rc 0 "option after COMMAND"
assert_eq --net=foo "$OUT"

rk --print-semver=major
assert_rc 0 "--print-semver=major (v3)"
assert_eq "$major" "$OUT" "--print-semver=major"

# gvisor-tap-vsock is listed by --help (as upstream) but needs gVisor's Go network stack: ours
# refuses it at start, naming the alternatives, with nothing left behind. (Debian's 1.1 predates
# the driver and rejects the name as unknown.)
rk --net=gvisor-tap-vsock true
assert_rc 1 "--net=gvisor-tap-vsock"
if [[ $ERR == *"unknown network mode"* ]]; then
  echo "gvisor-tap-vsock: this rootlesskit predates the driver"
else
  assert_contains "$ERR" 'error: network driver "gvisor-tap-vsock" is not supported by this implementation'
  assert_contains "$ERR" "use --net=slirp4netns or --net=pasta instead"
fi
[[ -z $(ls -A "$TMPDIR") ]] || fail "--net=gvisor-tap-vsock left $(ls -A "$TMPDIR") in TMPDIR"
