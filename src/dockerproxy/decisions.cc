// rootlesskit-docker-proxy's decisions from flags and /v1/info (pure; runs in the child's
// namespaces as part of rootlesskit-docker-proxy, and in the unit tests).
#include "dockerproxy/decisions.h"

#include <arpa/inet.h>

#include <algorithm>
#include <climits>
#include <cstring>

#include "common/error.h"
#include "common/strings.h"

namespace rootlesskit::dockerproxy {
namespace {

bool ends_with_family(std::string_view proto) { return !proto.empty() && (proto.back() == '4' || proto.back() == '6'); }

// Spec ports are int; a 64-bit flag value beyond that would wrap into a different, maybe valid,
// port. -1 is refused by the server with the same "invalid ParentPort" text Go's value gets.
int port_field(long long port) { return port < INT_MIN || port > INT_MAX ? -1 : static_cast<int>(port); }

}  // namespace

bool is_ipv6(std::string_view ip) {
  std::string text(ip);
  if (text.find('\0') != std::string::npos) {
    return false;
  }
  unsigned char bytes[16];
  if (::inet_pton(AF_INET6, text.c_str(), bytes) != 1) {
    return false;
  }
  static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(bytes, v4_mapped, sizeof v4_mapped) != 0;
}

bool leave_to_real_proxy(const api::Info& info) {
  return !info.port_driver || info.port_driver->driver == "none" || info.port_driver->driver == "implicit";
}

std::string choose_child_ip(const api::Info& info, std::string_view host_ip) {
  if (info.port_driver && info.port_driver->disallow_loopback_child_ip) {
    if (!info.network_driver || info.network_driver->child_ip.empty()) {
      const std::string network = info.network_driver ? info.network_driver->driver : "";
      throw Error("port driver (" + go_quote(info.port_driver->driver) +
                  ") does not allow loopback child IP, but network driver (" + go_quote(network) +
                  ") has no non-loopback IP");
    }
    return info.network_driver->child_ip;
  }
  return is_ipv6(host_ip) ? "::1" : "127.0.0.1";
}

std::string api_proto(std::string_view proto, std::string_view host_ip) {
  std::string out(proto);
  if (!ends_with_family(proto)) {
    out += is_ipv6(host_ip) ? "6" : "4";
  }
  return out;
}

std::optional<std::string> unsupported_proto_warning(const api::Info& info, std::string_view proto,
                                                     std::string_view host_ip, long long host_port) {
  const std::string driver = info.port_driver ? info.port_driver->driver : "";
  if (info.port_driver) {
    const auto& protos = info.port_driver->protos;
    if (std::find(protos.begin(), protos.end(), proto) != protos.end()) {
      return std::nullopt;
    }
  }
  return "protocol " + go_quote(proto) + " is not supported by the RootlessKit port driver " + go_quote(driver) +
         ", discarding request for " + go_quote(join_host_port(host_ip, host_port));
}

api::PortSpec port_spec(std::string_view proto, std::string_view host_ip, long long host_port,
                        std::string_view child_ip) {
  api::PortSpec spec;
  spec.proto = proto;
  spec.parent_ip = host_ip;
  spec.parent_port = port_field(host_port);
  spec.child_ip = child_ip;
  spec.child_port = port_field(host_port);  // the real docker-proxy listens on the host port
  return spec;
}

std::vector<std::string> real_proxy_argv(const Options& options, std::string_view child_ip) {
  return {real_proxy,
          "-container-ip",
          options.container_ip,
          "-container-port",
          std::to_string(options.container_port),
          "-host-ip",
          std::string(child_ip),
          "-host-port",
          std::to_string(options.host_port),
          "-proto",
          options.proto};
}

std::string join_host_port(std::string_view host, long long port) {
  std::string h(host);
  if (h.find(':') != std::string::npos) {
    h = "[" + h + "]";
  }
  return h + ":" + std::to_string(port);
}

std::string go_log_line(const std::tm& local_time, std::string_view message) {
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y/%m/%d %H:%M:%S ", &local_time);
  std::string line = stamp + std::string(message);
  if (line.back() != '\n') {
    line += '\n';
  }
  return line;
}

}  // namespace rootlesskit::dockerproxy
