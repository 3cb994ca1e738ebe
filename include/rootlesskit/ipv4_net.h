// IPv4 network arithmetic for the drivers' fixed addresses (net+100 for the child, net+2 for the
// gateway, net+3 for DNS), with upstream's error texts (pkg/network/iputils). Part of the
// embedding API: the CIDR of the slirp4netns and pasta options (rootlesskit/network.h).
#pragma once

#include <cstdint>
#include <string>

namespace rootlesskit::network {

class Ipv4Network {
 public:
  // Parses "a.b.c.d/n"; host bits are dropped, as Go's net.ParseCIDR does. Throws Error
  // "invalid CIDR address: <s>" or, for an IPv6 CIDR, "expected IPv4 address, got <addr>".
  static Ipv4Network parse(const std::string& cidr);

  // "10.0.2.0/24" (Go's IPNet.String()).
  std::string to_string() const;
  int prefix() const { return m_prefix; }
  // The address `offset` after the network address, e.g. host(100) = "10.0.2.100". Throws
  // Error "<network address> + <offset> overflows" past 255.255.255.255.
  std::string host(uint32_t offset) const;

 private:
  uint32_t m_address = 0;  // host byte order
  int m_prefix = 0;
};

}  // namespace rootlesskit::network
