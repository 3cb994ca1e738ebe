// DHCP messages inside Ethernet frames, for drivers that move frames themselves instead of using
// a kernel socket (vpnkit: the parent asks VPNKit for a lease over the vif before any interface
// exists). Pure code: Ethernet II + IPv4 + UDP headers around dhcp/message.h's bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "network/dhcp/message.h"

namespace rootlesskit::network::dhcp {

// A client frame: `source` -> ff:ff:ff:ff:ff:ff, IPv4 0.0.0.0 -> 255.255.255.255 (TTL 64, header
// checksum set), UDP 68 -> 67 (checksum 0: optional for IPv4, RFC 768).
std::vector<uint8_t> client_frame(const MacAddress& source, const std::vector<uint8_t>& dhcp_payload);

// The DHCP payload of a frame that is IPv4/UDP from port 67 to port 68 (any addresses), or
// nullopt for any other frame (ARP, other ports, IP options past the frame, truncated).
std::optional<std::vector<uint8_t>> server_payload(const uint8_t* frame, size_t size);

// The Internet checksum (RFC 1071) of `size` bytes.
uint16_t internet_checksum(const uint8_t* data, size_t size);

}  // namespace rootlesskit::network::dhcp
