// DHCPv4 messages (RFC 2131/2132) as bytes and back: the BOOTP header, the magic cookie and the
// options a client needs. Pure code (no sockets), shared by every driver that asks for a lease:
// lxc-user-nic (kernel UDP socket, dhcp/client.h) and vpnkit (frames over its vif, dhcp/frame.h).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rootlesskit::network::dhcp {

inline constexpr uint16_t server_port = 67;
inline constexpr uint16_t client_port = 68;
inline constexpr uint8_t boot_request = 1;
inline constexpr uint8_t boot_reply = 2;
// Asks the server to broadcast its replies: before the client has its address, the kernel
// drops unicast to an address it does not own (RFC 2131 §4.1).
inline constexpr uint16_t broadcast_flag = 0x8000;

enum class MessageType : uint8_t {
  discover = 1,
  offer = 2,
  request = 3,
  decline = 4,
  ack = 5,
  nak = 6,
  release = 7,
  inform = 8,
};
// "DHCPDISCOVER", "DHCPOFFER", ... ("DHCP(<n>)" for an unknown value).
std::string to_string(MessageType type);

// Option codes (RFC 2132) this code reads or writes.
namespace option {
inline constexpr uint8_t pad = 0;
inline constexpr uint8_t subnet_mask = 1;
inline constexpr uint8_t router = 3;
inline constexpr uint8_t dns = 6;
inline constexpr uint8_t interface_mtu = 26;
inline constexpr uint8_t requested_ip = 50;
inline constexpr uint8_t lease_time = 51;
inline constexpr uint8_t message_type = 53;
inline constexpr uint8_t server_id = 54;
inline constexpr uint8_t parameter_list = 55;
inline constexpr uint8_t renewal_time = 58;
inline constexpr uint8_t end = 255;
}  // namespace option

using Ipv4Address = std::array<uint8_t, 4>;  // network byte order
using MacAddress = std::array<uint8_t, 6>;
// "10.0.2.100" / "02:00:00:00:00:01".
std::string to_string(const Ipv4Address& address);
std::string to_string(const MacAddress& mac);
// Parses a dotted quad. Throws Error "invalid IPv4 address: <text>".
Ipv4Address parse_ipv4(const std::string& text);

struct Option {
  uint8_t code = 0;
  std::vector<uint8_t> data;  // at most 255 bytes
};

struct Message {
  uint8_t op = boot_request;
  uint32_t xid = 0;
  uint16_t secs = 0;
  uint16_t flags = 0;
  Ipv4Address ciaddr{};
  Ipv4Address yiaddr{};
  Ipv4Address siaddr{};
  Ipv4Address giaddr{};
  MacAddress chaddr{};
  std::vector<Option> options;  // in wire order, without pad and end

  void add(uint8_t code, std::vector<uint8_t> data);
  // First option with `code`, or null.
  const Option* find(uint8_t code) const;
  // Option 53, if present and one byte long.
  std::optional<MessageType> type() const;
  // Every address of a list option (router, DNS), in order; 4-byte groups of all its occurrences
  // (RFC 3396 concatenation). Empty when absent or malformed.
  std::vector<Ipv4Address> addresses(uint8_t code) const;
  // A 4-byte big-endian number option (lease time), if present and well-formed.
  std::optional<uint32_t> number(uint8_t code) const;
};

// BOOTP header (236 bytes), magic cookie, options, end; padded to the 300 bytes BOOTP relays
// expect. Throws Error if an option holds more than 255 bytes.
std::vector<uint8_t> encode(const Message& message);
// Throws Error "malformed DHCP message: <why>" for a short packet, a bad cookie or an option
// that runs past the end. Unknown options are kept as they are.
Message decode(const uint8_t* data, size_t size);

// Client messages. Each asks for subnet mask, router, DNS, lease and renewal time.
// DISCOVER, broadcast flag set.
Message make_discover(uint32_t xid, const MacAddress& mac);
// REQUEST in SELECTING state: the offered address (option 50) from `server` (option 54).
Message make_request(uint32_t xid, const MacAddress& mac, const Ipv4Address& requested, const Ipv4Address& server);
// REQUEST in RENEWING/REBINDING state: the address in use as ciaddr, no option 50/54 (RFC 2131
// §4.3.2). `broadcast` sets the broadcast flag (rebinding).
Message make_renew(uint32_t xid, const MacAddress& mac, const Ipv4Address& current, bool broadcast);

// RELEASE of `current` to `server` (option 54), sent unicast when the client goes away, so that
// the address returns to the server's pool at once instead of at the lease's end.
Message make_release(uint32_t xid, const MacAddress& mac, const Ipv4Address& current, const Ipv4Address& server);

// True if `reply` is a BOOTREPLY to our transaction (same xid and hardware address).
bool answers(const Message& reply, uint32_t xid, const MacAddress& mac);

// What the client configures from a DHCPACK.
struct Lease {
  Ipv4Address ip{};
  int prefix = 0;
  Ipv4Address router{};                     // the first router
  std::vector<Ipv4Address> dns;             // every DNS server, in order; upstream uses the first
  Ipv4Address server{};                     // server identifier, for renewals
  uint32_t lease_seconds = 0;               // infinite_lease when the server sent none
  std::optional<uint32_t> renewal_seconds;  // T1 (option 58), if the server sent it
};
inline constexpr uint32_t infinite_lease = 0xffffffff;
// Upstream's checks, with its texts: Error "got zero YourIPAddr", "got no Router", "got no DNS";
// and "got no SubnetMask" (upstream would configure a /0). A missing lease time counts as
// infinite; a missing server identifier leaves `server` zero (renewals then broadcast).
Lease lease_from_ack(const Message& ack);

// Prefix length of a contiguous netmask; nullopt for a non-contiguous one.
std::optional<int> prefix_of(const Ipv4Address& mask);

}  // namespace rootlesskit::network::dhcp
