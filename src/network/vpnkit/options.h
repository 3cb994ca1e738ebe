// vpnkit: resolve() (LookPath, the MTU warning) run in the parent before anything is created,
// and vpnkit's argv. The options themselves are public (rootlesskit/network.h).
#pragma once

#include <string>
#include <vector>

#include "rootlesskit/network.h"

namespace rootlesskit::network::vpnkit {

inline constexpr const char* socket_name = "vpnkit-ethernet.sock";
// VPNKit's fixed network: its gateway and DNS (and the /24 upstream assumes).
inline constexpr const char* gateway = "192.168.65.1";
inline constexpr int netmask = 24;

// LookPath (a missing binary says that VPNKit is not packaged for Debian and where to get it),
// and upstream's warning for an MTU other than 1500. Returns the options ParentDriver takes.
Options resolve(Options requested);

// Upstream's argv (pkg/network/vpnkit/vpnkit.go): <binary> --ethernet SOCKET --mtu N
// [--host-ip 0.0.0.0].
std::vector<std::string> build_argv(const Options& options, const std::string& socket_path);

}  // namespace rootlesskit::network::vpnkit
