// Ethernet/IPv4/UDP framing of DHCP messages (client side only).
#include "network/dhcp/frame.h"

#include <algorithm>

namespace rootlesskit::network::dhcp {
namespace {

constexpr size_t ethernet_header = 14;
constexpr size_t ipv4_header = 20;  // we send no IP options
constexpr size_t udp_header = 8;
constexpr uint16_t ethertype_ipv4 = 0x0800;
constexpr uint8_t protocol_udp = 17;

void put16(std::vector<uint8_t>& b, size_t at, uint16_t v) {
  b[at] = static_cast<uint8_t>(v >> 8);
  b[at + 1] = static_cast<uint8_t>(v);
}
uint16_t get16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }

}  // namespace

uint16_t internet_checksum(const uint8_t* data, size_t size) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < size; i += 2) {
    sum += get16(data + i);
  }
  if (size % 2 != 0) {
    sum += static_cast<uint32_t>(data[size - 1]) << 8;
  }
  while (sum >> 16 != 0) {
    sum = (sum & 0xffff) + (sum >> 16);
  }
  return static_cast<uint16_t>(~sum);
}

std::vector<uint8_t> client_frame(const MacAddress& source, const std::vector<uint8_t>& payload) {
  const size_t udp_length = udp_header + payload.size();
  const size_t ip_length = ipv4_header + udp_length;
  std::vector<uint8_t> f(ethernet_header + ip_length, 0);
  std::fill(f.begin(), f.begin() + 6, 0xff);  // broadcast destination
  std::copy(source.begin(), source.end(), f.begin() + 6);
  put16(f, 12, ethertype_ipv4);
  const size_t ip = ethernet_header;
  f[ip] = 0x45;  // version 4, 5 words
  put16(f, ip + 2, static_cast<uint16_t>(ip_length));
  f[ip + 8] = 64;  // TTL
  f[ip + 9] = protocol_udp;
  std::fill(f.begin() + ip + 16, f.begin() + ip + 20, 0xff);  // 255.255.255.255; source 0.0.0.0
  put16(f, ip + 10, internet_checksum(f.data() + ip, ipv4_header));
  const size_t udp = ip + ipv4_header;
  put16(f, udp, client_port);
  put16(f, udp + 2, server_port);
  put16(f, udp + 4, static_cast<uint16_t>(udp_length));
  std::copy(payload.begin(), payload.end(), f.begin() + static_cast<std::ptrdiff_t>(udp + udp_header));
  return f;
}

std::optional<std::vector<uint8_t>> server_payload(const uint8_t* f, size_t size) {
  if (size < ethernet_header + ipv4_header + udp_header || get16(f + 12) != ethertype_ipv4) {
    return std::nullopt;
  }
  const uint8_t* ip = f + ethernet_header;
  const size_t ihl = static_cast<size_t>(ip[0] & 0x0f) * 4;
  const size_t ip_length = get16(ip + 2);
  if ((ip[0] >> 4) != 4 || ihl < ipv4_header || ip[9] != protocol_udp || ip_length < ihl + udp_header ||
      ethernet_header + ip_length > size) {
    return std::nullopt;
  }
  if ((get16(ip + 6) & 0x3fff) != 0) {
    return std::nullopt;  // a fragment: DHCP replies fit in one frame
  }
  const uint8_t* udp = ip + ihl;
  const size_t udp_length = get16(udp + 4);
  if (get16(udp) != server_port || get16(udp + 2) != client_port || udp_length < udp_header ||
      udp_length > ip_length - ihl) {
    return std::nullopt;
  }
  return std::vector<uint8_t>(udp + udp_header, udp + udp_length);
}

}  // namespace rootlesskit::network::dhcp
