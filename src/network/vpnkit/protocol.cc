// VPNKit vmnet protocol encoding and decoding.
#include "network/vpnkit/protocol.h"

#include <sys/random.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "common/error.h"
#include "common/strings.h"

namespace rootlesskit::network::vpnkit {
namespace {

void put_u16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
void put_u32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    p[i] = static_cast<uint8_t>(v >> (8 * i));
  }
}
uint16_t get_u16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }
uint32_t get_u32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

}  // namespace

std::array<uint8_t, handshake_size> encode_handshake(const Handshake& h) {
  std::array<uint8_t, handshake_size> b{};
  std::memcpy(b.data(), handshake_magic.data(), handshake_magic.size());
  put_u32(b.data() + 5, h.version);
  std::memcpy(b.data() + 9, h.commit.data(), std::min(h.commit.size(), commit_size));
  return b;
}

Handshake decode_handshake(const uint8_t* data) {
  std::string_view magic(reinterpret_cast<const char*>(data), handshake_magic.size());
  if (magic != handshake_magic) {
    throw Error("bad VPNKit handshake: expected magic \"VMN3T\", got " + go_quote(magic));
  }
  Handshake h;
  h.version = get_u32(data + 5);
  const char* commit = reinterpret_cast<const char*>(data + 9);
  h.commit.assign(commit, strnlen(commit, commit_size));
  return h;
}

std::array<uint8_t, vif_request_size> encode_vif_request(const VifRequest& r) {
  if (!is_uuid(r.uuid)) {
    throw Error("invalid UUID: " + r.uuid);
  }
  std::array<uint8_t, vif_request_size> b{};
  b[0] = static_cast<uint8_t>(r.type);
  std::memcpy(b.data() + 1, r.uuid.data(), uuid_text_size);
  if (r.type == VifRequestType::ethernet_with_ip) {
    // The address as a big-endian number, written little-endian (upstream's comment: "the
    // protocol uses little endian, not network endian").
    uint32_t ip = uint32_t{r.ip[0]} << 24 | uint32_t{r.ip[1]} << 16 | uint32_t{r.ip[2]} << 8 | r.ip[3];
    put_u32(b.data() + 1 + uuid_text_size, ip);
  }
  return b;
}

VifRequest decode_vif_request(const uint8_t* data) {
  VifRequest r;
  r.type = static_cast<VifRequestType>(data[0]);
  r.uuid.assign(reinterpret_cast<const char*>(data + 1), uuid_text_size);
  uint32_t ip = get_u32(data + 1 + uuid_text_size);
  r.ip = {static_cast<uint8_t>(ip >> 24), static_cast<uint8_t>(ip >> 16), static_cast<uint8_t>(ip >> 8),
          static_cast<uint8_t>(ip)};
  return r;
}

std::vector<uint8_t> encode_vif_ok(const VifInfo& info) {
  std::vector<uint8_t> b(1 + vif_info_size, 0);
  b[0] = vif_ok;
  put_u16(b.data() + 1, info.mtu);
  put_u16(b.data() + 3, info.max_packet_size);
  std::copy(info.mac.begin(), info.mac.end(), b.begin() + 5);
  return b;
}

std::vector<uint8_t> encode_vif_error(std::string_view message) {
  message = message.substr(0, 255);
  // Sized once: appending with vector::insert made GCC 12 report a false -Warray-bounds at -O2.
  std::vector<uint8_t> b(2 + message.size(), 0);
  b[1] = static_cast<uint8_t>(message.size());
  std::copy(message.begin(), message.end(), b.begin() + 2);
  return b;
}

VifInfo decode_vif_info(const uint8_t* data) {
  VifInfo info;
  info.mtu = get_u16(data);
  info.max_packet_size = get_u16(data + 2);
  std::copy(data + 4, data + 10, info.mac.begin());
  return info;
}

std::array<uint8_t, frame_header_size> encode_frame_header(size_t frame_size) {
  if (frame_size > max_frame_size) {
    throw Error("frame of " + std::to_string(frame_size) + " bytes is too large for VPNKit (max 65535)");
  }
  std::array<uint8_t, frame_header_size> b{};
  put_u16(b.data(), static_cast<uint16_t>(frame_size));
  return b;
}

size_t decode_frame_header(const uint8_t* data) { return get_u16(data); }

std::string random_uuid() {
  uint8_t b[16];
  size_t got = 0;
  while (got < sizeof b) {
    ssize_t n = ::getrandom(b + got, sizeof b - got, 0);
    if (n < 0 && errno != EINTR) {
      throw errno_error("getrandom");
    }
    got += n > 0 ? static_cast<size_t>(n) : 0;
  }
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static const char digits[] = "0123456789abcdef";
  std::string text;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      text += '-';
    }
    text += digits[b[i] >> 4];
    text += digits[b[i] & 0x0f];
  }
  return text;
}

bool is_uuid(std::string_view text) {
  if (text.size() != uuid_text_size) {
    return false;
  }
  for (size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : hex_value(text[i]) < 0) {
      return false;
    }
  }
  return true;
}

MacAddress parse_mac(std::string_view text) {
  MacAddress mac{};
  bool ok = text.size() == 17;
  for (size_t i = 0; ok && i < mac.size(); ++i) {
    int hi = hex_value(text[3 * i]);
    int lo = hex_value(text[3 * i + 1]);
    ok = hi >= 0 && lo >= 0 && (i == 5 || text[3 * i + 2] == ':');
    mac[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  if (!ok) {
    throw Error("invalid MAC address: " + std::string(text));
  }
  return mac;
}

}  // namespace rootlesskit::network::vpnkit
