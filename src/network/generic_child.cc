// Generic interface configuration of the child (netlink; no `ip` processes).
#include "network/generic_child.h"

#include "common/error.h"
#include "network/netlink.h"
#include "network/netns.h"

namespace rootlesskit::network {

void configure_from_message(const messages::NetworkDriverCompleted& m) {
  if (m.dev.empty()) {
    throw Error("could not determine the preconfigured tap");
  }
  netlink::configure_interface({m.dev, m.mtu, m.ip, m.netmask, m.gateway});
}

std::string GenericChildDriver::configure_child(const messages::NetworkDriverCompleted& message,
                                                const std::string& detached_netns_path) {
  if (detached_netns_path.empty()) {
    configure_from_message(message);
  } else {
    // We are already in the namespace's owning user namespace: only the netns is joined.
    run_in_netns(NetnsTarget{"", detached_netns_path}, [&] { configure_from_message(message); });
  }
  return message.dev;
}

}  // namespace rootlesskit::network
