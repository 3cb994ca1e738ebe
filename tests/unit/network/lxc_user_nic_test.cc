// --net=lxc-user-nic: argv, option defaults, lxc-usernet matching, failure advice, renewal timing.
#include <gtest/gtest.h>
#include <unistd.h>

#include "common/error.h"
#include "common/process.h"
#include "network/lxc_user_nic/lease_keeper.h"
#include "network/lxc_user_nic/lxc_user_nic.h"
#include "network/lxc_user_nic/options.h"

namespace rootlesskit::network::lxc_user_nic {
namespace {

using std::chrono::seconds;

TEST(LxcUserNic, Argv) {
  Options o;
  o.binary = "/usr/libexec/lxc/lxc-user-nic";
  o.bridge = "rktbr0";
  EXPECT_EQ(build_argv(o, 4242), (std::vector<std::string>{"/usr/libexec/lxc/lxc-user-nic", "create", "/dev/null",
                                                           "dummy", "4242", "veth", "rktbr0", "eth0"}));
}

TEST(LxcUserNic, Resolve) {
  Options requested;
  requested.binary = "true";
  requested.bridge = "br1";
  requested.ifname = "veth7";
  requested.mtu = 9000;
  Options o = resolve(requested);
  EXPECT_EQ(o.binary, look_path("true"));
  EXPECT_EQ(o.bridge, "br1");
  EXPECT_EQ(o.ifname, "veth7");
  EXPECT_EQ(o.mtu, 9000);
  EXPECT_EQ(Options{}.bridge, "lxcbr0");
  EXPECT_EQ(Options{}.ifname, "eth0");
  EXPECT_EQ(Options{}.mtu, 1500);
}

TEST(LxcUserNic, DefaultBinaryIsTheFirstExistingPath) {
  const std::string binary = default_binary();
  if (::access("/usr/libexec/lxc/lxc-user-nic", F_OK) == 0) {  // Debian's liblxc-common
    EXPECT_EQ(binary, "/usr/libexec/lxc/lxc-user-nic");
  } else if (!binary.empty()) {
    EXPECT_EQ(::access(binary.c_str(), F_OK), 0) << binary;
  }
}

TEST(LxcUserNic, MissingBinarySaysWhatToInstall) {
  try {
    resolve(Options{});  // an empty binary, as --lxc-user-nic-binary when no default path exists
    FAIL();
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_EQ(what.rfind(R"(lxc-user-nic binary "" is not installed: exec: "": executable file not found in $PATH)", 0),
              0u)
        << what;
    EXPECT_NE(what.find("apt-get install liblxc-common"), std::string::npos) << what;
  }
}

TEST(LxcUserNic, Info) {
  ParentDriver driver(Options{});
  api::NetworkDriverInfo info = driver.info();
  EXPECT_EQ(info.driver, "lxc-user-nic");
  EXPECT_TRUE(info.dynamic_child_ip);
  EXPECT_TRUE(info.dns.empty());
  EXPECT_TRUE(info.child_ip.empty());
}

const Requester alice{"alice", {"alice", "netdev"}};

TEST(LxcUserNic, AllowedNics) {
  const std::string usernet =
      "# USERNAME TYPE BRIDGE COUNT\n"
      "alice veth lxcbr0 2\n"
      "@netdev\tveth  lxcbr0 3\n"
      "bob veth lxcbr0 10\n"
      "alice veth otherbr 1\n"
      "alice macvlan lxcbr0 5\n"
      "alice veth lxcbr0 junk\n";
  EXPECT_EQ(allowed_nics(usernet, alice, "lxcbr0"), 5);
  EXPECT_EQ(allowed_nics(usernet, alice, "otherbr"), 1);
  EXPECT_EQ(allowed_nics(usernet, alice, "rktbr0"), 0);
  EXPECT_EQ(allowed_nics(usernet, Requester{"carol", {}}, "lxcbr0"), 0);
}

// The texts lxc-user-nic 5.0 prints in each case (seen on Debian 12).
constexpr const char* no_usernet =
    "../src/lxc/cmd/lxc_user_nic.c: 308: get_alloted - No such file or directory - Failed to open "
    "\"/etc/lxc/lxc-usernet\"\n../src/lxc/cmd/lxc_user_nic.c: 1250: main: Quota reached";
constexpr const char* quota = "../src/lxc/cmd/lxc_user_nic.c: 1250: main: Quota reached";
constexpr const char* no_bridge =
    "../src/lxc/cmd/lxc_user_nic.c: 545: get_mtu: Could not get MTU for netdev nosuchbr ifindex 0\n"
    "../src/lxc/cmd/lxc_user_nic.c: 593: create_nic: Error attaching veth1001_afGc to nosuchbr\n"
    "../src/lxc/cmd/lxc_user_nic.c: 1250: main: Quota reached";

TEST(LxcUserNic, FailureAdvice) {
  EXPECT_EQ(failure_advice(no_usernet, std::nullopt, alice, "rktbr0"),
            "/etc/lxc/lxc-usernet does not exist: as root, add the line \"alice veth rktbr0 10\" to "
            "/etc/lxc/lxc-usernet");
  EXPECT_EQ(failure_advice(quota, std::string("bob veth rktbr0 10\n"), alice, "rktbr0"),
            "/etc/lxc/lxc-usernet allows alice no veth on bridge rktbr0: as root, add the line "
            "\"alice veth rktbr0 10\" to /etc/lxc/lxc-usernet");
  EXPECT_EQ(failure_advice(quota, std::string("alice veth rktbr0 1\n"), alice, "rktbr0"),
            "every veth /etc/lxc/lxc-usernet allows alice on bridge rktbr0 is in use (see /run/lxc/nics): "
            "raise the count on its line");
  EXPECT_EQ(failure_advice(no_bridge, std::string("alice veth nosuchbr 1\n"), alice, "nosuchbr"),
            "bridge \"nosuchbr\" does not exist or cannot take a veth: create it, with a DHCP server on it "
            "(e.g. lxc-net's lxcbr0), or pass --lxc-user-nic-bridge=NAME");
  EXPECT_EQ(failure_advice("something else", std::string("alice veth rktbr0 1\n"), alice, "rktbr0"), "");
}

TEST(LxcUserNic, RenewalDelay) {
  dhcp::Lease lease;
  lease.lease_seconds = 3600;
  EXPECT_EQ(renewal_delay(lease), seconds(3240));  // 0.9 x lease, as upstream
  lease.renewal_seconds = 1800;
  EXPECT_EQ(renewal_delay(lease), seconds(1800));  // the server's T1 wins
  lease.renewal_seconds = 7200;
  EXPECT_EQ(renewal_delay(lease), seconds(3240));  // a T1 past the lease is ignored
  lease.renewal_seconds.reset();
  lease.lease_seconds = 1;
  EXPECT_EQ(renewal_delay(lease), seconds(1));
  lease.lease_seconds = dhcp::infinite_lease;
  EXPECT_EQ(renewal_delay(lease), std::nullopt);
}

TEST(LxcUserNic, RetryDelay) {
  EXPECT_EQ(retry_delay(seconds(360)), seconds(60));
  EXPECT_EQ(retry_delay(seconds(30)), seconds(15));
  EXPECT_EQ(retry_delay(seconds(4)), seconds(5));
  EXPECT_EQ(retry_delay(seconds(0)), seconds(60));
  EXPECT_EQ(retry_delay(seconds(-10)), seconds(60));
}

}  // namespace
}  // namespace rootlesskit::network::lxc_user_nic
