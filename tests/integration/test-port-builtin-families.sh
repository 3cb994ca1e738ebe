#!/usr/bin/env bash
# The builtin driver's address families, client to listener to child target. port_server.py
# inside listens on several loopback addresses and tags each answer with the listener that
# answered, so every case checks both ends:
# - host side: v4 and v6 listeners (127.0.0.1, ::1); `tcp` on 0.0.0.0 or an empty IP is
#   dual-stack (an IPv6 client to ::1 is accepted), so is `tcp` on [::], tcp4 is v4-only, tcp6 v6-only, a tcp4 and
#   a tcp6 port on the same number at once; udp dual-stack and udp6;
# - child side: the child IP when given (v6-to-v4 `[::1]:P:127.0.0.1:80`, v4-to-v6
#   `127.0.0.1:P:[::1]:80`), else the parent IP (`[::1]` dials ::1 inside, `[::]` the v6
#   wildcard, i.e. ::1, 127.0.0.2 dials 127.0.0.2), except empty/0.0.0.0 -> 127.0.0.1 (the
#   host-address case is in test-port-source-ip.sh, which has a host of its own);
# - a listener of the wrong family for its IP fails with Go's text (as Debian's 1.1 says).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/port_lib.sh"

[[ -n $(ip -6 addr show dev lo 2>/dev/null) ]] || skip "the host has no IPv6 on lo"
for v in v4 v6 any v6any empty tcp4 tcp6 v6to4 v4to6 same lo2 udp udp6; do
  declare "p_$v=$(free_port)"
done
# shellcheck disable=SC2154 # p_* are declared by the loop above
{
  specs="127.0.0.1:$p_v4:80/tcp,[::1]:$p_v6:80/tcp,0.0.0.0:$p_any:80/tcp,:$p_empty:80/tcp,[::]:$p_v6any:80/tcp"
  specs+=",0.0.0.0:$p_tcp4:80/tcp4,[::]:$p_tcp6:80/tcp6,[::1]:$p_v6to4:127.0.0.1:80/tcp"
  specs+=",127.0.0.1:$p_v4to6:[::1]:80/tcp,0.0.0.0:$p_same:81/tcp4,[::]:$p_same:81/tcp6"
  specs+=",127.0.0.2:$p_lo2:80/tcp,:$p_udp:81/udp,[::1]:$p_udp6:81/udp6"
}
start_server families "$ROOTLESSKIT" --net=slirp4netns --disable-host-loopback --port-driver=builtin -p "$specs" -- \
  tcp:127.0.0.1:80 "tcp:[::1]:80" tcp:127.0.0.2:80 tcp:127.0.0.1:81 "tcp:[::1]:81" udp:127.0.0.1:81 "udp:[::1]:81"

v4=tcp:127.0.0.1:80 v6="tcp:[::1]:80"
refused="error: ECONNREFUSED"
# check NAME PROTO CLIENT_HOST PORT EXPECTED_LISTENER_TAG_AND_PEER | refused
check() {
  local want=$5
  [[ $want == "$refused" ]] || want="$5 $1"
  if [[ $2 == probe ]]; then
    expect_answer "$1: $3 -> port $4" probe "$3" "$4" "$want"
  else
    expect_answer "$1: $3 -> port $4" "$2" "$3" "$4" "$1" "$want"
  fi
}
check v4 tcp 127.0.0.1 "$p_v4" "$v4 127.0.0.1"
check v4 probe ::1 "$p_v4" "$refused"
check v6 tcp ::1 "$p_v6" "$v6 ::1"
check v6 probe 127.0.0.1 "$p_v6" "$refused"
check any tcp 127.0.0.1 "$p_any" "$v4 127.0.0.1"
check any tcp ::1 "$p_any" "$v4 127.0.0.1"
check v6any tcp 127.0.0.1 "$p_v6any" "$v6 ::1"
check v6any tcp ::1 "$p_v6any" "$v6 ::1"
check empty tcp 127.0.0.1 "$p_empty" "$v4 127.0.0.1"
check empty tcp ::1 "$p_empty" "$v4 127.0.0.1"
check tcp4 tcp 127.0.0.1 "$p_tcp4" "$v4 127.0.0.1"
check tcp4 probe ::1 "$p_tcp4" "$refused"
check tcp6 tcp ::1 "$p_tcp6" "$v6 ::1"
check tcp6 probe 127.0.0.1 "$p_tcp6" "$refused"
check v6to4 tcp ::1 "$p_v6to4" "$v4 127.0.0.1"
check v4to6 tcp 127.0.0.1 "$p_v4to6" "$v6 ::1"
check same-v4 tcp 127.0.0.1 "$p_same" "tcp:127.0.0.1:81 127.0.0.1"
check same-v6 tcp ::1 "$p_same" "tcp:[::1]:81 ::1"
check lo2 tcp 127.0.0.2 "$p_lo2" "tcp:127.0.0.2:80 127.0.0.1"
check lo2 probe 127.0.0.1 "$p_lo2" "$refused"
check udp udp 127.0.0.1 "$p_udp" "udp:127.0.0.1:81 127.0.0.1"
check udp udp ::1 "$p_udp" "udp:127.0.0.1:81 127.0.0.1"
check udp6 udp ::1 "$p_udp6" "udp:[::1]:81 ::1"

# The host sockets: the dual-stack ones are [::] with IPV6_V6ONLY off, tcp6 on [::] is v6-only.
assert_eq "*:$p_any" "$(ss -Hltn "sport = :$p_any" | awk '{ print $4 }')" "dual-stack listener for 0.0.0.0 (ss)"
assert_eq "0.0.0.0:$p_same [::]:$p_same" "$(ss -Hltn "sport = :$p_same" | awk '{ print $4 }' | sort | tr '\n' ' ' | sed 's/ $//')" \
  "tcp4 and tcp6 listeners on one port (ss)"

# A listener of the wrong family: the same text as Debian's 1.1 (Go's net.Listen).
p=$(free_port)
ctl add-ports "[::1]:$p:80/tcp4"
assert_rc 1 "tcp4 on ::1"
assert_eq "error: listen tcp4: address ::1: no suitable address found" "$ERR" "tcp4 on ::1"
ctl add-ports "127.0.0.1:$p:80/tcp6"
assert_rc 1 "tcp6 on 127.0.0.1"
assert_eq "error: listen tcp6: address 127.0.0.1: no suitable address found" "$ERR" "tcp6 on 127.0.0.1"
no_listener "$p" || fail "port $p bound after failed add-ports"

stop_server families
