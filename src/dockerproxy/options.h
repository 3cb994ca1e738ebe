// The options of rootlesskit-docker-proxy: libnetwork's docker-proxy flags (parsed by
// src/cli/docker_proxy_flags.h). Runs inside the child's namespaces, where dockerd starts it for
// every published port.
#pragma once

#include <string>

namespace rootlesskit::dockerproxy {

struct Options {
  std::string container_ip;       // -container-ip
  long long container_port = -1;  // -container-port
  std::string host_ip;            // -host-ip
  long long host_port = -1;       // -host-port
  std::string proto = "tcp";      // -proto
};

}  // namespace rootlesskit::dockerproxy
