// rtnetlink requests (built and inspected), and the netns primitive + tap + netlink for real:
// a forked process holds a new user+network namespace that the test configures from outside,
// the way the parent configures the child's.
#include "network/netlink.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "common/error.h"
#include "common/fd.h"
#include "common/process.h"
#include "network/netns.h"
#include "network/tap.h"

namespace rootlesskit::network {
namespace {

using netlink::Buffer;

// Attribute type -> payload of a built request.
std::map<int, std::string> attributes(const nlmsghdr* nlh, size_t header_size) {
  std::map<int, std::string> out;
  mnl_attr_parse(
      nlh, static_cast<unsigned>(header_size),
      [](const nlattr* attr, void* data) {
        auto* m = static_cast<std::map<int, std::string>*>(data);
        (*m)[mnl_attr_get_type(attr)] =
            std::string(static_cast<const char*>(mnl_attr_get_payload(attr)), mnl_attr_get_payload_len(attr));
        return MNL_CB_OK;
      },
      &out);
  return out;
}

TEST(Netlink, LinkUpAndMtuRequests) {
  Buffer buf;
  nlmsghdr* nlh = netlink::build_set_link_up(buf, 7);
  EXPECT_EQ(nlh->nlmsg_type, RTM_NEWLINK);
  EXPECT_TRUE(nlh->nlmsg_flags & NLM_F_ACK);
  auto* ifi = static_cast<ifinfomsg*>(mnl_nlmsg_get_payload(nlh));
  EXPECT_EQ(ifi->ifi_index, 7);
  EXPECT_EQ(ifi->ifi_flags & IFF_UP, IFF_UP);
  EXPECT_EQ(ifi->ifi_change, static_cast<unsigned>(IFF_UP));

  nlh = netlink::build_set_link_mtu(buf, 7, 65520);
  auto attrs = attributes(nlh, sizeof(ifinfomsg));
  ASSERT_TRUE(attrs.count(IFLA_MTU));
  uint32_t mtu = 0;
  std::memcpy(&mtu, attrs[IFLA_MTU].data(), 4);
  EXPECT_EQ(mtu, 65520u);
  EXPECT_EQ(static_cast<ifinfomsg*>(mnl_nlmsg_get_payload(nlh))->ifi_change, 0u);
}

TEST(Netlink, AddressRequest) {
  Buffer buf;
  nlmsghdr* nlh = netlink::build_add_address(buf, 3, netlink::parse_ip("10.0.2.100"), 24);
  EXPECT_EQ(nlh->nlmsg_type, RTM_NEWADDR);
  EXPECT_EQ(nlh->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL), NLM_F_CREATE | NLM_F_EXCL);
  auto* ifa = static_cast<ifaddrmsg*>(mnl_nlmsg_get_payload(nlh));
  EXPECT_EQ(ifa->ifa_family, AF_INET);
  EXPECT_EQ(ifa->ifa_prefixlen, 24);
  EXPECT_EQ(ifa->ifa_index, 3u);
  auto attrs = attributes(nlh, sizeof(ifaddrmsg));
  EXPECT_EQ(attrs[IFA_LOCAL], std::string("\x0a\x00\x02\x64", 4));
  EXPECT_EQ(attrs[IFA_ADDRESS], attrs[IFA_LOCAL]);

  nlh = netlink::build_add_address(buf, 3, netlink::parse_ip("fd00::100"), 64);
  EXPECT_EQ(static_cast<ifaddrmsg*>(mnl_nlmsg_get_payload(nlh))->ifa_family, AF_INET6);
  EXPECT_EQ(attributes(nlh, sizeof(ifaddrmsg))[IFA_LOCAL].size(), 16u);
}

TEST(Netlink, DefaultRouteRequest) {
  Buffer buf;
  nlmsghdr* nlh = netlink::build_add_default_route(buf, 5, netlink::parse_ip("10.0.2.2"));
  EXPECT_EQ(nlh->nlmsg_type, RTM_NEWROUTE);
  auto* rtm = static_cast<rtmsg*>(mnl_nlmsg_get_payload(nlh));
  EXPECT_EQ(rtm->rtm_dst_len, 0);
  EXPECT_EQ(rtm->rtm_table, RT_TABLE_MAIN);
  auto attrs = attributes(nlh, sizeof(rtmsg));
  EXPECT_EQ(attrs[RTA_GATEWAY], std::string("\x0a\x00\x02\x02", 4));
  uint32_t oif = 0;
  std::memcpy(&oif, attrs[RTA_OIF].data(), 4);
  EXPECT_EQ(oif, 5u);
}

TEST(Netlink, ParseIpRejectsJunk) {
  EXPECT_THROW(netlink::parse_ip("10.0.2"), Error);
  EXPECT_EQ(netlink::parse_ip("::1").family, AF_INET6);
}

// A process sitting in a new user+network namespace until the test ends.
class NamespaceHolder {
 public:
  NamespaceHolder() {
    Pipe ready = make_pipe();
    m_release = make_pipe();
    pid_t pid = ::fork();
    if (pid == 0) {
      char c = ::unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0 ? 'y' : 'n';
      ::write(ready.write.get(), &c, 1);
      ::read(m_release.read.get(), &c, 1);
      ::_exit(0);
    }
    m_process = ChildProcess(pid);
    ready.write.reset();
    char c = 'n';
    read_full(ready.read.get(), &c, 1);
    m_ok = c == 'y';
  }
  bool ok() const { return m_ok; }
  pid_t pid() const { return m_process.pid(); }

 private:
  Pipe m_release;  // closing our write end (destructor) lets the holder exit
  ChildProcess m_process;
  bool m_ok = false;
};

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(NetnsPrimitive, CreatesAndConfiguresATapInAnotherNamespace) {
  NamespaceHolder holder;
  if (!holder.ok()) {
    GTEST_SKIP() << "no user namespaces here";
  }
  NetnsTarget target = child_netns(holder.pid(), "");
  run_in_netns(target, [] {
    create_persistent_tap("tap7");
    netlink::configure_interface({"tap7", 65520, "10.0.2.100", 24, "10.0.2.2"});
  });
  // Read the result back from inside (the helper's /proc/net is its namespace's).
  run_in_netns(target, [] {
    Fd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    ifreq req{};
    std::strcpy(req.ifr_name, "tap7");
    if (::ioctl(sock.get(), SIOCGIFMTU, &req) != 0 || req.ifr_mtu != 65520) {
      throw Error("unexpected MTU");
    }
    if (::ioctl(sock.get(), SIOCGIFADDR, &req) != 0 ||
        reinterpret_cast<sockaddr_in*>(&req.ifr_addr)->sin_addr.s_addr != ::inet_addr("10.0.2.100")) {
      throw Error("unexpected address");
    }
    // /proc/net/route: "tap7 00000000 0202000A ..." for the default route via 10.0.2.2.
    if (read_all("/proc/net/route").find("tap7\t00000000\t0202000A") == std::string::npos) {
      throw Error("no default route: " + read_all("/proc/net/route"));
    }
  });
  // The host namespace has no tap7.
  EXPECT_EQ(::if_nametoindex("tap7"), 0u);
}

TEST(NetnsPrimitive, ErrorsNameTheStepAndCrossTheHelper) {
  NamespaceHolder holder;
  if (!holder.ok()) {
    GTEST_SKIP() << "no user namespaces here";
  }
  NetnsTarget target = child_netns(holder.pid(), "");
  run_in_netns(target, [] { create_persistent_tap("tap0"); });
  try {
    run_in_netns(target, [] { netlink::set_link_mtu("tap0", 70000); });
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "failed to set MTU 70000 on tap0: invalid argument");
  }
  try {
    run_in_netns(target, [] { netlink::set_link_up("nosuch0"); });
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "failed to find interface nosuch0: no such device");
  }
  try {
    run_in_netns(target, [] {
      netlink::add_address("lo", "127.0.0.5", 8);
      netlink::add_address("lo", "127.0.0.5", 8);
    });
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "failed to add address 127.0.0.5/8 to lo: file exists");
  }
  try {
    run_in_netns(NetnsTarget{"", "/nonexistent/netns"}, [] {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "failed to open /nonexistent/netns: no such file or directory");
  }
}

}  // namespace
}  // namespace rootlesskit::network
