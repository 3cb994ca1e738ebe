// rootlesskit-docker-proxy's command line: libnetwork's docker-proxy flags with Go's plain `flag`
// rules, as upstream cmd/rootlesskit-docker-proxy/main.go parses them, and the program's main.
// Runs inside the child's namespaces, where dockerd starts it for every published port.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dockerproxy/options.h"

namespace rootlesskit::cli {

// Parses argv without the program name. `-flag value`, `-flag=value`, one or two dashes; parsing
// stops at the first non-flag (Go ignores the rest). Throws HelpRequested for -h/-help and
// UsageError with Go's texts (`flag provided but not defined: -x`) for anything else wrong.
dockerproxy::Options parse_docker_proxy_flags(const std::vector<std::string>& args);

// What Go prints after a flag error or for -h: "Usage of <program>:\n" and the flag defaults.
std::string docker_proxy_usage(std::string_view program);

// The whole program (argv[0] names it in the usage text): a bad command line exits 2 with Go's
// message and usage on stderr (-h/-help: usage, 0), before fd 3 is touched; everything else is
// dockerproxy::run_proxy.
int docker_proxy_main(const std::vector<std::string>& argv);

}  // namespace rootlesskit::cli
