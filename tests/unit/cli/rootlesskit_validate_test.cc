// Parent-side validation of rootlesskit flags: every message and warning, and which one wins.
#include <gtest/gtest.h>

#include "cli/rootlesskit_flags.h"
#include "common/error.h"

namespace rootlesskit::cli {
namespace {

using Args = std::vector<std::string>;

struct Outcome {
  std::vector<std::string> warnings;
  std::string error;  // "" when valid
};

Outcome check(const Args& args) {
  Args argv = args;
  argv.push_back("true");
  const RootlesskitFlags flags = parse_rootlesskit(argv).flags;
  Outcome out;
  try {
    validate_rootlesskit(flags, [&](const std::string& w) { out.warnings.push_back(w); });
  } catch (const Error& e) {
    out.error = e.what();
  }
  return out;
}

std::string error_of(const Args& args) { return check(args).error; }

constexpr const char* loopback_advice =
    "specifying --disable-host-loopback is highly recommended to prohibit connecting to 127.0.0.1:* "
    "on the host namespace (requires pasta, slirp4netns, or VPNKit)";

TEST(RootlesskitValidate, DefaultsAreValidAndQuiet) {
  const Outcome o = check({});
  EXPECT_EQ(o.error, "");
  EXPECT_TRUE(o.warnings.empty());
  RootlesskitFlags f;
  EXPECT_TRUE(validate_rootlesskit(f).empty());
}

TEST(RootlesskitValidate, VectorFormReturnsWarningsInOrder) {
  RootlesskitFlags f;
  f.net = "lxc-user-nic";
  f.ipv6 = true;
  EXPECT_EQ(validate_rootlesskit(f),
            (std::vector<std::string>{"ipv6 is experimental", "--ipv6 is discarded for --net=lxc-user-nic",
                                      loopback_advice, "\"lxc-user-nic\" network driver is experimental",
                                      "--disable-host-loopback is implicitly set for lxc-user-nic"}));
  f.net = "bogus";
  EXPECT_THROW(validate_rootlesskit(f), Error);
}

TEST(RootlesskitValidate, EvacuateCgroup2) {
  EXPECT_EQ(error_of({"--evacuate-cgroup2=e"}), "evacuate-cgroup2 requires --cgroupns");
  EXPECT_EQ(error_of({"--evacuate-cgroup2=e", "--pidns"}), "evacuate-cgroup2 requires --cgroupns");
  EXPECT_EQ(error_of({"--evacuate-cgroup2=e", "--cgroupns"}), "evacuate-cgroup2 requires --pidns");
  EXPECT_EQ(error_of({"--evacuate-cgroup2=e", "--cgroupns", "--pidns"}), "");
  EXPECT_EQ(error_of({"--evacuate-cgroup2=e/v", "--cgroupns", "--pidns"}),
            "unexpected evacuation group name \"e/v\": must not contain \"/\"");
  // The namespace requirement is checked first, before anything else.
  EXPECT_EQ(error_of({"--evacuate-cgroup2=e", "--mtu=-1"}), "evacuate-cgroup2 requires --cgroupns");
}

TEST(RootlesskitValidate, Mtu) {
  EXPECT_EQ(error_of({"--mtu=-1"}), "mtu must be <= 65521, got -1");
  EXPECT_EQ(error_of({"--mtu=65522", "--net=slirp4netns"}), "mtu must be <= 65521, got 65522");
  EXPECT_EQ(error_of({"--mtu=65521", "--net=slirp4netns", "--disable-host-loopback"}), "");
  const Outcome o = check({"--mtu=1500"});
  EXPECT_EQ(o.error, "");
  EXPECT_EQ(o.warnings, std::vector<std::string>{"unsupported mtu for --net=host: 1500"});
  EXPECT_EQ(check({"--mtu=9000", "--net=none"}).warnings,
            std::vector<std::string>{"unsupported mtu for --net=none: 9000"});
}

TEST(RootlesskitValidate, Cidr) {
  const Args s = {"--net=slirp4netns", "--disable-host-loopback"};
  auto with = [&](const std::string& cidr) {
    Args a = s;
    a.push_back("--cidr=" + cidr);
    return error_of(a);
  };
  EXPECT_EQ(with("10.0.3.0/24"), "");
  EXPECT_EQ(with("10.0.3.0/024"), "");
  EXPECT_EQ(with("0.0.0.0/0"), "");
  EXPECT_EQ(with("fd00::/64"), "");
  EXPECT_EQ(with("foo"), "invalid CIDR address: foo");
  EXPECT_EQ(with("10.0.2.0"), "invalid CIDR address: 10.0.2.0");
  EXPECT_EQ(with("10.0.2.0/33"), "invalid CIDR address: 10.0.2.0/33");
  EXPECT_EQ(with("10.0.2.0/"), "invalid CIDR address: 10.0.2.0/");
  EXPECT_EQ(with("10.0.2.0/+8"), "invalid CIDR address: 10.0.2.0/+8");
  EXPECT_EQ(with("010.0.2.0/24"), "invalid CIDR address: 010.0.2.0/24");
  EXPECT_EQ(with("fd00::/129"), "invalid CIDR address: fd00::/129");
  EXPECT_EQ(with("10.0.2.100/24"), "cidr must be like 10.0.2.0/24, not like 10.0.2.100/24");
  EXPECT_EQ(with("fd00::1/64"), "cidr must be like 10.0.2.0/24, not like 10.0.2.100/24");
  // Parsed before the per-network checks.
  EXPECT_EQ(error_of({"--cidr=foo"}), "invalid CIDR address: foo");
}

TEST(RootlesskitValidate, Ifname) {
  EXPECT_EQ(error_of({"--ifname=a/b", "--net=slirp4netns"}), "ifname must not contain \"/\"");
  EXPECT_EQ(error_of({"--ifname=eth0", "--net=slirp4netns", "--disable-host-loopback"}), "");
}

TEST(RootlesskitValidate, Ipv6Warnings) {
  EXPECT_EQ(check({"--ipv6", "--net=slirp4netns", "--disable-host-loopback"}).warnings,
            std::vector<std::string>{"ipv6 is experimental"});
  EXPECT_EQ(check({"--ipv6"}).warnings,
            (std::vector<std::string>{"ipv6 is experimental", "--ipv6 is discarded for --net=host"}));
  const Outcome g = check({"--ipv6", "--net=gvisor-tap-vsock"});
  EXPECT_EQ(g.error, "--ipv6 is not supported for gvisor-tap-vsock");
  EXPECT_EQ(g.warnings,
            (std::vector<std::string>{"ipv6 is experimental", "--ipv6 is discarded for --net=gvisor-tap-vsock",
                                      loopback_advice, "\"gvisor-tap-vsock\" network driver is experimental"}));
}

TEST(RootlesskitValidate, LoopbackAdvice) {
  for (const char* net : {"slirp4netns", "vpnkit", "pasta", "bogus"}) {
    const Outcome o = check({std::string("--net=") + net});
    ASSERT_FALSE(o.warnings.empty()) << net;
    EXPECT_EQ(o.warnings[0], loopback_advice) << net;
  }
  for (const char* net : {"host", "none", "vdeplug_slirp"}) {
    EXPECT_TRUE(check({std::string("--net=") + net}).warnings.empty()) << net;
  }
  EXPECT_TRUE(check({"--net=slirp4netns", "--disable-host-loopback"}).warnings.empty());
  EXPECT_EQ(error_of({"--net=bogus"}), "unknown network mode: bogus");
}

TEST(RootlesskitValidate, HostAndNone) {
  for (const std::string net : {"host", "none"}) {
    EXPECT_EQ(error_of({"--net=" + net, "--cidr=10.0.3.0/24"}), "custom cidr is not supported for --net=" + net);
    EXPECT_EQ(error_of({"--net=" + net, "--ifname=x"}), "ifname cannot be specified for --net=" + net);
  }
  EXPECT_EQ(error_of({"--net=none", "--port-driver=slirp4netns"}),
            "network \"none\" requires either port driver \"none\" or \"builtin\"");
  EXPECT_EQ(error_of({"--net=none", "--port-driver=builtin", "-p", "8080:80/tcp"}), "");
}

TEST(RootlesskitValidate, Pasta) {
  const Outcome o = check({"--net=pasta", "--disable-host-loopback", "--port-driver=implicit"});
  EXPECT_EQ(o.error, "");
  EXPECT_EQ(o.warnings, std::vector<std::string>{"\"pasta\" network driver is experimental. Needs "
                                                 "very recent version of pasta (see docs/network.md)."});
  EXPECT_EQ(error_of({"--net=pasta", "--port-driver=builtin"}),
            "network \"pasta\" requires port driver \"none\" or \"implicit\"");
}

TEST(RootlesskitValidate, Slirp4netns) {
  const Args s = {"--net=slirp4netns", "--disable-host-loopback"};
  auto with = [&](Args extra) {
    extra.insert(extra.begin(), s.begin(), s.end());
    return error_of(extra);
  };
  for (const char* v : {"auto", "true", "false", ""}) {
    EXPECT_EQ(with({std::string("--slirp4netns-sandbox=") + v}), "") << v;
    EXPECT_EQ(with({std::string("--slirp4netns-seccomp=") + v}), "") << v;
  }
  EXPECT_EQ(with({"--slirp4netns-sandbox=x"}), "unsupported slirp4netns-sandbox mode: \"x\"");
  EXPECT_EQ(with({"--slirp4netns-seccomp=x"}), "unsupported slirp4netns-seccomp mode: \"x\"");
  EXPECT_EQ(with({"--slirp4netns-sandbox=true", "--detach-netns"}),
            "--slirp4netns-sandbox conflicts with --detach-netns "
            "(https://github.com/rootless-containers/slirp4netns/issues/317)");
  EXPECT_EQ(with({"--slirp4netns-sandbox=auto", "--detach-netns"}), "");
  // Only checked for --net=slirp4netns, like upstream.
  EXPECT_EQ(error_of({"--slirp4netns-sandbox=x"}), "");
}

TEST(RootlesskitValidate, VpnkitAndLxcUserNic) {
  EXPECT_EQ(error_of({"--net=vpnkit", "--cidr=10.0.3.0/24"}), "custom cidr is not supported for --net=vpnkit");
  EXPECT_EQ(error_of({"--net=lxc-user-nic", "--cidr=10.0.3.0/24"}),
            "custom cidr is not supported for --net=lxc-user-nic");
  EXPECT_EQ(check({"--net=lxc-user-nic", "--disable-host-loopback"}).warnings,
            std::vector<std::string>{"\"lxc-user-nic\" network driver is experimental"});
}

TEST(RootlesskitValidate, GvisorTapVsock) {
  const Outcome o = check({"--net=gvisor-tap-vsock", "--disable-host-loopback", "--port-driver=gvisor-tap-vsock"});
  EXPECT_EQ(o.error, "");
  EXPECT_EQ(o.warnings,
            (std::vector<std::string>{"\"gvisor-tap-vsock\" network driver is experimental",
                                      "\"--disable-host-loopback\" is not yet supported for gvisor-tap-vsock",
                                      "\"gvisor-tap-vsock\" port driver is experimental"}));
  EXPECT_EQ(error_of({"--net=gvisor-tap-vsock", "--cidr=10.0.3.0/24"}), "");
}

TEST(RootlesskitValidate, VdeplugSlirp) {
  EXPECT_EQ(error_of({"--net=vdeplug_slirp"}), "");
  EXPECT_EQ(error_of({"--net=vdeplug_slirp", "--cidr=10.0.3.0/24"}),
            "custom cidr is not supported for --net=vdeplug_slirp");
  EXPECT_EQ(error_of({"--net=vdeplug_slirp", "--disable-host-loopback"}),
            "--disable-host-loopback is not supported for vdeplug_slirp");
  EXPECT_EQ(check({"--net=vdeplug_slirp", "--mtu=9000"}).warnings,
            std::vector<std::string>{"vdeplug_slirp does not support non-1500 MTU, got 9000"});
  EXPECT_TRUE(check({"--net=vdeplug_slirp", "--mtu=1500"}).warnings.empty());
}

TEST(RootlesskitValidate, PortDrivers) {
  const Args s = {"--net=slirp4netns", "--disable-host-loopback"};
  auto with = [&](Args extra) {
    extra.insert(extra.begin(), s.begin(), s.end());
    return error_of(extra);
  };
  EXPECT_EQ(with({"-p", "8080:80/tcp"}), "port driver \"none\" does not support publishing ports");
  EXPECT_EQ(error_of({"-p", "8080:80/tcp"}), "port driver \"none\" does not support publishing ports");
  EXPECT_EQ(with({"--port-driver=implicit"}), "port driver requires pasta network");
  EXPECT_EQ(with({"--port-driver=slirp4netns", "-p", "8080:80/tcp"}), "");
  EXPECT_EQ(error_of({"--net=vpnkit", "--port-driver=slirp4netns"}), "port driver requires slirp4netns network");
  EXPECT_EQ(with({"--port-driver=builtin", "-p", "x"}), "");  // -p specs are parsed later
  EXPECT_EQ(error_of({"--port-driver=builtin"}), "port driver requires non-host network");
  EXPECT_EQ(error_of({"--port-driver=gvisor-tap-vsock"}), "port driver requires non-host network");
  EXPECT_EQ(with({"--port-driver=socat"}), "");
  EXPECT_EQ(error_of({"--port-driver=socat"}), "port driver requires non-host network");
  EXPECT_EQ(with({"--port-driver=bogus"}), "unknown port driver: bogus");
  // The network checks win over the port driver checks.
  EXPECT_EQ(error_of({"--net=bogus", "--port-driver=bogus"}), "unknown network mode: bogus");
}

TEST(RootlesskitValidate, ChildSideOptionsCheckedUpFront) {
  EXPECT_EQ(error_of({"--reaper=maybe"}), "unknown reaper mode: maybe");
  EXPECT_EQ(error_of({"--reaper=true"}), "");  // subreaper mode without --pidns
  EXPECT_EQ(error_of({"--reaper=false", "--pidns"}), "");
  EXPECT_EQ(error_of({"--copy-up-mode=overlay"}), "unknown copy-up mode: overlay");
  EXPECT_EQ(error_of({"--propagation=bogus"}), "unknown propagation mode: bogus");
  for (const char* p : {"private", "rprivate", "shared", "rshared", "slave", "rslave", ""}) {
    EXPECT_EQ(error_of({std::string("--propagation=") + p}), "") << p;
  }
  EXPECT_EQ(error_of({"--propagation=rshared", "--copy-up=/etc"}),
            "propagation rshared does not support copy-up driver tmpfs+symlink");
  EXPECT_EQ(error_of({"--propagation=shared", "--copy-up=/etc"}),
            "propagation shared does not support copy-up driver tmpfs+symlink");
  EXPECT_EQ(error_of({"--propagation=rslave", "--copy-up=/etc"}), "");
  EXPECT_EQ(error_of({"--copy-up=/etc,/tmp"}), "/tmp cannot be copied up");
  EXPECT_EQ(error_of({"--copy-up=/tmp/"}), "/tmp cannot be copied up");
  EXPECT_EQ(error_of({"--copy-up=//tmp/../tmp"}), "/tmp cannot be copied up");
  EXPECT_EQ(error_of({"--copy-up=/tmp/x"}), "");
  // A tmpfs on / would hide /tmp and everything else (upstream: `mkdir //.ro...`, and a
  // /tmp/rootlesskit-bNNN left behind).
  const std::string root =
      "/ cannot be copied up: copy up the directories that must be writable instead (e.g. --copy-up=/etc)";
  EXPECT_EQ(error_of({"--copy-up=/"}), root);
  EXPECT_EQ(error_of({"--copy-up=/etc,//"}), root);
  EXPECT_EQ(error_of({"--copy-up=/etc/.."}), root);
  EXPECT_EQ(error_of({"--subid-source=bogus"}), "unknown subid source \"bogus\"");
  for (const char* s : {"auto", "dynamic", "static", ""}) {
    EXPECT_EQ(error_of({std::string("--subid-source=") + s}), "") << s;
  }
  // Parent-side checks come first, as they do upstream.
  EXPECT_EQ(error_of({"--reaper=maybe", "--mtu=-1"}), "mtu must be <= 65521, got -1");
  EXPECT_EQ(error_of({"--reaper=maybe", "--subid-source=bogus"}), "unknown reaper mode: maybe");
}

}  // namespace
}  // namespace rootlesskit::cli
