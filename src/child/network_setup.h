// The child's part of networking (docs/ARCHITECTURE.md steps 11 and 20): the detached netns for
// --detach-netns, then lo, the driver's interface configuration and hosts/resolv.conf.
// Runs in the child (namespace root, full capabilities), before COMMAND starts.
#pragma once

#include <memory>
#include <string>

#include "messages/message.h"
#include "network/driver.h"

namespace rootlesskit::child {

// --detach-netns: creates the netns and bind-mounts it on STATE/netns (lo up inside). Returns
// that path. Throws Error `failed to create a detached netns on "<path>": ...`.
std::string create_detached_netns(const std::string& state_dir);

struct NetworkSetup {
  std::string network;                           // --net: host | none | <driver>
  std::shared_ptr<network::ChildDriver> driver;  // null for host and none
  std::string state_dir;
  std::string detached_netns_path;  // empty unless --detach-netns
  bool etc_copied_up = false;
};

// host: nothing. none: lo up (no DNS there, so /etc/resolv.conf is left alone). Drivers: lo up,
// the driver's configuration, then STATE/hosts + STATE/resolv.conf, bind-mounted over /etc's
// unless detached (COMMAND then runs in the host's netns with the host's /etc).
void setup_network(const NetworkSetup& setup, const messages::NetworkDriverCompleted& message);

}  // namespace rootlesskit::child
