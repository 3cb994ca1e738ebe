// rtnetlink requests built with libmnl, each sent with NLM_F_ACK and checked, so that a failure
// names its step and the kernel's errno.
#include "network/netlink.h"

#include <arpa/inet.h>
#include <net/if.h>  // before the linux/ headers, which would redefine struct ifreq

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <memory>

#include <fmt/format.h>

#include "common/error.h"

namespace rootlesskit::network::netlink {
namespace {

nlmsghdr* start(Buffer& buf, uint16_t type, uint16_t flags) {
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data);
  nlh->nlmsg_type = type;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
  return nlh;
}

ifinfomsg* put_link(nlmsghdr* nlh, unsigned ifindex) {
  auto* ifi = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = static_cast<int>(ifindex);
  return ifi;
}

struct SocketCloser {
  void operator()(mnl_socket* s) const { mnl_socket_close(s); }
};

// Sends one request on a fresh socket and waits for its ACK. Throws errno_error(what).
void transact(nlmsghdr* nlh, const std::string& what) {
  std::unique_ptr<mnl_socket, SocketCloser> nl(mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC));
  if (!nl || mnl_socket_bind(nl.get(), 0, MNL_SOCKET_AUTOPID) < 0) {
    throw errno_error(what + ": netlink socket");
  }
  nlh->nlmsg_seq = 1;
  if (mnl_socket_sendto(nl.get(), nlh, nlh->nlmsg_len) < 0) {
    throw errno_error(what);
  }
  alignas(8) char reply[8192];  // an ACK or an error with the echoed request
  unsigned portid = mnl_socket_get_portid(nl.get());
  while (true) {
    ssize_t n = mnl_socket_recvfrom(nl.get(), reply, sizeof reply);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw errno_error(what);
    }
    int r = mnl_cb_run(reply, static_cast<size_t>(n), nlh->nlmsg_seq, portid, nullptr, nullptr);
    if (r < 0) {
      throw errno_error(what);
    }
    if (r == MNL_CB_STOP) {
      return;  // the ACK (an nlmsgerr with error 0)
    }
  }
}

}  // namespace

size_t IpAddress::size() const { return family == AF_INET ? 4 : 16; }

IpAddress parse_ip(const std::string& text) {
  IpAddress ip;
  if (::inet_pton(AF_INET, text.c_str(), ip.bytes.data()) == 1) {
    ip.family = AF_INET;
  } else if (::inet_pton(AF_INET6, text.c_str(), ip.bytes.data()) == 1) {
    ip.family = AF_INET6;
  } else {
    throw Error("invalid IP address: " + text);
  }
  return ip;
}

nlmsghdr* build_set_link_up(Buffer& buf, unsigned ifindex) {
  nlmsghdr* nlh = start(buf, RTM_NEWLINK, 0);
  ifinfomsg* ifi = put_link(nlh, ifindex);
  ifi->ifi_flags = IFF_UP;
  ifi->ifi_change = IFF_UP;
  return nlh;
}

nlmsghdr* build_set_link_mtu(Buffer& buf, unsigned ifindex, int mtu) {
  nlmsghdr* nlh = start(buf, RTM_NEWLINK, 0);
  put_link(nlh, ifindex);
  mnl_attr_put_u32(nlh, IFLA_MTU, static_cast<uint32_t>(mtu));
  return nlh;
}

nlmsghdr* build_add_address(Buffer& buf, unsigned ifindex, const IpAddress& ip, int prefix) {
  nlmsghdr* nlh = start(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
  auto* ifa = static_cast<ifaddrmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifaddrmsg)));
  ifa->ifa_family = static_cast<unsigned char>(ip.family);
  ifa->ifa_prefixlen = static_cast<unsigned char>(prefix);
  ifa->ifa_scope = RT_SCOPE_UNIVERSE;
  ifa->ifa_index = ifindex;
  // `ip addr add` sends both: IFA_LOCAL is the address, IFA_ADDRESS the (same) peer.
  mnl_attr_put(nlh, IFA_LOCAL, ip.size(), ip.bytes.data());
  mnl_attr_put(nlh, IFA_ADDRESS, ip.size(), ip.bytes.data());
  return nlh;
}

nlmsghdr* build_add_default_route(Buffer& buf, unsigned ifindex, const IpAddress& gateway) {
  nlmsghdr* nlh = start(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
  auto* rtm = static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(rtmsg)));
  rtm->rtm_family = static_cast<unsigned char>(gateway.family);
  rtm->rtm_dst_len = 0;
  rtm->rtm_table = RT_TABLE_MAIN;
  rtm->rtm_protocol = RTPROT_BOOT;  // what `ip route add` uses
  rtm->rtm_scope = RT_SCOPE_UNIVERSE;
  rtm->rtm_type = RTN_UNICAST;
  mnl_attr_put(nlh, RTA_GATEWAY, gateway.size(), gateway.bytes.data());
  mnl_attr_put_u32(nlh, RTA_OIF, ifindex);
  return nlh;
}

unsigned interface_index(const std::string& dev) {
  unsigned index = ::if_nametoindex(dev.c_str());
  if (index == 0) {
    throw errno_error("failed to find interface " + dev);
  }
  return index;
}

void set_link_up(const std::string& dev) {
  Buffer buf;
  transact(build_set_link_up(buf, interface_index(dev)), "failed to set " + dev + " up");
}

void set_link_mtu(const std::string& dev, int mtu) {
  Buffer buf;
  transact(build_set_link_mtu(buf, interface_index(dev), mtu), fmt::format("failed to set MTU {} on {}", mtu, dev));
}

void add_address(const std::string& dev, const std::string& ip, int prefix) {
  const std::string what = fmt::format("failed to add address {}/{} to {}", ip, prefix, dev);
  IpAddress parsed;
  try {
    parsed = parse_ip(ip);
  } catch (const Error& e) {
    throw e.wrap(what);
  }
  Buffer buf;
  transact(build_add_address(buf, interface_index(dev), parsed, prefix), what);
}

void add_default_route(const std::string& dev, const std::string& gateway) {
  const std::string what = "failed to add default route via " + gateway + " dev " + dev;
  IpAddress parsed;
  try {
    parsed = parse_ip(gateway);
  } catch (const Error& e) {
    throw e.wrap(what);
  }
  Buffer buf;
  transact(build_add_default_route(buf, interface_index(dev), parsed), what);
}

void configure_interface(const InterfaceConfig& c) {
  set_link_up(c.dev);
  if (c.mtu > 0) {
    set_link_mtu(c.dev, c.mtu);
  }
  if (!c.ip.empty()) {
    add_address(c.dev, c.ip, c.prefix);
  }
  if (!c.gateway.empty()) {
    add_default_route(c.dev, c.gateway);
  }
}

}  // namespace rootlesskit::network::netlink
