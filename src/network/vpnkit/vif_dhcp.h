// Learning the vif's IPv4 address from VPNKit's DHCP server over the vif connection itself
// (no interface exists yet): broadcast DISCOVERs, take the yiaddr of the OFFER, as upstream's
// vmnet client does. Runs in the parent, on its own connection.
#pragma once

#include <chrono>

#include "network/dhcp/message.h"

namespace rootlesskit::network::vpnkit {

// Sends a DISCOVER (from `mac`) every second and reads frames until an OFFER to our xid and MAC
// arrives; returns its yiaddr. Other frames are skipped. Throws Error
// "did not get a DHCP offer from VPNKit within <timeout>s", or "VPNKit closed the connection"
// on EOF, or "got zero YourIPAddr".
dhcp::Ipv4Address request_address(int fd, const dhcp::MacAddress& mac, std::chrono::seconds timeout);

}  // namespace rootlesskit::network::vpnkit
