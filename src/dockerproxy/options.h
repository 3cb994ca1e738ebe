// The command line of rootlesskit-docker-proxy: libnetwork's docker-proxy flags, parsed with Go's
// plain `flag` rules as upstream cmd/rootlesskit-docker-proxy/main.go does. Runs inside the
// child's namespaces, where dockerd starts it for every published port.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rootlesskit::dockerproxy {

struct Options {
  std::string container_ip;       // -container-ip
  long long container_port = -1;  // -container-port
  std::string host_ip;            // -host-ip
  long long host_port = -1;       // -host-port
  std::string proto = "tcp";      // -proto
};

// Parses argv without the program name. `-flag value`, `-flag=value`, one or two dashes; parsing
// stops at the first non-flag (Go ignores the rest). Throws cli::HelpRequested for -h/-help and
// cli::UsageError with Go's texts (`flag provided but not defined: -x`) for anything else wrong.
Options parse_options(const std::vector<std::string>& args);

// What Go prints after a flag error or for -h: "Usage of <program>:\n" and the flag defaults.
std::string usage_text(std::string_view program);

}  // namespace rootlesskit::dockerproxy
