// The rootlesskit flag table (upstream v3 names, defaults, usage texts and help categories, plus
// the v0.3 values vdeplug_slirp/socat), argv parsing into RootlesskitFlags, and --help/--version/
// --print-semver. Run by the parent and by the re-exec'd child on the same argv.
#include "cli/rootlesskit_flags.h"

#include <cctype>
#include <climits>
#include <cstdlib>

#include "cli/flagset.h"
#include "cli/help_format.h"
#include "common/error.h"
#include "common/strings.h"
#include "network/lxc_user_nic/options.h"

namespace rootlesskit::cli {

namespace {

constexpr const char* app_description =
    R"(RootlessKit is a Linux-native implementation of "fake root" using user_namespaces(7).

Web site: https://github.com/rootless-containers/rootlesskit

Examples:
  # spawn a shell with a new user namespace and a mount namespace
  rootlesskit bash

  # make /etc writable
  rootlesskit --copy-up=/etc bash

  # set mount propagation to rslave
  rootlesskit --propagation=rslave bash

  # create a network namespace with slirp4netns, and expose 80/tcp on the namespace as 8080/tcp on the host
  rootlesskit --copy-up=/etc --net=slirp4netns --disable-host-loopback --port-driver=builtin -p 127.0.0.1:8080:80/tcp bash

Note: RootlessKit requires /etc/subuid and /etc/subgid to be configured by the real root user.
See https://rootlesscontaine.rs/getting-started/common/ .
)";

FlagDef flag(const char* name, FlagKind kind, std::string dflt, const char* usage, const char* category) {
  return FlagDef{{name}, kind, std::move(dflt), usage, category, false};
}

// Declaration order matters: it is the order within each help category.
std::vector<FlagDef> flag_defs() {
  using K = FlagKind;
  const char* network = "Network";
  std::vector<FlagDef> d;
  d.push_back(flag("debug", K::boolean, "false", "debug mode", "Misc"));
  d.push_back(flag("print-semver", K::string, "",
                   "print a version component as a decimal integer [major, minor, patch]", "Misc"));
  d.push_back(flag("state-dir", K::string, "", "state directory", "State"));
  d.push_back(flag("net", K::string, "host",
                   "network driver [host, none, pasta(experimental), slirp4netns, vpnkit, "
                   "lxc-user-nic(experimental), gvisor-tap-vsock(experimental), vdeplug_slirp]",
                   network));
  d.push_back(flag("pasta-binary", K::string, "pasta", "path of pasta binary for --net=pasta", "Network [pasta]"));
  d.push_back(flag("slirp4netns-binary", K::string, "slirp4netns", "path of slirp4netns binary for --net=slirp4netns",
                   "Network [slirp4netns]"));
  d.push_back(flag("slirp4netns-sandbox", K::string, "false",
                   "enable slirp4netns sandbox (experimental) [auto, true, false] (the default is "
                   "planned to be \"auto\" in future)",
                   "Network [slirp4netns]"));
  d.push_back(flag("slirp4netns-seccomp", K::string, "false",
                   "enable slirp4netns seccomp (experimental) [auto, true, false] (the default is "
                   "planned to be \"auto\" in future)",
                   "Network [slirp4netns]"));
  d.push_back(flag("vpnkit-binary", K::string, "vpnkit", "path of VPNKit binary for --net=vpnkit", "Network [vpnkit]"));
  d.push_back(flag("lxc-user-nic-binary", K::string, network::lxc_user_nic::default_binary(),
                   "path of lxc-user-nic binary for --net=lxc-user-nic", "Network [lxc-user-nic]"));
  d.push_back(flag("lxc-user-nic-bridge", K::string, "lxcbr0", "lxc-user-nic bridge name", "Network [lxc-user-nic]"));
  d.push_back(flag("mtu", K::integer, "0",
                   "MTU for non-host network (default: 65520 for pasta and slirp4netns, 1500 for "
                   "others)",
                   network));
  d.push_back(flag("cidr", K::string, "",
                   "CIDR for pasta, slirp4netns and gvisor-tap-vsock networks (default: "
                   "10.0.2.0/24)",
                   network));
  d.push_back(flag("ifname", K::string, "",
                   "Network interface name (default: tap0 for pasta, slirp4netns, and vpnkit; eth0 "
                   "for lxc-user-nic)",
                   network));
  d.push_back(flag("disable-host-loopback", K::boolean, "false",
                   "prohibit connecting to 127.0.0.1:* on the host namespace", network));
  d.push_back(flag("ipv6", K::boolean, "false",
                   "enable IPv6 routing. Unrelated to port forwarding. Only supported for pasta and "
                   "slirp4netns. (experimental)",
                   network));
  d.push_back(flag("copy-up", K::string_slice, "",
                   "mount a filesystem and copy-up the contents. e.g. \"--copy-up=/etc\" "
                   "(typically required for non-host network)",
                   "Mount"));
  d.push_back(flag("copy-up-mode", K::string, "tmpfs+symlink", "copy-up mode [tmpfs+symlink]", "Mount"));
  d.push_back(flag("port-driver", K::string, "none",
                   "port driver for non-host network. [none, implicit (for pasta), builtin, "
                   "slirp4netns, gvisor-tap-vsock(experimental), socat]",
                   "Port"));
  d.push_back(
      FlagDef{{"publish", "p"}, K::string_slice, "", "publish ports. e.g. \"127.0.0.1:8080:80/tcp\"", "Port", false});
  d.push_back(flag("source-ip-transparent", K::boolean, "true",
                   "preserve real client source IP using IP_TRANSPARENT (builtin port driver, TCP "
                   "only)",
                   "Port"));
  d.push_back(flag("pidns", K::boolean, "false", "create a PID namespace", "Process"));
  d.push_back(flag("cgroupns", K::boolean, "false", "create a cgroup namespace", "Process"));
  d.push_back(flag("utsns", K::boolean, "false", "create a UTS namespace", "Process"));
  d.push_back(flag("ipcns", K::boolean, "false", "create an IPC namespace", "Process"));
  // Upstream's usage text really ends with a space (it shows as two spaces before "(default").
  d.push_back(flag("detach-netns", K::boolean, "false", "detach network namespaces ", network));
  d.push_back(flag("propagation", K::string, "rprivate", "mount propagation [rprivate, rslave]", "Mount"));
  d.push_back(
      flag("reaper", K::string, "auto", "enable process reaper. Requires --pidns. [auto,true,false]", "Process"));
  d.push_back(flag("evacuate-cgroup2", K::string, "",
                   "evacuate processes into the specified subgroup. Requires --pidns and --cgroupns", "Process"));
  d.push_back(flag("subid-source", K::string, "auto",
                   "the source of the subids. \"dynamic\" executes /usr/bin/getsubids. \"static\" "
                   "reads /etc/{subuid,subgid}. [auto,dynamic,static]",
                   "SubID"));
  // urfave appends its built-ins last; upstream lists them at the end of Misc.
  d.push_back(help_flag_def("Misc"));
  d.push_back(version_flag_def("Misc"));
  return d;
}

FlagSet make_flagset() {
  FlagSet fs;
  for (auto& def : flag_defs()) {
    fs.add(std::move(def));
  }
  return fs;
}

int saturate_int(long long v) {
  if (v > INT_MAX) {
    return INT_MAX;
  }
  return v < INT_MIN ? INT_MIN : static_cast<int>(v);
}

RootlesskitFlags to_flags(const FlagSet& fs, std::vector<std::string> command) {
  RootlesskitFlags f;
  f.debug = fs.get_bool("debug");
  f.print_semver = fs.get_string("print-semver");
  f.state_dir = fs.get_string("state-dir");
  f.net = fs.get_string("net");
  f.mtu = saturate_int(fs.get_int("mtu"));
  f.cidr = fs.get_string("cidr");
  f.ifname = fs.get_string("ifname");
  f.disable_host_loopback = fs.get_bool("disable-host-loopback");
  f.disable_host_loopback_set = fs.is_set("disable-host-loopback");
  f.ipv6 = fs.get_bool("ipv6");
  f.detach_netns = fs.get_bool("detach-netns");
  f.pasta_binary = fs.get_string("pasta-binary");
  f.slirp4netns_binary = fs.get_string("slirp4netns-binary");
  f.slirp4netns_sandbox = fs.get_string("slirp4netns-sandbox");
  f.slirp4netns_seccomp = fs.get_string("slirp4netns-seccomp");
  f.vpnkit_binary = fs.get_string("vpnkit-binary");
  f.lxc_user_nic_binary = fs.get_string("lxc-user-nic-binary");
  f.lxc_user_nic_bridge = fs.get_string("lxc-user-nic-bridge");
  f.port_driver = fs.get_string("port-driver");
  f.publish = fs.get_slice("publish");
  f.source_ip_transparent = fs.get_bool("source-ip-transparent");
  f.copy_up = fs.get_slice("copy-up");
  f.copy_up_mode = fs.get_string("copy-up-mode");
  f.propagation = fs.get_string("propagation");
  f.pidns = fs.get_bool("pidns");
  f.cgroupns = fs.get_bool("cgroupns");
  f.utsns = fs.get_bool("utsns");
  f.ipcns = fs.get_bool("ipcns");
  f.reaper = fs.get_string("reaper");
  f.evacuate_cgroup2 = fs.get_string("evacuate-cgroup2");
  f.subid_source = fs.get_string("subid-source");
  f.command = std::move(command);
  return f;
}

// Component of ROOTLESSKIT_VERSION ("3.0.1", "v3.0.1+dev"); missing components are 0, like the
// lenient semver parser upstream uses.
std::string semver_component(const std::string& which) {
  std::string v = ROOTLESSKIT_VERSION;
  if (!v.empty() && v[0] == 'v') {
    v.erase(0, 1);
  }
  long parts[3] = {0, 0, 0};
  size_t pos = 0;
  for (int i = 0; i < 3 && pos < v.size() && isdigit(static_cast<unsigned char>(v[pos])); ++i) {
    parts[i] = std::strtol(v.c_str() + pos, nullptr, 10);
    pos = v.find_first_not_of("0123456789", pos);
    if (pos == std::string::npos || v[pos] != '.') {
      break;
    }
    ++pos;
  }
  if (which == "major") {
    return std::to_string(parts[0]) + "\n";
  }
  if (which == "minor") {
    return std::to_string(parts[1]) + "\n";
  }
  if (which == "patch") {
    return std::to_string(parts[2]) + "\n";
  }
  throw Error("expected --print-semver=(major|minor|patch), got " + go_quote(which));
}

}  // namespace

std::string rootlesskit_help() {
  std::string text =
      "NAME:\n"
      "   rootlesskit - Linux-native fakeroot using user namespaces\n"
      "\n"
      "USAGE:\n"
      "   rootlesskit [global options] [arguments...]\n"
      "\n"
      "VERSION:\n"
      "   " ROOTLESSKIT_VERSION
      "\n"
      "\n"
      "DESCRIPTION:\n"
      "   " +
      indent_and_trim(app_description, 3) +
      "\n"
      "\n"
      "OPTIONS:\n" +
      format_categorized_flags(flag_defs());
  return render_help(text);
}

ParseResult parse_rootlesskit(const std::vector<std::string>& args) {
  FlagSet fs = make_flagset();
  std::vector<std::string> positional;
  try {
    positional = fs.parse(args);
  } catch (const UsageError& e) {
    throw UsageError(e.what(), "Incorrect Usage: " + std::string(e.what()) + "\n\n" + rootlesskit_help());
  }
  ParseResult result;
  result.flags = to_flags(fs, std::move(positional));
  if (fs.get_bool("help")) {
    result.action = ParseResult::Action::help;
    result.output = rootlesskit_help();
  } else if (fs.get_bool("version")) {
    result.action = ParseResult::Action::version;
    result.output = "rootlesskit version " ROOTLESSKIT_VERSION "\n";
  } else if (!result.flags.print_semver.empty()) {
    result.action = ParseResult::Action::print_semver;
    result.output = semver_component(result.flags.print_semver);
  } else if (result.flags.command.empty()) {
    throw Error("no command specified");
  }
  return result;
}

}  // namespace rootlesskit::cli
