// --net=lxc-user-nic (upstream pkg/network/lxcusernic/lxcusernic.go), parent half: the setuid
// lxc-user-nic creates a veth pair on the host's bridge and moves one end into the child's netns
// as <ifname>. The kernel deletes the pair when that netns goes away, so nothing needs stopping.
// The child half (child.h) learns the address by DHCP. Runs in the parent.
#pragma once

#include "network/driver.h"
#include "network/lxc_user_nic/options.h"

namespace rootlesskit::network::lxc_user_nic {

class ParentDriver final : public network::ParentDriver {
 public:
  // `options` as resolve() returns them.
  explicit ParentDriver(Options options);

  // {"driver":"lxc-user-nic","dynamicChildIP":true}, as upstream: the address is the DHCP
  // server's choice, made in the child, so the parent never knows it.
  api::NetworkDriverInfo info() const override;
  // Runs lxc-user-nic on the child's pid (or, with --detach-netns, on a NetnsHolder's) and
  // returns Dev and MTU only. Throws Error "<argv> failed: <output>: exit status N (<advice>)".
  messages::NetworkDriverCompleted configure(pid_t child_pid, const std::string& state_dir,
                                             const std::string& detached_netns_path) override;

 private:
  void create_veth(pid_t netns_pid);

  Options m_options;
};

}  // namespace rootlesskit::network::lxc_user_nic
