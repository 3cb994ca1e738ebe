// vpnkit option resolution (parent, before anything is created) and argv.
#include "network/vpnkit/options.h"

#include "common/error.h"
#include "common/log.h"
#include "common/process.h"

namespace rootlesskit::network::vpnkit {

Options resolve(Options o) {
  try {
    o.binary = look_path(o.binary);
  } catch (const Error& e) {
    throw Error(std::string(e.what()) +
                " (VPNKit is not packaged for Debian: install it from https://github.com/moby/vpnkit, "
                "or pass its path with --vpnkit-binary)");
  }
  if (o.mtu != default_mtu) {
    log::warn(
        "vpnkit is known to have issues with non-1500 MTU (current: {}), see "
        "https://github.com/rootless-containers/rootlesskit/issues/6#issuecomment-403531453",
        o.mtu);
  }
  return o;
}

std::vector<std::string> build_argv(const Options& o, const std::string& socket_path) {
  std::vector<std::string> argv = {o.binary, "--ethernet", socket_path, "--mtu", std::to_string(o.mtu)};
  if (o.disable_host_loopback) {
    argv.insert(argv.end(), {"--host-ip", "0.0.0.0"});
  }
  return argv;
}

}  // namespace rootlesskit::network::vpnkit
