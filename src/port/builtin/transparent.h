// Policy routing for --source-ip-transparent, set up once inside the child's network namespace
// (upstream pkg/port/builtin/child setupTransparentRouting): a socket bound to a client's
// non-local address with IP_TRANSPARENT only gets its answers back if packets of such
// connections are marked and routed to the local table. Needs iptables/ip6tables (mangle
// table, connmark) and ip. Runs in the child, on its main thread, in the target netns.
#pragma once

namespace rootlesskit::port::builtin {

// Returns whether transparent connections can be made. Logs why not (`source IP transparent:
// iptables not found, disabling: ...`, `... iptables mangle table not available, disabling:
// ...`); a failing individual rule is logged and does not disable it (as upstream).
bool setup_transparent_routing();

}  // namespace rootlesskit::port::builtin
