// --net=slirp4netns option resolution and argv.
#include "network/slirp4netns/options.h"

#include "common/error.h"
#include "common/log.h"
#include "common/process.h"
#include "network/slirp4netns/features.h"

namespace rootlesskit::network::slirp4netns {
namespace {

std::string find_binary(const std::string& name) {
  try {
    return look_path(name);
  } catch (const Error& e) {
    throw Error("slirp4netns binary \"" + name + "\" is not installed: " + e.what() +
                " (install the slirp4netns package, e.g. `apt-get install slirp4netns`)");
  }
}

bool resolve_sandbox(const std::string& mode, const Features& f, bool detach_netns) {
  if (mode == "auto") {
    // slirp4netns#317: the sandbox cannot reach a netns bind-mounted in another mount namespace.
    return f.supports_enable_sandbox && !detach_netns;
  }
  if (mode == "true") {
    if (!f.supports_enable_sandbox) {
      throw Error("unsupported slirp4netns version: lacks SupportsEnableSandbox");
    }
    return true;
  }
  return false;  // "false", "" (other values were rejected by the CLI validation)
}

bool resolve_seccomp(const std::string& mode, const Features& f) {
  if (mode == "auto") {
    return f.supports_enable_seccomp && kernel_supports_seccomp();
  }
  if (mode == "true") {
    if (!f.supports_enable_seccomp) {
      throw Error("unsupported slirp4netns version: lacks SupportsEnableSeccomp");
    }
    if (!kernel_supports_seccomp()) {
      throw Error("kernel doesn't support seccomp");
    }
    return true;
  }
  return false;
}

void require(bool wanted, bool supported, const char* flag) {
  if (wanted && !supported) {
    throw Error(std::string("this version of slirp4netns does not support ") + flag);
  }
}

}  // namespace

Options resolve_options(const cli::RootlesskitFlags& flags) {
  Options o;
  o.binary = find_binary(flags.slirp4netns_binary);
  Features features = probe_features(o.binary);
  log::debug("slirp4netns features {}", describe(features));
  o.enable_sandbox = resolve_sandbox(flags.slirp4netns_sandbox, features, flags.detach_netns);
  o.enable_seccomp = resolve_seccomp(flags.slirp4netns_seccomp, features);
  o.mtu = flags.mtu != 0 ? flags.mtu : default_mtu;
  if (!flags.cidr.empty()) {
    o.cidr = Ipv4Network::parse(flags.cidr);
  }
  o.ifname = flags.ifname.empty() ? default_ifname : flags.ifname;
  o.disable_host_loopback = flags.disable_host_loopback;
  o.api_socket = flags.port_driver == "slirp4netns";
  o.enable_ipv6 = flags.ipv6;
  require(o.cidr.has_value(), features.supports_cidr, "--cidr");
  require(o.disable_host_loopback, features.supports_disable_host_loopback, "--disable-host-loopback");
  require(o.api_socket, features.supports_api_socket, "--api-socket");
  require(o.enable_ipv6, features.supports_enable_ipv6, "--enable-ipv6");
  return o;
}

std::vector<std::string> build_argv(const Options& o, const Target& t) {
  std::vector<std::string> argv = {o.binary, "--mtu", std::to_string(o.mtu), "-r", std::to_string(ready_fd_number)};
  if (o.disable_host_loopback) {
    argv.emplace_back("--disable-host-loopback");
  }
  if (o.cidr) {
    argv.insert(argv.end(), {"--cidr", o.cidr->to_string()});
  }
  if (o.api_socket) {
    argv.insert(argv.end(), {"--api-socket", t.state_dir + "/" + api_socket_name});
  }
  if (o.enable_sandbox) {
    argv.emplace_back("--enable-sandbox");
  }
  if (o.enable_seccomp) {
    argv.emplace_back("--enable-seccomp");
  }
  if (o.enable_ipv6) {
    argv.emplace_back("--enable-ipv6");
  }
  if (t.detached_netns_path.empty()) {
    argv.push_back(std::to_string(t.child_pid));
  } else {
    argv.push_back("--userns-path=/proc/" + std::to_string(t.child_pid) + "/ns/user");
    argv.insert(argv.end(), {"--netns-type=path", t.detached_netns_path});
  }
  argv.push_back(o.ifname);
  return argv;
}

}  // namespace rootlesskit::network::slirp4netns
