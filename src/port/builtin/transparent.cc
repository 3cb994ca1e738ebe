// The iptables/ip commands of the transparent set-up, and tcp_fwmark_accept.
#include "port/builtin/transparent.h"

#include <fcntl.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "common/fd.h"
#include "common/log.h"
#include "common/process.h"
#include "common/strings.h"

namespace rootlesskit::port::builtin {
namespace {

using Argv = std::vector<std::string>;

// Every address is local in table 100; packets of marked connections are routed by it;
// accepted sockets inherit the mark (for userspace proxies such as docker-proxy in the
// namespace); connections from non-local sources are marked in OUTPUT and the mark restored
// on their answers in PREROUTING.
const std::vector<Argv>& rules() {
  static const std::vector<Argv> list = {
      {"ip", "route", "add", "local", "default", "dev", "lo", "table", "100"},
      {"ip", "-6", "route", "add", "local", "default", "dev", "lo", "table", "100"},
      {"ip", "rule", "add", "fwmark", "100", "lookup", "100", "priority", "100"},
      {"ip", "-6", "rule", "add", "fwmark", "100", "lookup", "100", "priority", "100"},
      {"iptables", "-t", "mangle", "-A", "OUTPUT", "-p", "tcp", "-m", "addrtype", "!", "--src-type", "LOCAL", "-j",
       "CONNMARK", "--set-mark", "100"},
      {"ip6tables", "-t", "mangle", "-A", "OUTPUT", "-p", "tcp", "-m", "addrtype", "!", "--src-type", "LOCAL", "-j",
       "CONNMARK", "--set-mark", "100"},
      {"iptables", "-t", "mangle", "-A", "PREROUTING", "-p", "tcp", "-m", "connmark", "--mark", "100", "-j", "MARK",
       "--set-mark", "100"},
      {"ip6tables", "-t", "mangle", "-A", "PREROUTING", "-p", "tcp", "-m", "connmark", "--mark", "100", "-j", "MARK",
       "--set-mark", "100"},
  };
  return list;
}

// Go's CombinedOutput error text: "exit status 1: <output>".
std::string failure(const CommandResult& r) {
  return describe_wait_status(r.status) + ": " + std::string(trim_space(r.out + r.err));
}

void write_sysctl(const std::string& path, std::string_view value) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) {
    throw errno_error("open " + path);
  }
  write_all(fd.get(), value.data(), value.size());
}

}  // namespace

bool setup_transparent_routing() {
  try {
    look_path("iptables");
  } catch (const Error& e) {
    log::warn("source IP transparent: iptables not found, disabling: {}", e.what());
    return false;
  }
  CommandResult probe = run_command({"iptables", "-t", "mangle", "-L", "-n"});
  if (!probe.success()) {
    log::warn("source IP transparent: iptables mangle table not available, disabling: {}", failure(probe));
    return false;
  }
  for (const Argv& argv : rules()) {
    try {
      CommandResult r = run_command(argv);
      if (!r.success()) {
        log::warn("source IP transparent routing setup: {}: {}", go_slice(argv), failure(r));
      }
    } catch (const Error& e) {
      log::warn("source IP transparent routing setup: {}", e.what());
    }
  }
  // `sysctl -w net.ipv4.tcp_fwmark_accept=1` upstream; the file is per network namespace.
  try {
    write_sysctl("/proc/sys/net/ipv4/tcp_fwmark_accept", "1");
  } catch (const Error& e) {
    log::warn("source IP transparent routing setup: {}", e.what());
  }
  return true;
}

}  // namespace rootlesskit::port::builtin
