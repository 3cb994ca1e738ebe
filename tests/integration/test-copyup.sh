#!/usr/bin/env bash
# --copy-up: the directory becomes a writable tmpfs of symlinks into a read-only-looking
# bind of the original (entries are `.ro<digits>/<name>`); changes stay inside the namespace.
# /tmp and / are refused; the comma form `--copy-up=/etc,/run` copies up both (v3; Debian 1.1
# fails). Writes inside go to the tmpfs only (or to this test's own data through a symlink).
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

# `/` is refused up front (upstream: `mkdir //.ro...`, and an empty /tmp/rootlesskit-bNNN left
# behind), also when a symlink leads there; nothing is left under /tmp.
touch "$T/stamp"
rk --copy-up=/ sh -c 'echo ran'
assert_rc 1 "--copy-up=/"
assert_contains "$ERR" "/ cannot be copied up: copy up the directories that must be writable instead (e.g. --copy-up=/etc)"
assert_not_contains "$OUT" ran "COMMAND output with --copy-up=/"
ln -s / "$T/rootlink"
rk --copy-up="$T/rootlink" sh -c 'echo ran'
assert_rc 1 "--copy-up=a symlink to /"
assert_contains "$ERR" "/ cannot be copied up"
assert_not_contains "$OUT" ran "COMMAND output with --copy-up=a symlink to /"
# Other tests' copy-ups make (and at once remove) such directories too: only ours would stay.
left_in_tmp() { find /tmp -maxdepth 1 -name 'rootlesskit-b*' -user "$(id -u)" -newer "$T/stamp" | grep -q .; }
_poll "no /tmp/rootlesskit-b* left by the refused copy-ups" "$WAIT_TIMEOUT" eval '! left_in_tmp'

# A directory named through a symlink is copied up where the symlink leads (this test's own data).
mkdir "$T/data"
echo original >"$T/data/f"
ln -s data "$T/dlink"
rk --copy-up="$T/dlink" sh -c 'readlink "$1/dlink/f"; echo new >"$1/dlink/g"; cat "$1/data/g"' sh "$T"
assert_rc 0 "--copy-up=a symlink to a directory"
[[ $(head -n1 <<<"$OUT") =~ ^\.ro[0-9]+/f$ ]] || fail "copied-up $T/dlink/f: [$OUT]"
assert_contains "$OUT" new "a new file in the copied-up directory, seen through its real path"
assert_eq f "$(ls -A "$T/data")" "$T/data on the host after the run"
assert_eq original "$(cat "$T/data/f")" "$T/data/f on the host after the run"
