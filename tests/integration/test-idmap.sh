#!/usr/bin/env bash
# uid/gid maps: inside, the caller is uid 0 and the maps equal what Debian's reference
# rootlesskit sets up for the same user (0 <uid> 1, then the subordinate ranges from 1).
# The caller stays unprivileged on the host: /etc/shadow remains unreadable.
source "$(dirname "$0")/lib.sh"

maps='cat /proc/self/uid_map; echo --; cat /proc/self/gid_map'

run "$REF_ROOTLESSKIT" sh -c "$maps"
assert_rc 0 "reference rootlesskit"
want=$OUT
assert_contains "$want" "$(printf '%10s %10s %10s' 0 "$(id -u)" 1)" "reference uid_map"

rk sh -c "$maps"
assert_rc 0
assert_eq "$want" "$OUT" "uid_map and gid_map inside"

rk id -u
assert_rc 0
assert_eq 0 "$OUT" "id -u inside"
rk id -g
assert_eq 0 "$OUT" "id -g inside"

rk cat /etc/shadow
assert_ne 0 "$RC" "exit code of cat /etc/shadow inside"
assert_contains "$ERR" "Permission denied" "stderr of cat /etc/shadow"

# Every --subid-source gives the same maps here: getsubids (dynamic) reads the same
# /etc/subuid as the static source on Debian's default nsswitch.conf. GETSUBIDS forces the real
# getsubids program even where auto would read the files directly.
for source in auto dynamic static; do
  rk --subid-source=$source sh -c "$maps"
  assert_rc 0 "--subid-source=$source"
  assert_eq "$want" "$OUT" "maps with --subid-source=$source"
done
run env GETSUBIDS=/usr/bin/getsubids "$ROOTLESSKIT" --debug --subid-source=auto sh -c "$maps"
assert_rc 0 "--subid-source=auto through getsubids"
assert_eq "$want" "$OUT" "maps through getsubids"
assert_contains "$ERR" "Executing [/usr/bin/getsubids $(id -un)]" "debug log of the dynamic source"

rk --subid-source=bogus true
assert_rc 1 "--subid-source=bogus"
assert_contains "$ERR" 'unknown subid source "bogus"'
