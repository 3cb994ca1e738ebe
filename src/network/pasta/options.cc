// pasta option resolution and feature probes (parent, before anything is created), and argv.
#include "network/pasta/options.h"

#include "common/error.h"
#include "common/log.h"
#include "common/process.h"
#include "common/strings.h"

namespace rootlesskit::network::pasta {
namespace {

constexpr const char* install_hint = "pasta is in Debian's passt package: apt-get install passt";

std::string find_binary(const std::string& name) {
  try {
    return look_path(name);
  } catch (const Error& e) {
    throw Error(std::string(e.what()) + " (" + install_hint + ")");
  }
}

CommandResult run_probe(const std::vector<std::string>& argv) {
  RunOptions quiet;
  return run_command(argv, quiet);
}

// `<bin> --version`: upstream's check that pasta runs at all.
void probe_version(const std::string& binary) {
  CommandResult r = run_probe({binary, "--version"});
  if (!r.success()) {
    std::string output(trim_space(r.out + r.err));
    throw Error("command \"" + binary + " --version\" failed, make sure pasta is installed: " + go_quote(output) +
                ": " + describe_wait_status(r.status) + " (" + install_hint + ")");
  }
}

}  // namespace

bool supports_host_lo_to_ns_lo(const std::string& binary) {
  return run_probe({binary, "--host-lo-to-ns-lo", "--version"}).success();
}

Options resolve(Options o) {
  o.binary = find_binary(o.binary);
  probe_version(o.binary);
  o.host_lo_to_ns_lo = supports_host_lo_to_ns_lo(o.binary);
  log::debug("pasta supports --host-lo-to-ns-lo: {}", o.host_lo_to_ns_lo);
  return o;
}

std::vector<std::string> build_argv(const Options& o, const Target& t) {
  const std::string ports = o.implicit_ports ? "auto" : "none";
  std::vector<std::string> argv = {o.binary,
                                   "--stderr",
                                   "--ns-ifname=" + o.ifname,
                                   "--mtu=" + std::to_string(o.mtu),
                                   "--config-net",
                                   "--address=" + o.cidr.host(100),
                                   "--netmask=" + std::to_string(o.cidr.prefix()),
                                   "--gateway=" + o.cidr.host(2),
                                   "--dns-forward=" + o.cidr.host(3)};
  if (o.disable_host_loopback) {
    argv.emplace_back("--no-map-gw");
  }
  if (!o.ipv6) {
    argv.emplace_back("--ipv4-only");
  }
  argv.push_back("--tcp-ports=" + ports);
  argv.push_back("--udp-ports=" + ports);
  if (o.host_lo_to_ns_lo) {
    argv.emplace_back("--host-lo-to-ns-lo");
  }
  argv.push_back("--pid=" + t.pid_file);
  if (t.detached_netns_path.empty()) {
    argv.push_back(std::to_string(t.child_pid));
  } else {
    argv.push_back("--userns=/proc/" + std::to_string(t.child_pid) + "/ns/user");
    argv.push_back("--netns=" + t.detached_netns_path);
  }
  return argv;
}

messages::NetworkDriverCompleted network_message(const Options& o) {
  messages::NetworkDriverCompleted m;
  m.dev = o.ifname;
  m.ip = o.cidr.host(100);
  m.netmask = o.cidr.prefix();
  m.gateway = o.cidr.host(2);
  m.dns = {o.cidr.host(3)};
  m.mtu = o.mtu;
  return m;
}

}  // namespace rootlesskit::network::pasta
