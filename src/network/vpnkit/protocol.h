// VPNKit's "vmnet" ethernet protocol (moby/vpnkit go/pkg/vmnet) as bytes: the
// version handshake, the vif request and its answer, and the u16-length-prefixed frames. All
// integers little-endian. Pure code (no sockets): used by the parent, the child's relay and the
// test peer (tests/helpers/vpnkit_peer.cc), and unit-tested byte by byte.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "network/dhcp/message.h"

namespace rootlesskit::network::vpnkit {

using dhcp::MacAddress;

// 1. Handshake, sent by each side (client first): "VMN3T", u32 version, 40 bytes of commit.
inline constexpr std::string_view handshake_magic = "VMN3T";
inline constexpr uint32_t protocol_version = 22;
// What upstream's client sends as its commit.
inline constexpr std::string_view client_commit = "0123456789012345678901234567890123456789";
inline constexpr size_t commit_size = 40;
inline constexpr size_t handshake_size = 5 + 4 + commit_size;  // 49

struct Handshake {
  uint32_t version = protocol_version;
  std::string commit;  // up to 40 bytes; shorter ones are zero-padded on the wire
};
std::array<uint8_t, handshake_size> encode_handshake(const Handshake& handshake);
// Throws Error "bad VPNKit handshake: expected magic \"VMN3T\", got <%q>".
Handshake decode_handshake(const uint8_t* data);

// 2. Vif request: u8 type, 36 bytes of UUID text, u32 IPv4 (the big-endian value, sent
// little-endian; 0 without an address).
enum class VifRequestType : uint8_t { ethernet = 1, ethernet_with_ip = 8 };
inline constexpr size_t uuid_text_size = 36;
inline constexpr size_t vif_request_size = 1 + uuid_text_size + 4;  // 41

struct VifRequest {
  VifRequestType type = VifRequestType::ethernet;
  std::string uuid;        // "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
  dhcp::Ipv4Address ip{};  // only with ethernet_with_ip
};
// Throws Error "invalid UUID: <text>" unless `uuid` is 36 characters of UUID text.
std::array<uint8_t, vif_request_size> encode_vif_request(const VifRequest& request);
VifRequest decode_vif_request(const uint8_t* data);

// 3. Answer: u8 1 = OK, then u16 MTU, u16 max packet size, 6 bytes MAC, 247 bytes of padding;
// anything else = error, then u8 length and that many bytes of text.
inline constexpr uint8_t vif_ok = 1;
inline constexpr size_t vif_info_size = 256 + 1;  // after the type byte

struct VifInfo {
  uint16_t mtu = 0;
  uint16_t max_packet_size = 0;
  MacAddress mac{};
};
std::vector<uint8_t> encode_vif_ok(const VifInfo& info);          // 258 bytes
std::vector<uint8_t> encode_vif_error(std::string_view message);  // truncated to 255 bytes
// `data` is the 257 bytes after an OK type byte.
VifInfo decode_vif_info(const uint8_t* data);

// 4. Frames, both ways: u16 length, then the ethernet frame.
inline constexpr size_t frame_header_size = 2;
inline constexpr size_t max_frame_size = 0xffff;
std::array<uint8_t, frame_header_size> encode_frame_header(size_t frame_size);  // throws past 65535
size_t decode_frame_header(const uint8_t* data);

// A random (version 4, RFC 4122 variant) UUID in text form, as upstream's uuid.New().
std::string random_uuid();
bool is_uuid(std::string_view text);

// "02:00:00:00:00:01" -> bytes. Throws Error "invalid MAC address: <text>".
MacAddress parse_mac(std::string_view text);

}  // namespace rootlesskit::network::vpnkit
