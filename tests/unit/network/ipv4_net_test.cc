// IPv4 network offsets with upstream's (iputils) error texts.
#include "rootlesskit/ipv4_net.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace rootlesskit::network {
namespace {

TEST(Ipv4Network, Offsets) {
  Ipv4Network net = Ipv4Network::parse("10.0.2.0/24");
  EXPECT_EQ(net.to_string(), "10.0.2.0/24");
  EXPECT_EQ(net.prefix(), 24);
  EXPECT_EQ(net.host(100), "10.0.2.100");
  EXPECT_EQ(net.host(2), "10.0.2.2");
  EXPECT_EQ(Ipv4Network::parse("10.0.2.0/024").to_string(), "10.0.2.0/24");
  EXPECT_EQ(Ipv4Network::parse("192.168.255.0/24").host(300), "192.169.0.44");  // no subnet check, as upstream
}

TEST(Ipv4Network, Errors) {
  EXPECT_THROW(Ipv4Network::parse("foo"), Error);
  try {
    Ipv4Network::parse("fd00::/64");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "expected IPv4 address, got fd00::");
  }
  try {
    Ipv4Network::parse("255.255.255.0/24").host(300);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "255.255.255.0 + 300 overflows");
  }
}

}  // namespace
}  // namespace rootlesskit::network
