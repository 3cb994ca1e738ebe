// rootlesskit-docker-proxy's decisions: IP family, API proto rewriting, unsupported protos, the
// child IP (loopback or the network driver's), the POSTed spec and the real docker-proxy's argv.
#include "dockerproxy/decisions.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace rootlesskit::dockerproxy {
namespace {

api::Info builtin_info() {
  api::Info info;
  info.network_driver = api::NetworkDriverInfo{"slirp4netns", {"10.0.2.3"}, "10.0.2.100", false};
  info.port_driver = api::PortDriverInfo{"builtin", {"tcp", "tcp4", "tcp6", "udp", "udp4", "udp6"}, false};
  return info;
}

api::Info slirp4netns_port_info() {
  api::Info info = builtin_info();
  info.port_driver = api::PortDriverInfo{"slirp4netns", {"tcp", "tcp4", "udp", "udp4"}, true};
  return info;
}

TEST(DockerProxyDecisions, IsIpv6LikeGoTo4) {
  EXPECT_TRUE(is_ipv6("::"));
  EXPECT_TRUE(is_ipv6("::1"));
  EXPECT_TRUE(is_ipv6("fd00::2"));
  EXPECT_TRUE(is_ipv6("::1.2.3.4"));          // IPv4-compatible is not IPv4-mapped
  EXPECT_FALSE(is_ipv6("::ffff:127.0.0.1"));  // To4() succeeds on IPv4-mapped addresses
  EXPECT_FALSE(is_ipv6("0.0.0.0"));
  EXPECT_FALSE(is_ipv6("127.0.0.1"));
  EXPECT_FALSE(is_ipv6(""));
  EXPECT_FALSE(is_ipv6("fe80::1%eth0"));  // Go's ParseIP takes no zone
  EXPECT_FALSE(is_ipv6("localhost"));
}

TEST(DockerProxyDecisions, ApiProtoGetsTheHostFamily) {
  EXPECT_EQ(api_proto("tcp", "0.0.0.0"), "tcp4");
  EXPECT_EQ(api_proto("tcp", ""), "tcp4");
  EXPECT_EQ(api_proto("tcp", "::"), "tcp6");
  EXPECT_EQ(api_proto("udp", "::1"), "udp6");
  EXPECT_EQ(api_proto("udp", "127.0.0.1"), "udp4");
  EXPECT_EQ(api_proto("sctp", "::ffff:10.0.0.1"), "sctp4");
  // Already suffixed: kept, whatever the host IP says.
  EXPECT_EQ(api_proto("tcp6", "0.0.0.0"), "tcp6");
  EXPECT_EQ(api_proto("udp4", "::"), "udp4");
}

TEST(DockerProxyDecisions, NoPortDriverLeavesItToTheRealProxy) {
  api::Info info = builtin_info();
  EXPECT_FALSE(leave_to_real_proxy(info));
  info.port_driver->driver = "none";
  EXPECT_TRUE(leave_to_real_proxy(info));
  info.port_driver->driver = "implicit";
  EXPECT_TRUE(leave_to_real_proxy(info));
  info.port_driver.reset();
  EXPECT_TRUE(leave_to_real_proxy(info));
  EXPECT_TRUE(leave_to_real_proxy(api::Info{}));
}

TEST(DockerProxyDecisions, UnsupportedProtoWarning) {
  EXPECT_EQ(unsupported_proto_warning(builtin_info(), "tcp6", "::", 80), std::nullopt);
  EXPECT_EQ(unsupported_proto_warning(slirp4netns_port_info(), "tcp4", "0.0.0.0", 80), std::nullopt);
  EXPECT_EQ(unsupported_proto_warning(slirp4netns_port_info(), "tcp6", "::", 80),
            "protocol \"tcp6\" is not supported by the RootlessKit port driver \"slirp4netns\", "
            "discarding request for \"[::]:80\"");
  EXPECT_EQ(unsupported_proto_warning(builtin_info(), "sctp4", "10.0.0.1", 8080),
            "protocol \"sctp4\" is not supported by the RootlessKit port driver \"builtin\", "
            "discarding request for \"10.0.0.1:8080\"");
}

TEST(DockerProxyDecisions, ChildIpIsLoopbackOfTheHostFamily) {
  EXPECT_EQ(choose_child_ip(builtin_info(), "0.0.0.0"), "127.0.0.1");
  EXPECT_EQ(choose_child_ip(builtin_info(), ""), "127.0.0.1");
  EXPECT_EQ(choose_child_ip(builtin_info(), "::"), "::1");
  EXPECT_EQ(choose_child_ip(builtin_info(), "::ffff:127.0.0.1"), "127.0.0.1");
}

TEST(DockerProxyDecisions, DisallowLoopbackChildIpTakesTheNetworkDriversIp) {
  EXPECT_EQ(choose_child_ip(slirp4netns_port_info(), "0.0.0.0"), "10.0.2.100");
  EXPECT_EQ(choose_child_ip(slirp4netns_port_info(), "::"), "10.0.2.100");

  api::Info info = slirp4netns_port_info();
  info.network_driver->child_ip.clear();
  try {
    choose_child_ip(info, "0.0.0.0");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "port driver (\"slirp4netns\") does not allow loopback child IP, but network "
                 "driver (\"slirp4netns\") has no non-loopback IP");
  }
  info.network_driver.reset();  // upstream dereferences nil here; we name no driver
  EXPECT_THROW(choose_child_ip(info, "0.0.0.0"), Error);
}

TEST(DockerProxyDecisions, PortSpecPublishesTheHostPortOnBothSides) {
  EXPECT_EQ(port_spec("tcp4", "127.0.0.1", 18480, "127.0.0.1"),
            (api::PortSpec{"tcp4", "127.0.0.1", 18480, 18480, "127.0.0.1"}));
  EXPECT_EQ(port_spec("udp6", "::", 53, "::1"), (api::PortSpec{"udp6", "::", 53, 53, "::1"}));
  // Beyond int: never wrapped into another (possibly valid) port.
  EXPECT_EQ(port_spec("tcp4", "", 4294967376LL, "127.0.0.1").parent_port, -1);
}

TEST(DockerProxyDecisions, RealProxyArgv) {
  Options o;
  o.container_ip = "172.17.0.2";
  o.container_port = 80;
  o.host_ip = "0.0.0.0";
  o.host_port = 8080;
  o.proto = "tcp";
  EXPECT_EQ(real_proxy_argv(o, "127.0.0.1"),
            (std::vector<std::string>{"docker-proxy", "-container-ip", "172.17.0.2", "-container-port", "80",
                                      "-host-ip", "127.0.0.1", "-host-port", "8080", "-proto", "tcp"}));
  EXPECT_EQ(real_proxy_argv(Options{}, "::1"),
            (std::vector<std::string>{"docker-proxy", "-container-ip", "", "-container-port", "-1", "-host-ip", "::1",
                                      "-host-port", "-1", "-proto", "tcp"}));
}

TEST(DockerProxyDecisions, JoinHostPort) {
  EXPECT_EQ(join_host_port("::", 80), "[::]:80");
  EXPECT_EQ(join_host_port("0.0.0.0", 80), "0.0.0.0:80");
  EXPECT_EQ(join_host_port("", 80), ":80");
}

TEST(DockerProxyDecisions, GoLogLine) {
  std::tm tm{};
  tm.tm_year = 126;
  tm.tm_mon = 11;
  tm.tm_mday = 6;
  tm.tm_hour = 7;
  tm.tm_min = 5;
  tm.tm_sec = 9;
  EXPECT_EQ(go_log_line(tm, "boom"), "2026/12/06 07:05:09 boom\n");
  EXPECT_EQ(go_log_line(tm, "done\n"), "2026/12/06 07:05:09 done\n");
}

}  // namespace
}  // namespace rootlesskit::dockerproxy
