// inet_pton/inet_ntop based IPv4 network parsing and offsets.
#include "rootlesskit/ipv4_net.h"

#include <arpa/inet.h>

#include "common/error.h"
#include "common/strings.h"

namespace rootlesskit::network {
namespace {

std::string format_address(uint32_t host_order) {
  in_addr a{htonl(host_order)};
  char text[INET_ADDRSTRLEN];
  ::inet_ntop(AF_INET, &a, text, sizeof text);
  return text;
}

}  // namespace

Ipv4Network Ipv4Network::parse(const std::string& cidr) {
  const size_t slash = cidr.find('/');
  const std::string address = cidr.substr(0, slash);
  // Plain values, not an optional: GCC 12 at -Os warns falsely about copying one here.
  bool has_prefix = false;
  long long prefix = -1;
  if (slash != std::string::npos) {
    if (auto parsed = parse_int(cidr.substr(slash + 1))) {
      has_prefix = true;
      prefix = *parsed;
    }
  }
  in_addr a{};
  if (::inet_pton(AF_INET, address.c_str(), &a) != 1) {
    in6_addr a6{};
    if (has_prefix && ::inet_pton(AF_INET6, address.c_str(), &a6) == 1) {
      throw Error("expected IPv4 address, got " + address);
    }
    throw Error("invalid CIDR address: " + cidr);
  }
  if (!has_prefix || prefix < 0 || prefix > 32) {
    throw Error("invalid CIDR address: " + cidr);
  }
  Ipv4Network net;
  net.m_prefix = static_cast<int>(prefix);
  uint32_t mask = net.m_prefix == 0 ? 0 : ~uint32_t{0} << (32 - net.m_prefix);
  net.m_address = ntohl(a.s_addr) & mask;
  return net;
}

std::string Ipv4Network::to_string() const { return format_address(m_address) + "/" + std::to_string(m_prefix); }

std::string Ipv4Network::host(uint32_t offset) const {
  uint64_t sum = uint64_t{m_address} + offset;
  if (sum > 0xffffffffu) {
    throw Error(format_address(m_address) + " + " + std::to_string(offset) + " overflows");
  }
  return format_address(static_cast<uint32_t>(sum));
}

}  // namespace rootlesskit::network
