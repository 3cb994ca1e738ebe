// rootlesskit argv parsing: every flag, defaults, help/version/print-semver, usage errors.
#include "cli/rootlesskit_flags.h"

#include <gtest/gtest.h>

#include "cli/flagset.h"
#include "network/lxc_user_nic/options.h"

namespace rootlesskit::cli {
namespace {

using Args = std::vector<std::string>;

RootlesskitFlags parse(const Args& args) {
  Args with_command = args;
  with_command.push_back("true");
  return parse_rootlesskit(with_command).flags;
}

TEST(RootlesskitFlags, Defaults) {
  ParseResult r = parse_rootlesskit({"sh"});
  EXPECT_EQ(r.action, ParseResult::Action::run);
  EXPECT_TRUE(r.output.empty());
  const RootlesskitFlags& f = r.flags;
  EXPECT_FALSE(f.debug);
  EXPECT_EQ(f.print_semver, "");
  EXPECT_EQ(f.state_dir, "");
  EXPECT_EQ(f.net, "host");
  EXPECT_EQ(f.mtu, 0);
  EXPECT_EQ(f.cidr, "");
  EXPECT_EQ(f.ifname, "");
  EXPECT_FALSE(f.disable_host_loopback);
  EXPECT_FALSE(f.disable_host_loopback_set);
  EXPECT_FALSE(f.ipv6);
  EXPECT_FALSE(f.detach_netns);
  EXPECT_EQ(f.pasta_binary, "pasta");
  EXPECT_EQ(f.slirp4netns_binary, "slirp4netns");
  EXPECT_EQ(f.slirp4netns_sandbox, "false");
  EXPECT_EQ(f.slirp4netns_seccomp, "false");
  EXPECT_EQ(f.vpnkit_binary, "vpnkit");
  EXPECT_EQ(f.lxc_user_nic_binary, network::lxc_user_nic::default_binary());
  EXPECT_EQ(f.lxc_user_nic_bridge, "lxcbr0");
  EXPECT_EQ(f.port_driver, "none");
  EXPECT_TRUE(f.publish.empty());
  EXPECT_TRUE(f.source_ip_transparent);
  EXPECT_TRUE(f.copy_up.empty());
  EXPECT_EQ(f.copy_up_mode, "tmpfs+symlink");
  EXPECT_EQ(f.propagation, "rprivate");
  EXPECT_FALSE(f.pidns);
  EXPECT_FALSE(f.cgroupns);
  EXPECT_FALSE(f.utsns);
  EXPECT_FALSE(f.ipcns);
  EXPECT_EQ(f.reaper, "auto");
  EXPECT_EQ(f.evacuate_cgroup2, "");
  EXPECT_EQ(f.subid_source, "auto");
  EXPECT_EQ(f.command, Args{"sh"});
}

TEST(RootlesskitFlags, EveryFlag) {
  const RootlesskitFlags f = parse({
      "--debug",
      "--state-dir=/s",
      "--net",
      "slirp4netns",
      "-mtu=1500",
      "--cidr=10.0.3.0/24",
      "--ifname=eth9",
      "--disable-host-loopback",
      "--ipv6",
      "--detach-netns",
      "--pasta-binary=/p",
      "--slirp4netns-binary=/s4",
      "--slirp4netns-sandbox=auto",
      "--slirp4netns-seccomp=true",
      "--vpnkit-binary=/v",
      "--lxc-user-nic-binary=/l",
      "--lxc-user-nic-bridge=br9",
      "--port-driver=builtin",
      "-p",
      "127.0.0.1:8080:80/tcp",
      "--publish=0.0.0.0:53:53/udp",
      "--source-ip-transparent=false",
      "--copy-up=/etc",
      "--copy-up",
      "/run",
      "--copy-up-mode=tmpfs+symlink",
      "--propagation=rslave",
      "--pidns",
      "--cgroupns",
      "--utsns",
      "--ipcns",
      "--reaper=true",
      "--evacuate-cgroup2=evac",
      "--subid-source=static",
  });
  EXPECT_TRUE(f.debug);
  EXPECT_EQ(f.state_dir, "/s");
  EXPECT_EQ(f.net, "slirp4netns");
  EXPECT_EQ(f.mtu, 1500);
  EXPECT_EQ(f.cidr, "10.0.3.0/24");
  EXPECT_EQ(f.ifname, "eth9");
  EXPECT_TRUE(f.disable_host_loopback);
  EXPECT_TRUE(f.disable_host_loopback_set);
  EXPECT_TRUE(f.ipv6);
  EXPECT_TRUE(f.detach_netns);
  EXPECT_EQ(f.pasta_binary, "/p");
  EXPECT_EQ(f.slirp4netns_binary, "/s4");
  EXPECT_EQ(f.slirp4netns_sandbox, "auto");
  EXPECT_EQ(f.slirp4netns_seccomp, "true");
  EXPECT_EQ(f.vpnkit_binary, "/v");
  EXPECT_EQ(f.lxc_user_nic_binary, "/l");
  EXPECT_EQ(f.lxc_user_nic_bridge, "br9");
  EXPECT_EQ(f.port_driver, "builtin");
  EXPECT_EQ(f.publish, (Args{"127.0.0.1:8080:80/tcp", "0.0.0.0:53:53/udp"}));
  EXPECT_FALSE(f.source_ip_transparent);
  EXPECT_EQ(f.copy_up, (Args{"/etc", "/run"}));
  EXPECT_EQ(f.copy_up_mode, "tmpfs+symlink");
  EXPECT_EQ(f.propagation, "rslave");
  EXPECT_TRUE(f.pidns);
  EXPECT_TRUE(f.cgroupns);
  EXPECT_TRUE(f.utsns);
  EXPECT_TRUE(f.ipcns);
  EXPECT_EQ(f.reaper, "true");
  EXPECT_EQ(f.evacuate_cgroup2, "evac");
  EXPECT_EQ(f.subid_source, "static");
}

TEST(RootlesskitFlags, DisableHostLoopbackSetEvenWhenFalse) {
  const RootlesskitFlags f = parse({"--disable-host-loopback=false"});
  EXPECT_FALSE(f.disable_host_loopback);
  EXPECT_TRUE(f.disable_host_loopback_set);
}

TEST(RootlesskitFlags, V03Values) {
  const RootlesskitFlags f = parse({"--net=vdeplug_slirp", "--port-driver=socat"});
  EXPECT_EQ(f.net, "vdeplug_slirp");
  EXPECT_EQ(f.port_driver, "socat");
}

TEST(RootlesskitFlags, CommaSplitSlices) {
  const RootlesskitFlags f = parse({"-p", "A, B", "--copy-up=/etc,/run", "--copy-up", "/var"});
  EXPECT_EQ(f.publish, (Args{"A", "B"}));
  EXPECT_EQ(f.copy_up, (Args{"/etc", "/run", "/var"}));
}

TEST(RootlesskitFlags, CommandTakesEverythingAfterIt) {
  ParseResult r = parse_rootlesskit({"--debug", "sh", "-c", "echo", "--debug", "--net=foo"});
  EXPECT_EQ(r.flags.command, (Args{"sh", "-c", "echo", "--debug", "--net=foo"}));
  EXPECT_EQ(r.flags.net, "host");
  r = parse_rootlesskit({"--", "ls", "-l"});
  EXPECT_EQ(r.flags.command, (Args{"ls", "-l"}));
  r = parse_rootlesskit({"--debug", "false"});
  EXPECT_TRUE(r.flags.debug);
  EXPECT_EQ(r.flags.command, Args{"false"});
  r = parse_rootlesskit({"help"});  // not a subcommand
  EXPECT_EQ(r.action, ParseResult::Action::run);
  EXPECT_EQ(r.flags.command, Args{"help"});
}

TEST(RootlesskitFlags, HelpAndVersion) {
  for (const Args& args : {Args{"--help"}, Args{"-h"}, Args{"-help"}, Args{"--h"}, Args{"--help", "--version"},
                           Args{"--version", "-h", "--net=bogus"}, Args{"--print-semver=x", "--help"}}) {
    ParseResult r = parse_rootlesskit(args);
    EXPECT_EQ(r.action, ParseResult::Action::help);
    EXPECT_EQ(r.output, rootlesskit_help());
  }
  for (const Args& args : {Args{"--version"}, Args{"-v"}, Args{"-version", "--print-semver=x"}}) {
    ParseResult r = parse_rootlesskit(args);
    EXPECT_EQ(r.action, ParseResult::Action::version);
    EXPECT_EQ(r.output, "rootlesskit version " ROOTLESSKIT_VERSION "\n");
  }
  EXPECT_EQ(parse_rootlesskit({"--help=false", "x"}).action, ParseResult::Action::run);
}

TEST(RootlesskitFlags, PrintSemver) {
  if (std::string(ROOTLESSKIT_VERSION) != "3.0.1") {
    GTEST_SKIP() << "expectations written for 3.0.1";
  }
  ParseResult r = parse_rootlesskit({"--print-semver=major"});
  EXPECT_EQ(r.action, ParseResult::Action::print_semver);
  EXPECT_EQ(r.output, "3\n");
  EXPECT_EQ(parse_rootlesskit({"--print-semver", "minor"}).output, "0\n");
  EXPECT_EQ(parse_rootlesskit({"--print-semver=patch", "cmd"}).output, "1\n");
  try {
    parse_rootlesskit({"--print-semver=x"});
    FAIL();
  } catch (const UsageError&) {
    FAIL() << "not a usage error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "expected --print-semver=(major|minor|patch), got \"x\"");
  }
}

TEST(RootlesskitFlags, NoCommand) {
  for (const Args& args : {Args{}, Args{"--debug"}, Args{"--"}, Args{"--print-semver="}}) {
    try {
      parse_rootlesskit(args);
      FAIL();
    } catch (const UsageError&) {
      FAIL() << "not a usage error";
    } catch (const Error& e) {
      EXPECT_STREQ(e.what(), "no command specified");
      EXPECT_EQ(e.exit_code(), 1);
    }
  }
}

TEST(RootlesskitFlags, UsageErrorsCarryIncorrectUsageAndHelp) {
  const std::vector<std::pair<Args, std::string>> cases = {
      {{"--foo", "sh"}, "flag provided but not defined: -foo"},
      {{"-foo"}, "flag provided but not defined: -foo"},
      {{"--mtu"}, "flag needs an argument: -mtu"},
      {{"--debug=yes", "sh"}, "invalid boolean value \"yes\" for -debug: parse error"},
      {{"--mtu=abc", "sh"}, "invalid value \"abc\" for flag -mtu: parse error"},
      {{"--help", "--bogus"}, "flag provided but not defined: -bogus"},
  };
  for (const auto& [args, message] : cases) {
    try {
      parse_rootlesskit(args);
      FAIL() << message;
    } catch (const UsageError& e) {
      EXPECT_EQ(e.what(), message);
      EXPECT_EQ(e.exit_code(), 1);
      EXPECT_FALSE(e.bare());
      EXPECT_EQ(e.stdout_text(), "Incorrect Usage: " + message + "\n\n" + rootlesskit_help());
    }
  }
}

TEST(RootlesskitFlags, MtuOutsideIntIsSaturated) {
  EXPECT_EQ(parse({"--mtu=99999999999"}).mtu, 2147483647);
  EXPECT_EQ(parse({"--mtu=0x10"}).mtu, 16);
}

}  // namespace
}  // namespace rootlesskit::cli
