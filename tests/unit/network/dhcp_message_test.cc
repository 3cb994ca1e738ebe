// DHCPv4 message encoding/decoding, client message builders and lease extraction.
#include "network/dhcp/message.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace rootlesskit::network::dhcp {
namespace {

const MacAddress mac{0x02, 0x42, 0xac, 0x11, 0x00, 0x02};

// A DHCPACK as dnsmasq sends it (fields and options in its order).
Message sample_ack() {
  Message m;
  m.op = boot_reply;
  m.xid = 0xdeadbeef;
  m.flags = broadcast_flag;
  m.yiaddr = {10, 99, 0, 123};
  m.siaddr = {10, 99, 0, 1};
  m.chaddr = mac;
  m.add(option::message_type, {5});
  m.add(option::server_id, {10, 99, 0, 1});
  m.add(option::lease_time, {0, 0, 0x0e, 0x10});    // 3600
  m.add(option::renewal_time, {0, 0, 0x07, 0x08});  // 1800
  m.add(option::subnet_mask, {255, 255, 255, 0});
  m.add(option::router, {10, 99, 0, 1});
  m.add(option::dns, {10, 99, 0, 1, 10, 99, 0, 2});
  return m;
}

TEST(DhcpMessage, EncodesTheBootpLayout) {
  std::vector<uint8_t> b = encode(make_discover(0x01020304, mac));
  ASSERT_EQ(b.size(), 300u);  // padded to the BOOTP minimum
  EXPECT_EQ(b[0], boot_request);
  EXPECT_EQ(b[1], 1);  // htype Ethernet
  EXPECT_EQ(b[2], 6);  // hlen
  EXPECT_EQ((std::vector<uint8_t>{b.begin() + 4, b.begin() + 8}), (std::vector<uint8_t>{1, 2, 3, 4}));
  EXPECT_EQ(b[10], 0x80);  // broadcast flag
  EXPECT_EQ(b[11], 0x00);
  EXPECT_EQ((std::vector<uint8_t>{b.begin() + 28, b.begin() + 34}), (std::vector<uint8_t>{mac.begin(), mac.end()}));
  EXPECT_EQ((std::vector<uint8_t>{b.begin() + 236, b.begin() + 240}), (std::vector<uint8_t>{99, 130, 83, 99}));
  EXPECT_EQ((std::vector<uint8_t>{b.begin() + 240, b.begin() + 243}), (std::vector<uint8_t>{53, 1, 1}));
  EXPECT_EQ((std::vector<uint8_t>{b.begin() + 243, b.begin() + 250}), (std::vector<uint8_t>{55, 5, 1, 3, 6, 51, 58}));
  EXPECT_EQ(b[250], option::end);
}

TEST(DhcpMessage, RoundTrip) {
  Message ack = sample_ack();
  std::vector<uint8_t> bytes = encode(ack);
  Message back = decode(bytes.data(), bytes.size());
  EXPECT_EQ(back.op, boot_reply);
  EXPECT_EQ(back.xid, 0xdeadbeefu);
  EXPECT_EQ(back.flags, broadcast_flag);
  EXPECT_EQ(back.yiaddr, (Ipv4Address{10, 99, 0, 123}));
  EXPECT_EQ(back.chaddr, mac);
  EXPECT_EQ(back.type(), MessageType::ack);
  EXPECT_EQ(back.options.size(), ack.options.size());
  EXPECT_EQ(back.number(option::lease_time), 3600u);
  EXPECT_EQ(back.addresses(option::dns).size(), 2u);
  EXPECT_TRUE(answers(back, 0xdeadbeef, mac));
  EXPECT_FALSE(answers(back, 0xdeadbeee, mac));
}

TEST(DhcpMessage, DecodeSkipsPadAndConcatenatesSplitOptions) {
  Message m = sample_ack();
  m.options.clear();
  m.add(option::dns, {1, 1, 1, 1});
  m.add(option::dns, {8, 8, 4, 4});
  std::vector<uint8_t> b = encode(m);
  b.insert(b.begin() + 240, {0, 0});  // two pads before the first option
  Message back = decode(b.data(), b.size());
  ASSERT_EQ(back.addresses(option::dns).size(), 2u);
  EXPECT_EQ(to_string(back.addresses(option::dns)[1]), "8.8.4.4");
  EXPECT_EQ(back.type(), std::nullopt);
}

TEST(DhcpMessage, DecodeRejectsMalformedPackets) {
  std::vector<uint8_t> good = encode(sample_ack());
  EXPECT_THROW(decode(good.data(), 100), Error);
  std::vector<uint8_t> no_cookie = good;
  no_cookie[236] = 0;
  try {
    decode(no_cookie.data(), no_cookie.size());
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "malformed DHCP message: no magic cookie");
  }
  std::vector<uint8_t> truncated(good.begin(), good.begin() + 242);  // option 53's header, no data
  EXPECT_THROW(decode(truncated.data(), truncated.size()), Error);
}

TEST(DhcpMessage, LongMessageIsNotPaddedAndEndsWithEnd) {
  Message m = sample_ack();
  m.add(option::dns, std::vector<uint8_t>(200, 9));
  size_t options = 0;
  for (const Option& o : m.options) {
    options += 2 + o.data.size();
  }
  std::vector<uint8_t> b = encode(m);
  ASSERT_EQ(b.size(), 240 + options + 1);  // header + cookie + options + end, past the 300 minimum
  EXPECT_EQ(b.back(), option::end);
  EXPECT_EQ(b[b.size() - 2], 9);
  EXPECT_EQ(decode(b.data(), b.size()).options.size(), m.options.size());
}

TEST(DhcpMessage, EncodeRejectsLongOptions) {
  Message m;
  m.add(option::dns, std::vector<uint8_t>(256, 1));
  EXPECT_THROW(encode(m), Error);
}

TEST(DhcpMessage, RequestBuilders) {
  Message req = make_request(7, mac, {10, 99, 0, 5}, {10, 99, 0, 1});
  EXPECT_EQ(req.type(), MessageType::request);
  EXPECT_EQ(req.flags, broadcast_flag);
  EXPECT_EQ(req.addresses(option::requested_ip), (std::vector<Ipv4Address>{{10, 99, 0, 5}}));
  EXPECT_EQ(req.addresses(option::server_id), (std::vector<Ipv4Address>{{10, 99, 0, 1}}));
  EXPECT_EQ(req.ciaddr, Ipv4Address{});

  Message renew = make_renew(8, mac, {10, 99, 0, 5}, false);
  EXPECT_EQ(renew.ciaddr, (Ipv4Address{10, 99, 0, 5}));
  EXPECT_EQ(renew.flags, 0);
  EXPECT_EQ(renew.find(option::requested_ip), nullptr);  // RFC 2131 §4.3.2: none when renewing
  EXPECT_EQ(renew.find(option::server_id), nullptr);
  EXPECT_EQ(make_renew(8, mac, {10, 99, 0, 5}, true).flags, broadcast_flag);

  Message release = make_release(9, mac, {10, 99, 0, 5}, {10, 99, 0, 1});
  EXPECT_EQ(release.type(), MessageType::release);
  EXPECT_EQ(release.ciaddr, (Ipv4Address{10, 99, 0, 5}));
  EXPECT_EQ(release.flags, 0);
  EXPECT_EQ(release.addresses(option::server_id), (std::vector<Ipv4Address>{{10, 99, 0, 1}}));
}

TEST(DhcpMessage, LeaseFromAck) {
  Lease lease = lease_from_ack(sample_ack());
  EXPECT_EQ(to_string(lease.ip), "10.99.0.123");
  EXPECT_EQ(lease.prefix, 24);
  EXPECT_EQ(to_string(lease.router), "10.99.0.1");
  ASSERT_EQ(lease.dns.size(), 2u);
  EXPECT_EQ(to_string(lease.server), "10.99.0.1");
  EXPECT_EQ(lease.lease_seconds, 3600u);
  EXPECT_EQ(lease.renewal_seconds, 1800u);
}

void expect_lease_error(Message m, const char* text) {
  try {
    lease_from_ack(m);
    FAIL() << "expected " << text;
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), text);
  }
}

TEST(DhcpMessage, LeaseErrorsUseUpstreamTexts) {
  Message m = sample_ack();
  m.yiaddr = {};
  expect_lease_error(m, "got zero YourIPAddr");
  m = sample_ack();
  std::erase_if(m.options, [](const Option& o) { return o.code == option::router; });
  expect_lease_error(m, "got no Router");
  m = sample_ack();
  std::erase_if(m.options, [](const Option& o) { return o.code == option::dns; });
  expect_lease_error(m, "got no DNS");
  m = sample_ack();
  std::erase_if(m.options, [](const Option& o) { return o.code == option::subnet_mask; });
  expect_lease_error(m, "got no SubnetMask");
}

TEST(DhcpMessage, LeaseWithoutLeaseTimeIsInfinite) {
  Message m = sample_ack();
  std::erase_if(m.options, [](const Option& o) { return o.code == option::lease_time; });
  EXPECT_EQ(lease_from_ack(m).lease_seconds, infinite_lease);
}

TEST(DhcpMessage, PrefixOfMask) {
  EXPECT_EQ(prefix_of({255, 255, 255, 0}), 24);
  EXPECT_EQ(prefix_of({255, 255, 240, 0}), 20);
  EXPECT_EQ(prefix_of({255, 255, 255, 255}), 32);
  EXPECT_EQ(prefix_of({0, 0, 0, 0}), 0);
  EXPECT_EQ(prefix_of({255, 0, 255, 0}), std::nullopt);
}

TEST(DhcpMessage, Texts) {
  EXPECT_EQ(to_string(MessageType::offer), "DHCPOFFER");
  EXPECT_EQ(to_string(static_cast<MessageType>(42)), "DHCP(42)");
  EXPECT_EQ(to_string(mac), "02:42:ac:11:00:02");
  EXPECT_EQ(parse_ipv4("192.168.65.3"), (Ipv4Address{192, 168, 65, 3}));
  EXPECT_THROW(parse_ipv4("fd00::1"), Error);
}

}  // namespace
}  // namespace rootlesskit::network::dhcp
