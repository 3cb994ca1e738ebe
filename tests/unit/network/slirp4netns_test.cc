// slirp4netns: feature-probe parsing, option resolution, argv building (upstream
// pkg/network/slirp4netns/slirp4netns.go) and the message the child configures.
#include <gtest/gtest.h>

#include "common/error.h"
#include "common/process.h"
#include "network/slirp4netns/features.h"
#include "network/slirp4netns/options.h"
#include "network/slirp4netns/slirp4netns.h"

#include "fake_binary.h"

namespace rootlesskit::network::slirp4netns {
namespace {

// slirp4netns 1.2.0's --help, shortened.
constexpr const char* help_1_2 = R"(Usage: slirp4netns [OPTION]... PID|PATH [TAPNAME]
-e, --exit-fd=FD         specify the FD for terminating slirp4netns
-r, --ready-fd=FD        specify the FD to write to when the network is configured
-6, --enable-ipv6        enable IPv6 (experimental)
-a, --api-socket=PATH    specify API socket path
--cidr=CIDR              specify network address CIDR (default=10.0.2.0/24)
--disable-host-loopback  prohibit connecting to 127.0.0.1:* on the host namespace
--netns-type=TYPE 	 specify network namespace type ([path|pid], default=pid)
--enable-sandbox         create a new mount namespace
--enable-seccomp         enable seccomp to limit syscalls (experimental)
)";

TEST(Slirp4netnsFeatures, ParsesHelp) {
  Features f = parse_features(help_1_2);
  EXPECT_TRUE(f.supports_enable_ipv6);
  EXPECT_TRUE(f.supports_cidr);
  EXPECT_TRUE(f.supports_disable_host_loopback);
  EXPECT_TRUE(f.supports_api_socket);
  EXPECT_TRUE(f.supports_enable_sandbox);
  EXPECT_TRUE(f.supports_enable_seccomp);
  EXPECT_EQ(describe(f),
            "&{SupportsEnableIPv6:true SupportsCIDR:true SupportsDisableHostLoopback:true SupportsAPISocket:true "
            "SupportsEnableSandbox:true SupportsEnableSeccomp:true}");
  Features old = parse_features("--netns-type --enable-ipv6");
  EXPECT_TRUE(old.supports_enable_ipv6);
  EXPECT_FALSE(old.supports_enable_sandbox);
  EXPECT_FALSE(old.supports_cidr);
}

TEST(Slirp4netnsFeatures, RejectsPre040) {
  try {
    parse_features("Usage: slirp4netns [OPTION]... PID TAPNAME\n--enable-ipv6\n");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "slirp4netns seems older than v0.4.0");
  }
}

TEST(Slirp4netnsFeatures, ProbeFailureSaysWhatToInstall) {
  FakeBinary slirp("echo boom >&2\nexit 2\n");
  try {
    probe_features(slirp.path());
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.what(), "command \"" + slirp.path() +
                            " --help\" failed, make sure slirp4netns v0.4.0+ is installed: \"boom\\n\": exit status 2");
  }
}

TEST(Slirp4netnsFeatures, BinaryScanAgreesWithHelpOutput) {
  // The installed slirp4netns (a runtime dependency): reading the file finds what --help says.
  auto from_file = features_from_binary("/usr/bin/slirp4netns");
  ASSERT_TRUE(from_file.has_value());
  CommandResult help = run_command({"/usr/bin/slirp4netns", "--help"});
  EXPECT_EQ(describe(*from_file), describe(parse_features(help.out + help.err)));
  // Another ELF binary is not taken for slirp4netns; a script or a missing file is not scanned.
  EXPECT_FALSE(features_from_binary("/bin/sh").has_value());
  EXPECT_FALSE(features_from_binary("/nonexistent").has_value());
}

// A slirp4netns whose --help is `help`.
FakeBinary fake_slirp4netns(const std::string& help) { return FakeBinary("cat <<'EOF'\n" + help + "EOF\n"); }

TEST(Slirp4netnsResolve, AutoSandboxIsOnUnlessTheNetnsIsDetached) {
  FakeBinary slirp = fake_slirp4netns(help_1_2);
  Options requested;
  requested.binary = slirp.path();
  requested.sandbox = Mode::automatic;
  requested.mtu = 1500;
  requested.api_socket = true;
  Options o = resolve(requested, false);
  EXPECT_EQ(o.binary, slirp.path());
  EXPECT_EQ(o.sandbox, Mode::enabled);
  EXPECT_EQ(o.seccomp, Mode::disabled);
  EXPECT_EQ(o.mtu, 1500);
  EXPECT_TRUE(o.api_socket);
  EXPECT_EQ(resolve(requested, true).sandbox, Mode::disabled);  // slirp4netns#317
  requested.sandbox = Mode::disabled;
  EXPECT_EQ(resolve(requested, false).sandbox, Mode::disabled);
}

TEST(Slirp4netnsResolve, SandboxConflictsWithDetachedNetns) {
  Options requested;
  requested.binary = "/nonexistent/slirp4netns";  // refused before the lookup, as the CLI does
  requested.sandbox = Mode::enabled;
  try {
    resolve(requested, true);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "--slirp4netns-sandbox conflicts with --detach-netns "
                 "(https://github.com/rootless-containers/slirp4netns/issues/317)");
  }
}

TEST(Slirp4netnsResolve, RejectsWhatThisSlirp4netnsLacks) {
  FakeBinary slirp = fake_slirp4netns("--netns-type=TYPE\n");
  auto error_of = [&](Options requested) {
    requested.binary = slirp.path();
    try {
      resolve(requested, false);
      return std::string("no error");
    } catch (const Error& e) {
      return std::string(e.what());
    }
  };
  Options o;
  EXPECT_EQ(error_of(o), "no error");
  o.sandbox = Mode::automatic;
  EXPECT_EQ(error_of(o), "no error");  // auto falls back to no sandbox
  o.sandbox = Mode::enabled;
  EXPECT_EQ(error_of(o), "unsupported slirp4netns version: lacks SupportsEnableSandbox");
  o = Options{};
  o.seccomp = Mode::enabled;
  EXPECT_EQ(error_of(o), "unsupported slirp4netns version: lacks SupportsEnableSeccomp");
  o = Options{};
  o.cidr = Ipv4Network::parse("10.0.5.0/24");
  EXPECT_EQ(error_of(o), "this version of slirp4netns does not support --cidr");
  o = Options{};
  o.disable_host_loopback = true;
  EXPECT_EQ(error_of(o), "this version of slirp4netns does not support --disable-host-loopback");
  o = Options{};
  o.api_socket = true;
  EXPECT_EQ(error_of(o), "this version of slirp4netns does not support --api-socket");
  o = Options{};
  o.enable_ipv6 = true;
  EXPECT_EQ(error_of(o), "this version of slirp4netns does not support --enable-ipv6");
}

TEST(Slirp4netnsResolve, MissingBinarySaysWhatToInstall) {
  Options requested;
  requested.binary = "no-such-slirp4netns";
  try {
    resolve(requested, false);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "slirp4netns binary \"no-such-slirp4netns\" is not installed: exec: \"no-such-slirp4netns\": "
                 "executable file not found in $PATH (install the slirp4netns package, e.g. "
                 "`apt-get install slirp4netns`)");
  }
}

TEST(Slirp4netnsArgv, DefaultsMatchUpstream) {
  Options o;
  o.binary = "/usr/bin/slirp4netns";
  EXPECT_EQ(build_argv(o, Target{21017, "/tmp/rk", ""}),
            (std::vector<std::string>{"/usr/bin/slirp4netns", "--mtu", "65520", "-r", "3", "21017", "tap0"}));
}

TEST(Slirp4netnsArgv, EveryOptionInUpstreamOrder) {
  Options o;
  o.binary = "slirp4netns";
  o.mtu = 1500;
  o.cidr = Ipv4Network::parse("10.0.5.0/24");
  o.ifname = "eth7";
  o.disable_host_loopback = true;
  o.api_socket = true;
  o.sandbox = Mode::enabled;
  o.seccomp = Mode::enabled;
  o.enable_ipv6 = true;
  EXPECT_EQ(build_argv(o, Target{21017, "/tmp/rk", ""}),
            (std::vector<std::string>{"slirp4netns", "--mtu", "1500", "-r", "3", "--disable-host-loopback", "--cidr",
                                      "10.0.5.0/24", "--api-socket", "/tmp/rk/.s4nn.sock", "--enable-sandbox",
                                      "--enable-seccomp", "--enable-ipv6", "21017", "eth7"}));
}

TEST(Slirp4netnsArgv, DetachedNetnsIsAPath) {
  Options o;
  o.binary = "slirp4netns";
  EXPECT_EQ(build_argv(o, Target{42, "/tmp/rk", "/proc/42/root/tmp/rk/netns"}),
            (std::vector<std::string>{"slirp4netns", "--mtu", "65520", "-r", "3", "--userns-path=/proc/42/ns/user",
                                      "--netns-type=path", "/proc/42/root/tmp/rk/netns", "tap0"}));
}

TEST(Slirp4netnsMessage, AddressesFromTheCidr) {
  Options o;
  messages::NetworkDriverCompleted m = network_message(o);
  EXPECT_EQ(m.dev, "tap0");
  EXPECT_EQ(m.ip, "10.0.2.100");
  EXPECT_EQ(m.netmask, 24);
  EXPECT_EQ(m.gateway, "10.0.2.2");
  EXPECT_EQ(m.dns, std::vector<std::string>{"10.0.2.3"});
  EXPECT_EQ(m.mtu, 65520);

  o.cidr = Ipv4Network::parse("10.0.5.0/16");
  o.enable_ipv6 = true;
  o.ifname = "eth7";
  m = network_message(o);
  EXPECT_EQ(m.ip, "10.0.0.100");
  EXPECT_EQ(m.netmask, 16);
  EXPECT_EQ(m.gateway, "10.0.0.2");
  EXPECT_EQ(m.dns, (std::vector<std::string>{"10.0.0.3", "fd00::3"}));
}

TEST(Slirp4netnsDriver, InfoHasAddressesOnlyOnceConfigured) {
  ParentDriver driver(Options{});
  EXPECT_EQ(driver.info().driver, "slirp4netns");
  EXPECT_TRUE(driver.info().dns.empty());
  EXPECT_EQ(driver.reap_exited_helper(), std::nullopt);
}

}  // namespace
}  // namespace rootlesskit::network::slirp4netns
