// --net=vpnkit, child half: starts the relay (relay.h) that creates the tap with VPNKit's MAC and
// connects it to the parent's vif (same UUID), then applies the generic configuration (address
// from VPNKit's DHCP, gateway 192.168.65.1, MTU). Runs in the child; the relay lives as long as
// the child does.
#pragma once

#include <optional>

#include "network/driver.h"
#include "network/vpnkit/relay.h"

namespace rootlesskit::network::vpnkit {

// The relay's request from the parent's opaque values. Throws Error "no VPNKit MAC is set",
// "no VPNKit socket is set", "no VPNKit UUID is set" (upstream's texts), or a bad MAC.
RelayRequest relay_request(const messages::NetworkDriverCompleted& message, const std::string& detached_netns_path);

class ChildDriver final : public network::ChildDriver {
 public:
  std::string configure_child(const messages::NetworkDriverCompleted& message,
                              const std::string& detached_netns_path) override;

 private:
  std::optional<Relay> m_relay;
};

}  // namespace rootlesskit::network::vpnkit
