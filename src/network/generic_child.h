// The child half shared by the drivers whose parent half hands over a ready tap (slirp4netns,
// vdeplug_slirp): set the interface up, its MTU, address and default route by netlink, in the
// child's netns or, with --detach-netns, in a helper that joined the detached one.
#pragma once

#include "network/driver.h"

namespace rootlesskit::network {

// Applies the message's Dev/MTU/IP/Netmask/Gateway in the current netns, in upstream's order
// (pkg/child/child.go activateDev).
// Throws Error "could not determine the preconfigured tap" when Dev is empty.
void configure_from_message(const messages::NetworkDriverCompleted& message);

class GenericChildDriver final : public ChildDriver {
 public:
  std::string configure_child(const messages::NetworkDriverCompleted& message,
                              const std::string& detached_netns_path) override;
};

}  // namespace rootlesskit::network
