// The flags -> network::Selection mapping: each driver gets its own options, unset flags keep the
// driver's defaults, and nothing is looked up or probed here.
#include "cli/driver_options.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace rootlesskit::cli {
namespace {

namespace net = rootlesskit::network;

network::Selection selection_for(std::vector<std::string> args) {
  args.emplace_back("true");  // COMMAND
  return network_selection(parse_rootlesskit(args).flags);
}

TEST(NetworkSelection, HostAndNone) {
  EXPECT_TRUE(std::holds_alternative<net::HostNetwork>(selection_for({})));
  EXPECT_TRUE(std::holds_alternative<net::none::Options>(selection_for({"--net=none"})));
  EXPECT_EQ(net::name_of(selection_for({"--net=none"})), "none");
}

TEST(NetworkSelection, Slirp4netnsDefaultsAreTheDrivers) {
  auto o = std::get<net::slirp4netns::Options>(selection_for({"--net=slirp4netns"}));
  EXPECT_EQ(o.binary, "slirp4netns");  // looked up later, by resolve()
  EXPECT_EQ(o.mtu, 65520);
  EXPECT_FALSE(o.cidr.has_value());
  EXPECT_EQ(o.ifname, "tap0");
  EXPECT_FALSE(o.disable_host_loopback);
  EXPECT_FALSE(o.api_socket);
  EXPECT_EQ(o.sandbox, net::slirp4netns::Mode::disabled);
  EXPECT_EQ(o.seccomp, net::slirp4netns::Mode::disabled);
  EXPECT_FALSE(o.enable_ipv6);
}

TEST(NetworkSelection, Slirp4netnsEveryFlag) {
  auto o = std::get<net::slirp4netns::Options>(
      selection_for({"--net=slirp4netns", "--slirp4netns-binary=/opt/s4nn", "--mtu=1500", "--cidr=10.0.5.0/24",
                     "--ifname=eth7", "--disable-host-loopback", "--port-driver=slirp4netns",
                     "--slirp4netns-sandbox=auto", "--slirp4netns-seccomp=true", "--ipv6"}));
  EXPECT_EQ(o.binary, "/opt/s4nn");
  EXPECT_EQ(o.mtu, 1500);
  ASSERT_TRUE(o.cidr.has_value());
  EXPECT_EQ(o.cidr->to_string(), "10.0.5.0/24");
  EXPECT_EQ(o.ifname, "eth7");
  EXPECT_TRUE(o.disable_host_loopback);
  EXPECT_TRUE(o.api_socket);
  EXPECT_EQ(o.sandbox, net::slirp4netns::Mode::automatic);
  EXPECT_EQ(o.seccomp, net::slirp4netns::Mode::enabled);
  EXPECT_TRUE(o.enable_ipv6);
  EXPECT_EQ(std::get<net::slirp4netns::Options>(selection_for({"--net=slirp4netns", "--slirp4netns-sandbox="})).sandbox,
            net::slirp4netns::Mode::disabled);
}

TEST(NetworkSelection, Pasta) {
  auto o = std::get<net::pasta::Options>(selection_for({"--net=pasta"}));
  EXPECT_EQ(o.binary, "pasta");
  EXPECT_EQ(o.mtu, 65520);
  EXPECT_EQ(o.cidr.to_string(), "10.0.2.0/24");
  EXPECT_EQ(o.ifname, "tap0");
  EXPECT_FALSE(o.implicit_ports);
  EXPECT_FALSE(o.host_lo_to_ns_lo);  // probed by resolve(), not a flag
  o = std::get<net::pasta::Options>(
      selection_for({"--net=pasta", "--pasta-binary=/opt/pasta", "--mtu=9000", "--cidr=10.0.5.0/24", "--ifname=eth7",
                     "--disable-host-loopback", "--ipv6", "--port-driver=implicit"}));
  EXPECT_EQ(o.binary, "/opt/pasta");
  EXPECT_EQ(o.mtu, 9000);
  EXPECT_EQ(o.cidr.to_string(), "10.0.5.0/24");
  EXPECT_EQ(o.ifname, "eth7");
  EXPECT_TRUE(o.disable_host_loopback);
  EXPECT_TRUE(o.ipv6);
  EXPECT_TRUE(o.implicit_ports);
}

TEST(NetworkSelection, Vpnkit) {
  auto o = std::get<net::vpnkit::Options>(selection_for({"--net=vpnkit"}));
  EXPECT_EQ(o.binary, "vpnkit");
  EXPECT_EQ(o.mtu, 1500);
  EXPECT_EQ(o.ifname, "tap0");
  EXPECT_FALSE(o.disable_host_loopback);
  o = std::get<net::vpnkit::Options>(selection_for(
      {"--net=vpnkit", "--vpnkit-binary=/opt/vpnkit", "--mtu=9000", "--ifname=eth7", "--disable-host-loopback"}));
  EXPECT_EQ(o.binary, "/opt/vpnkit");
  EXPECT_EQ(o.mtu, 9000);
  EXPECT_EQ(o.ifname, "eth7");
  EXPECT_TRUE(o.disable_host_loopback);
}

TEST(NetworkSelection, LxcUserNic) {
  auto o = std::get<net::lxc_user_nic::Options>(selection_for({"--net=lxc-user-nic"}));
  EXPECT_EQ(o.binary, net::lxc_user_nic::default_binary());
  EXPECT_EQ(o.bridge, "lxcbr0");
  EXPECT_EQ(o.ifname, "eth0");
  EXPECT_EQ(o.mtu, 1500);
  o = std::get<net::lxc_user_nic::Options>(
      selection_for({"--net=lxc-user-nic", "--lxc-user-nic-binary=/opt/nic", "--lxc-user-nic-bridge=br1",
                     "--ifname=veth7", "--mtu=9000"}));
  EXPECT_EQ(o.binary, "/opt/nic");
  EXPECT_EQ(o.bridge, "br1");
  EXPECT_EQ(o.ifname, "veth7");
  EXPECT_EQ(o.mtu, 9000);
  EXPECT_EQ(net::name_of(o), "lxc-user-nic");
}

TEST(NetworkSelection, VdeplugSlirp) {
  auto o = std::get<net::vdeplug_slirp::Options>(selection_for({"--net=vdeplug_slirp"}));
  EXPECT_EQ(o.binary, "vde_plug");
  EXPECT_EQ(o.ifname, "tap0");
  EXPECT_EQ(std::get<net::vdeplug_slirp::Options>(selection_for({"--net=vdeplug_slirp", "--ifname=eth7"})).ifname,
            "eth7");
}

TEST(NetworkSelection, GvisorTapVsockIsRefused) {
  try {
    selection_for({"--net=gvisor-tap-vsock"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "network driver \"gvisor-tap-vsock\" is not supported by this implementation (it needs gVisor's "
                 "userspace network stack); use --net=slirp4netns or --net=pasta instead");
  }
}

TEST(NetworkSelection, Ipv6CidrIsRefusedForTheIpv4Drivers) {
  // Go's ParseCIDR (the validation) takes it; the drivers' Ipv4Network does not.
  for (const char* driver : {"--net=slirp4netns", "--net=pasta"}) {
    try {
      selection_for({driver, "--cidr=fd00::/64"});
      ADD_FAILURE() << driver;
    } catch (const Error& e) {
      EXPECT_STREQ(e.what(), "expected IPv4 address, got fd00::") << driver;
    }
  }
}

TEST(PortSelection, SocatIsLookedUpLaterNotHere) {
  const RootlesskitFlags f = parse_rootlesskit({"--net=slirp4netns", "--port-driver=socat", "true"}).flags;
  port::Selection selection = port_selection(f);
  auto o = std::get<port::socat::Options>(selection);
  EXPECT_EQ(o.socat_binary, "socat");  // resolved by make_parent_driver, in the parent only
  EXPECT_EQ(o.nsenter_binary, "nsenter");
  EXPECT_EQ(port::name_of(selection), "socat");
  EXPECT_EQ(port::make_child_driver(selection), nullptr);  // the child has nothing to do
}

}  // namespace
}  // namespace rootlesskit::cli
