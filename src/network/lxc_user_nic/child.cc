// lxc-user-nic child driver: starts the lease keeper and remembers what it configured.
#include "network/lxc_user_nic/child.h"

#include "common/error.h"
#include "common/log.h"

namespace rootlesskit::network::lxc_user_nic {

ChildDriver::ChildDriver(std::string bridge) : m_bridge(std::move(bridge)) {}

std::string ChildDriver::configure_child(const messages::NetworkDriverCompleted& message,
                                         const std::string& detached_netns_path) {
  if (message.dev.empty()) {
    throw Error("could not determine the veth created by lxc-user-nic");
  }
  m_keeper.emplace(KeeperRequest{message.dev, message.mtu, detached_netns_path, m_bridge});
  const messages::NetworkDriverCompleted& c = m_keeper->configured();
  log::debug("dhcp: {} got {}/{} via {}, DNS {}", c.dev, c.ip, c.netmask, c.gateway,
             c.dns.empty() ? "" : c.dns.front());
  return message.dev;
}

std::vector<std::string> ChildDriver::learned_dns() const {
  return m_keeper ? m_keeper->configured().dns : std::vector<std::string>{};
}

}  // namespace rootlesskit::network::lxc_user_nic
