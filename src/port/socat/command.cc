// The socat port driver's command lines (upstream pkg/port/socat createSocatCmd) and the lookup of
// socat and nsenter. Pure apart from the PATH lookup; run by the parent.
#include <string_view>

#include "common/error.h"
#include "common/process.h"
#include "common/strings.h"
#include "port/socat/socat.h"
#include "port/spec.h"

namespace rootlesskit::port::socat {
namespace {

std::string look_up(const std::string& binary, std::string_view name, std::string_view package) {
  std::string path;
  try {
    path = look_path(binary);
  } catch (const Error&) {
    throw Error("port driver \"socat\" needs " + std::string(name) + ": install the " + std::string(package) +
                " package (apt-get install " + std::string(package) + ")");
  }
  if (!exec_safe(path)) {
    throw Error("port driver \"socat\" cannot run " + path +
                ": socat's EXEC address would split the path (spaces, quotes, backslashes and '!' are not allowed)");
  }
  return path;
}

// Go's net.ParseIP(parentIP).To4(), as upstream: empty means all IPv4 addresses.
std::string parent_ipv4(const std::string& ip) {
  if (ip.empty()) {
    return "0.0.0.0";
  }
  if (auto v4 = ipv4_text(ip)) {
    return *v4;
  }
  if (is_ip_address(ip)) {
    throw Error("unsupported parentIP (v6?): " + ip);
  }
  throw Error("unsupported parentIP: " + ip);
}

// Upstream (v0.12+): the spec's child IP, IPv4 only, else the child's loopback.
std::string child_ipv4(const std::string& ip) {
  if (ip.empty()) {
    return "127.0.0.1";
  }
  if (auto v4 = ipv4_text(ip)) {
    return *v4;
  }
  if (is_ip_address(ip)) {
    throw Error("unsupported IP (v6?): " + ip);
  }
  throw Error("invalid IP: " + go_quote(ip));
}

// What socat runs for each connection, from inside the socat EXEC address's double quotes.
std::string inner_command(const Options& o, const Target& t, std::string_view proto, const std::string& child_address) {
  std::string cmd = o.nsenter_binary + " -U";
  if (t.detached_netns_path.empty()) {
    cmd += " -n";
  }
  cmd += " --preserve-credentials -t " + std::to_string(t.child_pid);
  if (!t.detached_netns_path.empty()) {
    cmd += " --net=" + t.detached_netns_path;
  }
  return cmd + " " + o.socat_binary + " STDIN " + std::string(proto) + "4:" + child_address;
}

}  // namespace

bool exec_safe(const std::string& text) {
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || u == 0x7f || c == '"' || c == '\'' || c == '\\' || c == '!') {
      return false;
    }
  }
  return !text.empty();
}

Options resolve(Options o) {
  o.socat_binary = look_up(o.socat_binary, "socat", "socat");
  o.nsenter_binary = look_up(o.nsenter_binary, "nsenter", "util-linux");
  return o;
}

std::vector<std::string> build_argv(const Options& o, const Target& t, const Spec& spec) {
  std::string_view proto;
  if (spec.proto == "tcp") {
    proto = "TCP";
  } else if (spec.proto == "udp") {
    proto = "UDP";
  } else {
    throw Error("unsupported proto: " + spec.proto);
  }
  std::string bind = parent_ipv4(spec.parent_ip);
  if (spec.parent_port < 1 || spec.parent_port > 65535) {
    throw Error("unsupported parentPort: " + std::to_string(spec.parent_port));
  }
  if (spec.child_port < 1 || spec.child_port > 65535) {
    throw Error("unsupported childPort: " + std::to_string(spec.child_port));
  }
  std::string child_address = child_ipv4(spec.child_ip) + ":" + std::to_string(spec.child_port);
  return {o.socat_binary,
          std::string(proto) + "-LISTEN:" + std::to_string(spec.parent_port) + ",bind=" + bind +
              ",reuseaddr,fork,rcvbuf=65536,sndbuf=65536",
          "EXEC:\"" + inner_command(o, t, proto, child_address) + "\",nofork"};
}

}  // namespace rootlesskit::port::socat
