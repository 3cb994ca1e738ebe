// slirp4netns option resolution (parent, before anything is created) and argv.
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

Mode resolve_sandbox(Mode mode, const Features& f, bool detach_netns) {
  if (mode == Mode::automatic) {
    // See sandbox_conflicts_with_detach_netns.
    return f.supports_enable_sandbox && !detach_netns ? Mode::enabled : Mode::disabled;
  }
  if (mode == Mode::enabled && !f.supports_enable_sandbox) {
    throw Error("unsupported slirp4netns version: lacks SupportsEnableSandbox");
  }
  return mode;
}

Mode resolve_seccomp(Mode mode, const Features& f) {
  if (mode == Mode::automatic) {
    return f.supports_enable_seccomp && kernel_supports_seccomp() ? Mode::enabled : Mode::disabled;
  }
  if (mode == Mode::enabled) {
    if (!f.supports_enable_seccomp) {
      throw Error("unsupported slirp4netns version: lacks SupportsEnableSeccomp");
    }
    if (!kernel_supports_seccomp()) {
      throw Error("kernel doesn't support seccomp");
    }
  }
  return mode;
}

void require(bool wanted, bool supported, const char* flag) {
  if (wanted && !supported) {
    throw Error(std::string("this version of slirp4netns does not support ") + flag);
  }
}

}  // namespace

Options resolve(Options o, bool detach_netns) {
  if (o.sandbox == Mode::enabled && detach_netns) {
    throw Error(sandbox_conflicts_with_detach_netns);
  }
  o.binary = find_binary(o.binary);
  Features features = probe_features(o.binary);
  log::debug("slirp4netns features {}", describe(features));
  o.sandbox = resolve_sandbox(o.sandbox, features, detach_netns);
  o.seccomp = resolve_seccomp(o.seccomp, features);
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
  if (o.sandbox == Mode::enabled) {
    argv.emplace_back("--enable-sandbox");
  }
  if (o.seccomp == Mode::enabled) {
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
