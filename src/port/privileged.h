// The hint for a port below net.ipv4.ip_unprivileged_port_start that could not be bound
// (upstream pkg/port/builtin/parent annotateEPERM), with its CAP_NET_BIND_SERVICE advice true
// to this binary's actual file capabilities. Runs in the parent.
#pragma once

#include <string>

namespace rootlesskit::port {

// `listen_error` is Go's text of the failed listen (`listen tcp 0.0.0.0:80: bind: permission
// denied`). Returns it unchanged unless `port` is below the unprivileged port start; otherwise
// `cannot expose privileged port 80, you can add 'net.ipv4.ip_unprivileged_port_start=80' to
// /etc/sysctl.conf (currently 1024), or set CAP_NET_BIND_SERVICE on rootlesskit binary, or choose
// a larger port number (>= 1024): <listen_error>`. The CAP_NET_BIND_SERVICE clause appears only
// when this program is called rootlesskit (as upstream) and its file lacks that capability.
std::string explain_privileged_port(int port, const std::string& listen_error);

// The parts, for tests: the sysctl value (nullopt-like -1 when unreadable) and whether the
// running binary's file has CAP_NET_BIND_SERVICE in its permitted set.
int unprivileged_port_start();
bool binary_has_net_bind_service();

}  // namespace rootlesskit::port
