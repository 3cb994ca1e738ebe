#!/usr/bin/env bash
# --copy-up: the directory becomes a writable tmpfs of symlinks into a read-only-looking
# bind of the original (entries are `.ro<digits>/<name>`); changes stay inside the namespace.
# /tmp is refused; the comma form `--copy-up=/etc,/run` copies up both (v3; Debian 1.1 fails).
source "$(dirname "$0")/lib.sh"

host_hosts=$(cat /etc/hosts)
new=rktest-copyup-$$

# Replace /etc/hosts (a symlink into .roN after copy-up) and create a new file.
rk --copy-up=/etc sh -c "
  set -e
  readlink /etc/hosts
  rm /etc/hosts
  echo '10.9.9.9 replaced' >/etc/hosts
  echo created >/etc/$new
  cat /etc/hosts /etc/$new"
assert_rc 0 "replacing /etc/hosts inside"
link=$(head -n1 <<<"$OUT")
[[ $link =~ ^\.ro[0-9]+/hosts$ ]] || fail "copied-up /etc/hosts should be a symlink .ro<digits>/hosts, got [$link]"
assert_contains "$OUT" "10.9.9.9 replaced" "new /etc/hosts inside"
assert_contains "$OUT" "created" "new file inside"
assert_eq "$host_hosts" "$(cat /etc/hosts)" "host /etc/hosts after the run"
[[ ! -e /etc/$new ]] || fail "/etc/$new leaked to the host"

# Every regular entry is a relative symlink into the same .roN dir; the tmpfs is writable.
rk --copy-up=/etc sh -c 'readlink /etc/passwd; test -w /etc && echo writable'
assert_rc 0
[[ $(head -n1 <<<"$OUT") =~ ^\.ro[0-9]+/passwd$ ]] || fail "/etc/passwd link: [$OUT]"
assert_contains "$OUT" writable "/etc inside"

rk --copy-up=/tmp true
assert_rc 1 "--copy-up=/tmp"
assert_contains "$ERR" "/tmp cannot be copied up"

# Comma-separated values are split (upstream/v3 behaviour; Debian's 1.1 does not split).
rk --copy-up=/etc,/run sh -c 'readlink /etc/passwd; touch /run/rktest-'$$' && echo run-writable'
assert_rc 0 "--copy-up=/etc,/run"
assert_contains "$OUT" run-writable "/run inside"
[[ ! -e /run/rktest-$$ ]] || fail "/run/rktest-$$ leaked to the host"

# The tmpfs keeps the directory's own mode (upstream: always 1777; docs/compatibility.md, Mounts).
rk --copy-up=/etc sh -c 'stat -c %a /etc'
assert_rc 0
assert_eq "$(stat -c %a /etc)" "$OUT" "mode of the copied-up /etc"
