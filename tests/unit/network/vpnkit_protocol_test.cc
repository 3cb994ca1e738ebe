// vpnkit: the vmnet protocol's bytes (handshake, vif request/answer, frame headers) checked
// byte by byte against moby/vpnkit's go/pkg/vmnet layout, UUID and MAC text, and
// the client half (connection.h, vif_dhcp.h) over a socketpair against a scripted server.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <thread>

#include "common/error.h"
#include "common/fd.h"
#include "network/dhcp/frame.h"
#include "network/vpnkit/child.h"
#include "network/vpnkit/connection.h"
#include "network/vpnkit/protocol.h"
#include "network/vpnkit/vif_dhcp.h"

namespace rootlesskit::network::vpnkit {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes bytes(std::string_view text) { return Bytes(text.begin(), text.end()); }

TEST(VpnkitProtocol, HandshakeIsMagicVersionCommit) {
  auto b = encode_handshake(Handshake{22, std::string(client_commit)});
  Bytes expected = bytes("VMN3T");
  expected.insert(expected.end(), {22, 0, 0, 0});
  Bytes commit = bytes("0123456789012345678901234567890123456789");
  expected.insert(expected.end(), commit.begin(), commit.end());
  EXPECT_EQ(Bytes(b.begin(), b.end()), expected);

  Handshake h = decode_handshake(b.data());
  EXPECT_EQ(h.version, 22u);
  EXPECT_EQ(h.commit, client_commit);
}

TEST(VpnkitProtocol, HandshakeShortCommitIsZeroPadded) {
  auto b = encode_handshake(Handshake{0x01020304, "abc"});
  EXPECT_EQ(b[5], 0x04);
  EXPECT_EQ(b[8], 0x01);
  EXPECT_EQ(b[9], 'a');
  EXPECT_EQ(b[12], 0);
  EXPECT_EQ(b[48], 0);
  EXPECT_EQ(decode_handshake(b.data()).commit, "abc");
}

TEST(VpnkitProtocol, HandshakeWithBadMagicIsRejected) {
  auto b = encode_handshake(Handshake{});
  b[4] = 'X';
  try {
    decode_handshake(b.data());
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "bad VPNKit handshake: expected magic \"VMN3T\", got \"VMN3X\"");
  }
}

TEST(VpnkitProtocol, VifRequestIsTypeUuidAddress) {
  const std::string uuid = "8f1f6d2c-2f5b-4d0e-9c3a-6b1e2d3c4f50";
  auto b = encode_vif_request(VifRequest{VifRequestType::ethernet, uuid, {}});
  Bytes expected = {1};
  Bytes text = bytes(uuid);
  expected.insert(expected.end(), text.begin(), text.end());
  expected.insert(expected.end(), {0, 0, 0, 0});
  EXPECT_EQ(Bytes(b.begin(), b.end()), expected);
  EXPECT_EQ(b.size(), 41u);
}

TEST(VpnkitProtocol, VifRequestAddressIsTheBigEndianValueWrittenLittleEndian) {
  const std::string uuid = "8f1f6d2c-2f5b-4d0e-9c3a-6b1e2d3c4f50";
  auto b = encode_vif_request(VifRequest{VifRequestType::ethernet_with_ip, uuid, {192, 168, 65, 3}});
  EXPECT_EQ(b[0], 8);
  EXPECT_EQ((Bytes{b[37], b[38], b[39], b[40]}), (Bytes{3, 65, 168, 192}));
  VifRequest r = decode_vif_request(b.data());
  EXPECT_EQ(r.type, VifRequestType::ethernet_with_ip);
  EXPECT_EQ(r.uuid, uuid);
  EXPECT_EQ(r.ip, (dhcp::Ipv4Address{192, 168, 65, 3}));
}

TEST(VpnkitProtocol, VifRequestNeedsUuidText) {
  EXPECT_THROW(encode_vif_request(VifRequest{VifRequestType::ethernet, "not-a-uuid", {}}), Error);
}

TEST(VpnkitProtocol, VifOkIsMtuMaxPacketMacPadding) {
  Bytes b = encode_vif_ok(VifInfo{1500, 1550, {0x02, 0x50, 0, 0, 0, 3}});
  ASSERT_EQ(b.size(), 258u);
  EXPECT_EQ((Bytes(b.begin(), b.begin() + 11)), (Bytes{1, 0xdc, 0x05, 0x0e, 0x06, 0x02, 0x50, 0, 0, 0, 3}));
  EXPECT_TRUE(std::all_of(b.begin() + 11, b.end(), [](uint8_t c) { return c == 0; }));
  VifInfo info = decode_vif_info(b.data() + 1);
  EXPECT_EQ(info.mtu, 1500);
  EXPECT_EQ(info.max_packet_size, 1550);
  EXPECT_EQ(info.mac, (MacAddress{0x02, 0x50, 0, 0, 0, 3}));
}

TEST(VpnkitProtocol, VifErrorIsLengthAndText) {
  EXPECT_EQ(encode_vif_error("busy"), (Bytes{0, 4, 'b', 'u', 's', 'y'}));
  EXPECT_EQ(encode_vif_error(std::string(300, 'x')).size(), 2u + 255u);
}

TEST(VpnkitProtocol, FrameHeaderIsLittleEndianLength) {
  auto h = encode_frame_header(0x1234);
  EXPECT_EQ(h[0], 0x34);
  EXPECT_EQ(h[1], 0x12);
  EXPECT_EQ(decode_frame_header(h.data()), 0x1234u);
  EXPECT_EQ(decode_frame_header(encode_frame_header(65535).data()), 65535u);
  EXPECT_THROW(encode_frame_header(65536), Error);
}

TEST(VpnkitProtocol, RandomUuidIsVersion4) {
  std::string a = random_uuid();
  EXPECT_TRUE(is_uuid(a)) << a;
  EXPECT_EQ(a[14], '4');
  EXPECT_NE(std::string("89ab").find(a[19]), std::string::npos) << a;
  EXPECT_NE(a, random_uuid());
  EXPECT_FALSE(is_uuid("8f1f6d2c-2f5b-4d0e-9c3a-6b1e2d3c4f5"));
  EXPECT_FALSE(is_uuid("8f1f6d2c-2f5b-4d0e-9c3a_6b1e2d3c4f50"));
  EXPECT_FALSE(is_uuid("8f1f6d2c-2f5b-4d0e-9c3a-6b1e2d3c4g50"));
}

TEST(VpnkitProtocol, ParsesMac) {
  EXPECT_EQ(parse_mac("02:50:0a:FF:00:03"), (MacAddress{0x02, 0x50, 0x0a, 0xff, 0, 3}));
  EXPECT_THROW(parse_mac("02:50:0a:ff:00"), Error);
  EXPECT_THROW(parse_mac("02-50-0a-ff-00-03"), Error);
  EXPECT_THROW(parse_mac("02:50:0a:ff:00:0g"), Error);
}

// --- client half over a socketpair --------------------------------------------------------

struct Pair {
  Fd client;
  Fd server;
};
Pair socket_pair() {
  int fds[2];
  EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  return {Fd(fds[0]), Fd(fds[1])};
}

Bytes read_bytes(int fd, size_t n) {
  Bytes b(n);
  EXPECT_EQ(read_full(fd, b.data(), n), n);
  return b;
}

TEST(VpnkitConnection, HandshakeSendsOursFirstThenReadsTheirs) {
  Pair p = socket_pair();
  auto theirs = encode_handshake(Handshake{22, "server"});
  write_all(p.server.get(), theirs.data(), theirs.size());
  Handshake h = exchange_handshake(p.client.get());
  EXPECT_EQ(h.commit, "server");
  auto ours = encode_handshake(Handshake{22, std::string(client_commit)});
  EXPECT_EQ(read_bytes(p.server.get(), handshake_size), Bytes(ours.begin(), ours.end()));
}

TEST(VpnkitConnection, ConnectVifReadsInfoOrError) {
  const std::string uuid = random_uuid();
  Pair p = socket_pair();
  Bytes ok = encode_vif_ok(VifInfo{1500, 1550, {2, 0, 0, 0, 0, 9}});
  write_all(p.server.get(), ok.data(), ok.size());
  EXPECT_EQ(connect_vif(p.client.get(), uuid).mac, (MacAddress{2, 0, 0, 0, 0, 9}));
  EXPECT_EQ(read_bytes(p.server.get(), vif_request_size)[0], 1);

  Bytes refusal = encode_vif_error("no more vifs");
  write_all(p.server.get(), refusal.data(), refusal.size());
  try {
    connect_vif(p.client.get(), uuid);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "VPNKit refused the vif " + uuid + ": no more vifs");
  }
}

TEST(VpnkitConnection, FramesRoundTripAndEof) {
  Pair p = socket_pair();
  Bytes frame = {1, 2, 3, 4, 5};
  write_frame(p.client.get(), frame.data(), frame.size());
  EXPECT_EQ(read_bytes(p.server.get(), 7), (Bytes{5, 0, 1, 2, 3, 4, 5}));
  write_frame(p.server.get(), frame.data(), frame.size());
  Bytes got;
  ASSERT_TRUE(read_frame(p.client.get(), got));
  EXPECT_EQ(got, frame);
  p.server.reset();
  EXPECT_FALSE(read_frame(p.client.get(), got));
}

TEST(VpnkitConnection, DialReportsTheLastError) {
  try {
    dial("/nonexistent/vpnkit.sock", std::chrono::milliseconds(120));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "connecting to /nonexistent/vpnkit.sock: no such file or directory");
  }
}

// A scripted DHCP server: skips one unrelated frame, then answers the DISCOVER with an OFFER.
void offer_server(int fd, dhcp::Ipv4Address offer) {
  Bytes frame;
  ASSERT_TRUE(read_frame(fd, frame));
  auto payload = dhcp::server_payload(frame.data(), frame.size());
  ASSERT_FALSE(payload.has_value());  // a client frame, 68 -> 67
  // Decode the DISCOVER's BOOTP part (after 14 + 20 + 8 bytes of headers).
  dhcp::Message discover = dhcp::decode(frame.data() + 42, frame.size() - 42);
  ASSERT_EQ(discover.type(), dhcp::MessageType::discover);
  Bytes noise = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 0x08, 0x06};
  write_frame(fd, noise.data(), noise.size());
  dhcp::Message reply;
  reply.op = dhcp::boot_reply;
  reply.xid = discover.xid;
  reply.chaddr = discover.chaddr;
  reply.yiaddr = offer;
  reply.add(dhcp::option::message_type, {static_cast<uint8_t>(dhcp::MessageType::offer)});
  Bytes frame_out = dhcp::client_frame(discover.chaddr, dhcp::encode(reply));
  frame_out[14 + 20 + 1] = dhcp::server_port;  // turn the client frame into 67 -> 68
  frame_out[14 + 20 + 3] = dhcp::client_port;
  write_frame(fd, frame_out.data(), frame_out.size());
}

TEST(VpnkitVifDhcp, TakesTheOfferedAddress) {
  Pair p = socket_pair();
  std::thread server(offer_server, p.server.get(), dhcp::Ipv4Address{192, 168, 65, 3});
  dhcp::Ipv4Address ip = request_address(p.client.get(), {2, 0, 0, 0, 0, 1}, std::chrono::seconds(5));
  server.join();
  EXPECT_EQ(ip, (dhcp::Ipv4Address{192, 168, 65, 3}));
}

TEST(VpnkitVifDhcp, EofIsAnError) {
  Pair p = socket_pair();
  std::thread server([&] {
    Bytes frame;
    read_frame(p.server.get(), frame);
    p.server.reset();
  });
  EXPECT_THROW(request_address(p.client.get(), {2, 0, 0, 0, 0, 1}, std::chrono::seconds(5)), Error);
  server.join();
}

TEST(VpnkitChild, RelayRequestNeedsTheParentsOpaqueValues) {
  messages::NetworkDriverCompleted m;
  m.dev = "tap0";
  m.opaque = {{"vpnkit.mac", "02:50:00:00:00:03"},
              {"vpnkit.socket", "/s/vpnkit-ethernet.sock"},
              {"vpnkit.uuid", "8f1f6d2c-2f5b-4d0e-9c3a-6b1e2d3c4f50"}};
  RelayRequest r = relay_request(m, "/d/netns");
  EXPECT_EQ(r.ifname, "tap0");
  EXPECT_EQ(r.mac, (MacAddress{2, 0x50, 0, 0, 0, 3}));
  EXPECT_EQ(r.socket_path, "/s/vpnkit-ethernet.sock");
  EXPECT_EQ(r.uuid, "8f1f6d2c-2f5b-4d0e-9c3a-6b1e2d3c4f50");
  EXPECT_EQ(r.detached_netns_path, "/d/netns");
  for (const auto& [key, message] :
       {std::pair{"vpnkit.mac", "no VPNKit MAC is set"}, std::pair{"vpnkit.socket", "no VPNKit socket is set"},
        std::pair{"vpnkit.uuid", "no VPNKit UUID is set"}}) {
    messages::NetworkDriverCompleted missing = m;
    missing.opaque.erase(key);
    try {
      relay_request(missing, "");
      FAIL() << key;
    } catch (const Error& e) {
      EXPECT_STREQ(e.what(), message);
    }
  }
}

}  // namespace
}  // namespace rootlesskit::network::vpnkit
