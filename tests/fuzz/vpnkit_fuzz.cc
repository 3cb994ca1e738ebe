// libFuzzer target: the byte stream a VPNKit ethernet socket sends, read by the parent's client
// exactly as in production (network/vpnkit/connection.h over a socketpair): the handshake, the
// vif answer, then frames, each searched for a DHCP reply (dhcp/frame.h, dhcp/message.h) as
// vif_dhcp.cc does. The decoders must agree with the encoders, and only rootlesskit::Error may
// escape. The same bytes are also read as a vif request (tests/helpers/vpnkit_peer.cc's side).
// Build and run: scripts/fuzz.sh.
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "common/fd.h"
#include "fuzz_common.h"
#include "network/dhcp/frame.h"
#include "network/dhcp/message.h"
#include "network/vpnkit/connection.h"
#include "network/vpnkit/protocol.h"

namespace {

using namespace rootlesskit;
using namespace rootlesskit::network;
using namespace rootlesskit::network::vpnkit;

constexpr const char* fuzz_uuid = "8f1f6d2c-2f5b-4d0e-9c3a-6b1e2d3c4f50";

// Decoded values must encode to bytes that decode to the same values.
void check_codecs(const uint8_t* data, size_t size) {
  if (size >= handshake_size && std::memcmp(data, handshake_magic.data(), handshake_magic.size()) == 0) {
    Handshake h = decode_handshake(data);
    Handshake again = decode_handshake(encode_handshake(h).data());
    FUZZ_CHECK(again.version == h.version && again.commit == h.commit);
  }
  if (size >= vif_request_size) {
    VifRequest r = decode_vif_request(data);
    if (is_uuid(r.uuid) && r.type == VifRequestType::ethernet_with_ip) {
      auto bytes = encode_vif_request(r);
      FUZZ_CHECK(std::memcmp(bytes.data(), data, bytes.size()) == 0);
    }
  }
  if (size >= vif_info_size) {
    VifInfo info = decode_vif_info(data);
    VifInfo again = decode_vif_info(encode_vif_ok(info).data() + 1);
    FUZZ_CHECK(again.mtu == info.mtu && again.max_packet_size == info.max_packet_size && again.mac == info.mac);
  }
  if (size >= frame_header_size) {
    FUZZ_CHECK(std::memcmp(encode_frame_header(decode_frame_header(data)).data(), data, frame_header_size) == 0);
  }
}

// What vif_dhcp.cc looks for in each frame: a DHCP reply to our DISCOVER.
void dhcp_in_frame(const std::vector<uint8_t>& frame) {
  auto payload = dhcp::server_payload(frame.data(), frame.size());
  if (!payload) {
    return;
  }
  FUZZ_CHECK(payload->size() <= frame.size());
  dhcp::Message reply;
  if (fuzz::succeeds([&] { reply = dhcp::decode(payload->data(), payload->size()); })) {
    dhcp::answers(reply, 0x12345678, dhcp::MacAddress{2, 0, 0, 0, 0, 1});
    reply.type();
  }
}

// The client's conversation with a VPNKit that sends `data` and then closes.
void client(const uint8_t* data, size_t size) {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    std::abort();
  }
  Fd ours(pair[0]);
  Fd vpnkit(pair[1]);
  FUZZ_CHECK(::write(vpnkit.get(), data, size) == static_cast<ssize_t>(size));  // fits the socket buffer
  ::shutdown(vpnkit.get(), SHUT_WR);
  fuzz::succeeds([&] {
    exchange_handshake(ours.get());
    VifInfo info = connect_vif(ours.get(), fuzz_uuid);
    (void)info;
    std::vector<uint8_t> frame;
    while (read_frame(ours.get(), frame)) {
      dhcp_in_frame(frame);
    }
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 65536) {
    return 0;
  }
  check_codecs(data, size);
  client(data, size);
  return 0;
}
