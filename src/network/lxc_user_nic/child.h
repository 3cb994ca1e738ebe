// --net=lxc-user-nic, child half: the parent's message names only the veth and the MTU; the
// address, gateway and DNS come from the bridge's DHCP server, asked by a lease keeper process
// (lease_keeper.h) that also renews the lease while COMMAND runs. Runs in the child.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "network/driver.h"
#include "network/lxc_user_nic/lease_keeper.h"

namespace rootlesskit::network::lxc_user_nic {

class ChildDriver final : public network::ChildDriver {
 public:
  // `bridge` (--lxc-user-nic-bridge) only appears in error messages.
  explicit ChildDriver(std::string bridge);

  // Brings Dev up, does DHCPv4 on it, then sets MTU, address and default route (upstream
  // order), in the child's netns or the detached one. Throws Error, e.g. "failed to get a DHCP
  // lease on eth0 (is a DHCP server running on bridge lxcbr0?): did not get DHCPOFFER within 30s".
  std::string configure_child(const messages::NetworkDriverCompleted& message,
                              const std::string& detached_netns_path) override;

  // After configure_child: the first DNS server of the DHCP lease, which resolv.conf must get
  // instead of the parent's (empty) message.dns. Empty before.
  std::vector<std::string> learned_dns() const override;

 private:
  std::string m_bridge;
  std::optional<LeaseKeeper> m_keeper;
};

}  // namespace rootlesskit::network::lxc_user_nic
