// Ethernet/IPv4/UDP framing of DHCP messages (for drivers that move frames themselves).
#include "network/dhcp/frame.h"

#include <gtest/gtest.h>

namespace rootlesskit::network::dhcp {
namespace {

const MacAddress mac{0x02, 0x50, 0x00, 0x00, 0x00, 0x01};

// A server reply frame built by hand: 10.0.0.1:67 -> 255.255.255.255:68.
std::vector<uint8_t> reply_frame(const std::vector<uint8_t>& payload, uint16_t src_port = 67) {
  std::vector<uint8_t> f = client_frame(mac, payload);
  f[34] = static_cast<uint8_t>(src_port >> 8);  // UDP source port
  f[35] = static_cast<uint8_t>(src_port);
  f[36] = 0;  // destination port 68
  f[37] = 68;
  return f;
}

TEST(DhcpFrame, ClientFrameHeaders) {
  std::vector<uint8_t> payload = encode(make_discover(1, mac));
  std::vector<uint8_t> f = client_frame(mac, payload);
  ASSERT_EQ(f.size(), 14 + 20 + 8 + payload.size());
  EXPECT_EQ((std::vector<uint8_t>{f.begin(), f.begin() + 6}), std::vector<uint8_t>(6, 0xff));
  EXPECT_EQ((std::vector<uint8_t>{f.begin() + 6, f.begin() + 12}), (std::vector<uint8_t>{mac.begin(), mac.end()}));
  EXPECT_EQ(f[12], 0x08);
  EXPECT_EQ(f[13], 0x00);
  EXPECT_EQ(f[14], 0x45);
  EXPECT_EQ(f[23], 17);                                // UDP
  EXPECT_EQ(internet_checksum(f.data() + 14, 20), 0);  // a valid header sums to zero
  EXPECT_EQ((std::vector<uint8_t>{f.begin() + 26, f.begin() + 30}), (std::vector<uint8_t>{0, 0, 0, 0}));
  EXPECT_EQ((std::vector<uint8_t>{f.begin() + 30, f.begin() + 34}), (std::vector<uint8_t>{255, 255, 255, 255}));
  EXPECT_EQ(f[35], 68);
  EXPECT_EQ(f[37], 67);
}

TEST(DhcpFrame, ServerPayload) {
  std::vector<uint8_t> payload = encode(make_discover(1, mac));
  std::vector<uint8_t> f = reply_frame(payload);
  auto got = server_payload(f.data(), f.size());
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, payload);
  // Trailing Ethernet padding is ignored (lengths come from the headers).
  f.resize(f.size() + 10, 0);
  EXPECT_EQ(*server_payload(f.data(), f.size()), payload);
}

TEST(DhcpFrame, ServerPayloadRejectsOtherFrames) {
  std::vector<uint8_t> payload = encode(make_discover(1, mac));
  std::vector<uint8_t> client = client_frame(mac, payload);
  EXPECT_FALSE(server_payload(client.data(), client.size()));  // 68 -> 67 is not a reply
  std::vector<uint8_t> other_port = reply_frame(payload, 53);
  EXPECT_FALSE(server_payload(other_port.data(), other_port.size()));
  std::vector<uint8_t> arp = reply_frame(payload);
  arp[12] = 0x08;
  arp[13] = 0x06;
  EXPECT_FALSE(server_payload(arp.data(), arp.size()));
  std::vector<uint8_t> truncated = reply_frame(payload);
  truncated.resize(100);
  EXPECT_FALSE(server_payload(truncated.data(), truncated.size()));
  EXPECT_FALSE(server_payload(truncated.data(), 20));
}

TEST(DhcpFrame, InternetChecksum) {
  // RFC 1071's example words 0001 f203 f4f5 f6f7 sum to ddf2; the checksum is its complement.
  const uint8_t data[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(internet_checksum(data, sizeof data), 0x220d);
  const uint8_t odd[] = {0x01};
  EXPECT_EQ(internet_checksum(odd, 1), 0xfeff);
}

}  // namespace
}  // namespace rootlesskit::network::dhcp
