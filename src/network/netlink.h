// rtnetlink through libmnl: link up, MTU, addresses and the default route, instead of exec'ing
// `ip` four times (a large part of upstream's start-up time). Acts on the network namespace of
// the calling process: the child's own, or a netns helper's (network/netns.h).
#pragma once

#include <linux/netlink.h>

#include <array>
#include <cstdint>
#include <string>

namespace rootlesskit::network::netlink {

struct IpAddress {
  int family = 0;  // AF_INET or AF_INET6
  std::array<unsigned char, 16> bytes{};
  size_t size() const;  // 4 or 16
};
// inet_pton of either family. Throws Error "invalid IP address: <text>".
IpAddress parse_ip(const std::string& text);

// What the child configures on its interface (upstream pkg/child/child.go activateDev). Empty
// ip/gateway and mtu 0 are skipped.
struct InterfaceConfig {
  std::string dev;
  int mtu = 0;
  std::string ip;
  int prefix = 0;
  std::string gateway;
};

// The generic child configuration, in upstream's order: `ip link set <dev> up`,
// `ip link set dev <dev> mtu <mtu>`, `ip addr add <ip>/<prefix> dev <dev>`,
// `ip route add default via <gw> dev <dev>`. Throws Error naming the failed step, e.g.
// "failed to set MTU 65520 on tap0: invalid argument".
void configure_interface(const InterfaceConfig& config);

// The single steps (each throws Error "failed to <step>: <errno text>").
unsigned interface_index(const std::string& dev);  // "failed to find interface <dev>: ..."
void set_link_up(const std::string& dev);
void set_link_mtu(const std::string& dev, int mtu);
void add_address(const std::string& dev, const std::string& ip, int prefix);
void add_default_route(const std::string& dev, const std::string& gateway);

// Request builders, exposed for the unit tests. Each writes one request into `buf` and returns it.
struct alignas(8) Buffer {
  char data[512];
};
nlmsghdr* build_set_link_up(Buffer& buf, unsigned ifindex);
nlmsghdr* build_set_link_mtu(Buffer& buf, unsigned ifindex, int mtu);
nlmsghdr* build_add_address(Buffer& buf, unsigned ifindex, const IpAddress& ip, int prefix);
nlmsghdr* build_add_default_route(Buffer& buf, unsigned ifindex, const IpAddress& gateway);

}  // namespace rootlesskit::network::netlink
