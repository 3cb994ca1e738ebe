// Side-effect-free validation of the rootlesskit flags, run by the parent before anything is
// created: upstream v3 createParentOpt's checks in order (cmd/rootlesskit/main.go), then the
// options upstream only rejects in the child or at id-map time (so that a typo fails before the
// child exists, where upstream fails after starting it).
#include <arpa/inet.h>

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>

#include "cli/rootlesskit_flags.h"
#include "common/error.h"
#include "common/strings.h"
#include "copyup/tmpfs_symlink.h"
#include "network/slirp4netns/options.h"

namespace rootlesskit::cli {

namespace {

using Warn = std::function<void(const std::string&)>;

bool is_one_of(const std::string& s, std::initializer_list<const char*> values) {
  return std::any_of(values.begin(), values.end(), [&](const char* v) { return s == v; });
}

// Go's net.ParseCIDR plus upstream's host-bits check. Go's error is "invalid CIDR address: <s>".
void check_cidr(const std::string& cidr) {
  const Error invalid("invalid CIDR address: " + cidr);
  const size_t slash = cidr.find('/');
  if (slash == std::string::npos) {
    throw invalid;
  }
  const std::string addr = cidr.substr(0, slash);
  const std::string mask = cidr.substr(slash + 1);
  unsigned char bytes[16] = {};
  int bits = 0;
  if (inet_pton(AF_INET, addr.c_str(), bytes) == 1) {
    bits = 32;
  } else if (inet_pton(AF_INET6, addr.c_str(), bytes) == 1) {
    bits = 128;
  } else {
    throw invalid;
  }
  // Go's dtoi: decimal digits only (leading zeros allowed), at least one.
  if (mask.empty() || mask.find_first_not_of("0123456789") != std::string::npos) {
    throw invalid;
  }
  int prefix = 0;
  for (char c : mask) {
    prefix = prefix * 10 + (c - '0');
    if (prefix > bits) {
      throw invalid;
    }
  }
  for (int bit = prefix; bit < bits; ++bit) {
    if (bytes[bit / 8] & (0x80 >> (bit % 8))) {
      throw Error("cidr must be like 10.0.2.0/24, not like 10.0.2.100/24");
    }
  }
}

// host and none: no helper, so nothing to size, address or name.
void check_no_network(const RootlesskitFlags& f, const Warn& warn) {
  if (f.mtu != 0) {
    warn(fmt::format("unsupported mtu for --net={}: {}", f.net, f.mtu));
  }
  if (!f.cidr.empty()) {
    throw Error("custom cidr is not supported for --net=" + f.net);
  }
  if (!f.ifname.empty()) {
    throw Error("ifname cannot be specified for --net=" + f.net);
  }
}

void check_slirp4netns(const RootlesskitFlags& f) {
  const std::string& sandbox = f.slirp4netns_sandbox;
  if (!is_one_of(sandbox, {"auto", "true", "false", ""})) {
    throw Error("unsupported slirp4netns-sandbox mode: " + go_quote(sandbox));
  }
  if (sandbox == "true" && f.detach_netns) {
    throw Error(network::slirp4netns::sandbox_conflicts_with_detach_netns);
  }
  if (!is_one_of(f.slirp4netns_seccomp, {"auto", "true", "false", ""})) {
    throw Error("unsupported slirp4netns-seccomp mode: " + go_quote(f.slirp4netns_seccomp));
  }
}

// Step 8 of createParentOpt (LookPath and the slirp4netns feature probe are left to the caller).
void check_network(const RootlesskitFlags& f, const Warn& warn) {
  const std::string& net = f.net;
  if (net == "host") {
    check_no_network(f, warn);
  } else if (net == "none") {
    check_no_network(f, warn);
    if (!is_one_of(f.port_driver, {"none", "builtin"})) {
      throw Error(R"(network "none" requires either port driver "none" or "builtin")");
    }
  } else if (net == "pasta") {
    warn(R"("pasta" network driver is experimental. Needs very recent version of pasta (see docs/network.md).)");
    if (!is_one_of(f.port_driver, {"none", "implicit"})) {
      throw Error(R"(network "pasta" requires port driver "none" or "implicit")");
    }
  } else if (net == "slirp4netns") {
    check_slirp4netns(f);
  } else if (net == "vpnkit") {
    if (!f.cidr.empty()) {
      throw Error("custom cidr is not supported for --net=vpnkit");
    }
  } else if (net == "lxc-user-nic") {
    warn(R"("lxc-user-nic" network driver is experimental)");
    if (!f.cidr.empty()) {
      throw Error("custom cidr is not supported for --net=lxc-user-nic");
    }
    if (!f.disable_host_loopback) {
      warn("--disable-host-loopback is implicitly set for lxc-user-nic");
    }
  } else if (net == "gvisor-tap-vsock") {
    warn(R"("gvisor-tap-vsock" network driver is experimental)");
    if (f.disable_host_loopback) {
      warn(R"("--disable-host-loopback" is not yet supported for gvisor-tap-vsock)");
    }
    if (f.ipv6) {
      throw Error("--ipv6 is not supported for gvisor-tap-vsock");
    }
  } else if (net == "vdeplug_slirp") {
    // v0.3 driver: fixed 10.0.2.0/24 network, vde_plug cannot block the host loopback.
    if (!f.cidr.empty()) {
      throw Error("custom cidr is not supported for --net=vdeplug_slirp");
    }
    if (f.disable_host_loopback) {
      throw Error("--disable-host-loopback is not supported for vdeplug_slirp");
    }
    if (f.mtu != 0 && f.mtu != 1500) {
      warn(fmt::format("vdeplug_slirp does not support non-1500 MTU, got {}", f.mtu));
    }
  } else {
    throw Error("unknown network mode: " + net);
  }
}

// Step 9 of createParentOpt. The network name is known to be valid here.
void check_port_driver(const RootlesskitFlags& f, const Warn& warn) {
  const std::string& driver = f.port_driver;
  const bool host = f.net == "host";
  if (driver == "none") {
    if (!f.publish.empty()) {
      throw Error(R"(port driver "none" does not support publishing ports)");
    }
  } else if (driver == "implicit") {
    if (f.net != "pasta") {
      throw Error("port driver requires pasta network");
    }
  } else if (driver == "slirp4netns") {
    if (f.net != "slirp4netns") {
      throw Error("port driver requires slirp4netns network");
    }
  } else if (driver == "builtin" || driver == "socat") {
    if (host) {
      throw Error("port driver requires non-host network");
    }
  } else if (driver == "gvisor-tap-vsock") {
    warn(R"("gvisor-tap-vsock" port driver is experimental)");
    if (host) {
      throw Error("port driver requires non-host network");
    }
  } else {
    throw Error("unknown port driver: " + driver);
  }
}

// What upstream checks only in the child (createChildOpt, copy-up, cgroup evacuation) or when
// writing the id maps; same texts, but before anything has been started.
void check_child_options(const RootlesskitFlags& f) {
  if (!is_one_of(f.reaper, {"auto", "true", "false"})) {
    throw Error("unknown reaper mode: " + f.reaper);
  }
  // `--reaper=true` without --pidns is accepted: we reap as a child subreaper (upstream #532).
  if (f.copy_up_mode != "tmpfs+symlink") {
    throw Error("unknown copy-up mode: " + f.copy_up_mode);
  }
  if (!f.copy_up.empty() && (f.propagation == "rshared" || f.propagation == "shared")) {
    throw Error(fmt::format("propagation {} does not support copy-up driver {}", f.propagation, f.copy_up_mode));
  }
  // "" keeps upstream's meaning: leave the propagation of / unchanged.
  if (!is_one_of(f.propagation, {"private", "rprivate", "shared", "rshared", "slave", "rslave", ""})) {
    throw Error("unknown propagation mode: " + f.propagation);
  }
  for (const auto& dir : f.copy_up) {
    if (clean_path(dir) == "/tmp") {
      throw Error("/tmp cannot be copied up");
    }
    if (clean_path(dir) == "/") {
      throw Error(copyup::root_refusal);
    }
  }
  if (f.evacuate_cgroup2.find('/') != std::string::npos) {
    throw Error("unexpected evacuation group name " + go_quote(f.evacuate_cgroup2) + R"(: must not contain "/")");
  }
  if (!is_one_of(f.subid_source, {"auto", "dynamic", "static", ""})) {
    throw Error("unknown subid source " + go_quote(f.subid_source));
  }
}

}  // namespace

void validate_rootlesskit(const RootlesskitFlags& f, const Warn& warn) {
  if (!f.evacuate_cgroup2.empty()) {
    if (!f.cgroupns) {
      throw Error("evacuate-cgroup2 requires --cgroupns");
    }
    if (!f.pidns) {
      throw Error("evacuate-cgroup2 requires --pidns");
    }
  }
  // (upstream step 2, the state directory, has side effects and is the caller's.)
  if (f.mtu < 0 || f.mtu > 65521) {
    throw Error(fmt::format("mtu must be <= 65521, got {}", f.mtu));
  }
  if (!f.cidr.empty()) {
    check_cidr(f.cidr);
  }
  if (f.ifname.find('/') != std::string::npos) {
    throw Error(R"(ifname must not contain "/")");
  }
  if (f.ipv6) {
    warn("ipv6 is experimental");
    if (f.net != "pasta" && f.net != "slirp4netns") {
      warn("--ipv6 is discarded for --net=" + f.net);
    }
  }
  // vdeplug_slirp rejects the flag, so recommending it there would only lead to an error.
  if (!f.disable_host_loopback && !is_one_of(f.net, {"host", "none", "vdeplug_slirp"})) {
    warn(
        "specifying --disable-host-loopback is highly recommended to prohibit connecting to "
        "127.0.0.1:* on the host namespace (requires pasta, slirp4netns, or VPNKit)");
  }
  check_network(f, warn);
  check_port_driver(f, warn);
  // (upstream step 10, parsing each -p spec, belongs to the port layer.)
  check_child_options(f);
}

std::vector<std::string> validate_rootlesskit(const RootlesskitFlags& flags) {
  std::vector<std::string> warnings;
  validate_rootlesskit(flags, [&](const std::string& w) { warnings.push_back(w); });
  return warnings;
}

}  // namespace rootlesskit::cli
