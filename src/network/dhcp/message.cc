// DHCPv4 wire format: fixed BOOTP fields at fixed offsets (RFC 2131 §2), then the options.
#include "network/dhcp/message.h"

#include <arpa/inet.h>

#include <algorithm>

#include <fmt/format.h>

#include "common/error.h"

namespace rootlesskit::network::dhcp {
namespace {

constexpr size_t header_size = 236;  // op .. file
constexpr size_t min_packet_size = 300;
constexpr std::array<uint8_t, 4> magic_cookie{99, 130, 83, 99};

// Offsets of the BOOTP fields.
constexpr size_t off_op = 0, off_htype = 1, off_hlen = 2, off_xid = 4, off_secs = 8, off_flags = 10, off_ciaddr = 12,
                 off_yiaddr = 16, off_siaddr = 20, off_giaddr = 24, off_chaddr = 28;

void put16(std::vector<uint8_t>& b, size_t at, uint16_t v) {
  b[at] = static_cast<uint8_t>(v >> 8);
  b[at + 1] = static_cast<uint8_t>(v);
}
void put32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  put16(b, at, static_cast<uint16_t>(v >> 16));
  put16(b, at + 2, static_cast<uint16_t>(v));
}
uint16_t get16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
uint32_t get32(const uint8_t* p) { return static_cast<uint32_t>(get16(p)) << 16 | get16(p + 2); }

template <size_t N>
void put_bytes(std::vector<uint8_t>& b, size_t at, const std::array<uint8_t, N>& a) {
  std::copy(a.begin(), a.end(), b.begin() + static_cast<std::ptrdiff_t>(at));
}
template <size_t N>
std::array<uint8_t, N> get_bytes(const uint8_t* p) {
  std::array<uint8_t, N> a{};
  std::copy(p, p + N, a.begin());
  return a;
}

[[noreturn]] void malformed(const std::string& why) { throw Error("malformed DHCP message: " + why); }

// Decodes the options area; stops at `end`, skips `pad`.
std::vector<Option> decode_options(const uint8_t* p, size_t size) {
  std::vector<Option> options;
  size_t i = 0;
  while (i < size) {
    uint8_t code = p[i++];
    if (code == option::end) {
      return options;
    }
    if (code == option::pad) {
      continue;
    }
    if (i >= size || i + 1 + p[i] > size) {
      malformed(fmt::format("option {} runs past the end", code));
    }
    uint8_t len = p[i++];
    options.push_back(Option{code, std::vector<uint8_t>(p + i, p + i + len)});
    i += len;
  }
  return options;  // no end option: tolerated, as most clients do
}

Message client_message(MessageType type, uint32_t xid, const MacAddress& mac) {
  Message m;
  m.op = boot_request;
  m.xid = xid;
  m.chaddr = mac;
  m.add(option::message_type, {static_cast<uint8_t>(type)});
  return m;
}

void add_parameter_list(Message& m) {
  m.add(option::parameter_list,
        {option::subnet_mask, option::router, option::dns, option::lease_time, option::renewal_time});
}

}  // namespace

std::string to_string(MessageType type) {
  static const char* const names[] = {"DHCPDISCOVER", "DHCPOFFER", "DHCPREQUEST", "DHCPDECLINE",
                                      "DHCPACK",      "DHCPNAK",   "DHCPRELEASE", "DHCPINFORM"};
  auto n = static_cast<unsigned>(type);
  return n >= 1 && n <= 8 ? names[n - 1] : fmt::format("DHCP({})", n);
}

std::string to_string(const Ipv4Address& a) { return fmt::format("{}.{}.{}.{}", a[0], a[1], a[2], a[3]); }

std::string to_string(const MacAddress& m) {
  return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", m[0], m[1], m[2], m[3], m[4], m[5]);
}

Ipv4Address parse_ipv4(const std::string& text) {
  Ipv4Address a{};
  if (::inet_pton(AF_INET, text.c_str(), a.data()) != 1) {
    throw Error("invalid IPv4 address: " + text);
  }
  return a;
}

void Message::add(uint8_t code, std::vector<uint8_t> data) { options.push_back(Option{code, std::move(data)}); }

const Option* Message::find(uint8_t code) const {
  for (const Option& o : options) {
    if (o.code == code) {
      return &o;
    }
  }
  return nullptr;
}

std::optional<MessageType> Message::type() const {
  const Option* o = find(option::message_type);
  if (o == nullptr || o->data.size() != 1) {
    return std::nullopt;
  }
  return static_cast<MessageType>(o->data[0]);
}

std::vector<Ipv4Address> Message::addresses(uint8_t code) const {
  std::vector<uint8_t> all;
  for (const Option& o : options) {
    if (o.code == code) {
      all.insert(all.end(), o.data.begin(), o.data.end());
    }
  }
  std::vector<Ipv4Address> result;
  if (all.size() % 4 != 0) {
    return result;
  }
  for (size_t i = 0; i < all.size(); i += 4) {
    result.push_back(get_bytes<4>(all.data() + i));
  }
  return result;
}

std::optional<uint32_t> Message::number(uint8_t code) const {
  const Option* o = find(code);
  if (o == nullptr || o->data.size() != 4) {
    return std::nullopt;
  }
  return get32(o->data.data());
}

// Sized once and written in place: appending with vector::insert made GCC 12 report a false
// -Warray-bounds on its reallocation path at -O2.
std::vector<uint8_t> encode(const Message& m) {
  size_t size = header_size + magic_cookie.size() + 1;  // + option::end
  for (const Option& o : m.options) {
    if (o.data.size() > 255) {
      throw Error(fmt::format("DHCP option {} is too long: {} bytes", o.code, o.data.size()));
    }
    size += 2 + o.data.size();
  }
  std::vector<uint8_t> b(std::max(size, min_packet_size), option::pad);
  b[off_op] = m.op;
  b[off_htype] = 1;  // Ethernet
  b[off_hlen] = 6;
  put32(b, off_xid, m.xid);
  put16(b, off_secs, m.secs);
  put16(b, off_flags, m.flags);
  put_bytes(b, off_ciaddr, m.ciaddr);
  put_bytes(b, off_yiaddr, m.yiaddr);
  put_bytes(b, off_siaddr, m.siaddr);
  put_bytes(b, off_giaddr, m.giaddr);
  put_bytes(b, off_chaddr, m.chaddr);
  put_bytes(b, header_size, magic_cookie);
  auto at = b.begin() + static_cast<std::ptrdiff_t>(header_size + magic_cookie.size());
  for (const Option& o : m.options) {
    *at++ = o.code;
    *at++ = static_cast<uint8_t>(o.data.size());
    at = std::copy(o.data.begin(), o.data.end(), at);
  }
  *at = option::end;
  return b;
}

Message decode(const uint8_t* p, size_t size) {
  if (size < header_size + magic_cookie.size()) {
    malformed(fmt::format("{} bytes is too short", size));
  }
  if (!std::equal(magic_cookie.begin(), magic_cookie.end(), p + header_size)) {
    malformed("no magic cookie");
  }
  if (p[off_htype] != 1 || p[off_hlen] != 6) {
    malformed("not an Ethernet hardware address");
  }
  Message m;
  m.op = p[off_op];
  m.xid = get32(p + off_xid);
  m.secs = get16(p + off_secs);
  m.flags = get16(p + off_flags);
  m.ciaddr = get_bytes<4>(p + off_ciaddr);
  m.yiaddr = get_bytes<4>(p + off_yiaddr);
  m.siaddr = get_bytes<4>(p + off_siaddr);
  m.giaddr = get_bytes<4>(p + off_giaddr);
  m.chaddr = get_bytes<6>(p + off_chaddr);
  size_t options_at = header_size + magic_cookie.size();
  m.options = decode_options(p + options_at, size - options_at);
  return m;
}

Message make_discover(uint32_t xid, const MacAddress& mac) {
  Message m = client_message(MessageType::discover, xid, mac);
  m.flags = broadcast_flag;
  add_parameter_list(m);
  return m;
}

Message make_request(uint32_t xid, const MacAddress& mac, const Ipv4Address& requested, const Ipv4Address& server) {
  Message m = client_message(MessageType::request, xid, mac);
  m.flags = broadcast_flag;
  m.add(option::requested_ip, {requested.begin(), requested.end()});
  m.add(option::server_id, {server.begin(), server.end()});
  add_parameter_list(m);
  return m;
}

Message make_renew(uint32_t xid, const MacAddress& mac, const Ipv4Address& current, bool broadcast) {
  Message m = client_message(MessageType::request, xid, mac);
  m.ciaddr = current;
  m.flags = broadcast ? broadcast_flag : 0;
  add_parameter_list(m);
  return m;
}

Message make_release(uint32_t xid, const MacAddress& mac, const Ipv4Address& current, const Ipv4Address& server) {
  Message m = client_message(MessageType::release, xid, mac);
  m.ciaddr = current;
  m.add(option::server_id, {server.begin(), server.end()});
  return m;
}

bool answers(const Message& reply, uint32_t xid, const MacAddress& mac) {
  return reply.op == boot_reply && reply.xid == xid && reply.chaddr == mac;
}

std::optional<int> prefix_of(const Ipv4Address& mask) {
  uint32_t bits = static_cast<uint32_t>(mask[0]) << 24 | mask[1] << 16 | mask[2] << 8 | mask[3];
  int prefix = 0;
  while (prefix < 32 && (bits & (0x80000000u >> prefix)) != 0) {
    ++prefix;
  }
  uint32_t expected = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  if (bits != expected) {
    return std::nullopt;
  }
  return prefix;
}

Lease lease_from_ack(const Message& ack) {
  Lease lease;
  lease.ip = ack.yiaddr;
  if (lease.ip == Ipv4Address{}) {
    throw Error("got zero YourIPAddr");
  }
  std::vector<Ipv4Address> routers = ack.addresses(option::router);
  if (routers.empty()) {
    throw Error("got no Router");
  }
  lease.router = routers.front();
  lease.dns = ack.addresses(option::dns);
  if (lease.dns.empty()) {
    throw Error("got no DNS");
  }
  std::vector<Ipv4Address> masks = ack.addresses(option::subnet_mask);
  std::optional<int> prefix = masks.size() == 1 ? prefix_of(masks.front()) : std::nullopt;
  if (!prefix) {
    throw Error("got no SubnetMask");
  }
  lease.prefix = *prefix;
  std::vector<Ipv4Address> servers = ack.addresses(option::server_id);
  if (!servers.empty()) {
    lease.server = servers.front();
  }
  lease.lease_seconds = ack.number(option::lease_time).value_or(infinite_lease);
  lease.renewal_seconds = ack.number(option::renewal_time);
  return lease;
}

}  // namespace rootlesskit::network::dhcp
