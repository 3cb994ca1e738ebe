// rootlessctl's subcommands (upstream cmd/rootlessctl): socket resolution, the four actions, and
// their exact output formats (docs/api.md). Runs in the rootlessctl process on the host; main.cc
// only parses the command line and calls run_rootlessctl_command().
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "api/types.h"

namespace rootlesskit::api {

// `--socket` if given, else $ROOTLESSKIT_STATE_DIR/api.sock; throws Error
// "please specify --socket or set $ROOTLESSKIT_STATE_DIR".
std::string resolve_socket_path(const std::string& socket_flag);

// Runs `subcommand` (list-ports, add-ports, remove-ports, info) printing to `out` (flushed after
// every line, so partial progress shows before an error). Argument errors come before socket
// errors, as upstream ("no port specified", port spec errors, strconv.Atoi errors). Throws Error;
// the caller prints "error: <what()>" and exits 1.
void run_rootlessctl_command(const std::string& subcommand, const std::vector<std::string>& args, bool json,
                             const std::string& socket_flag, std::ostream& out);

// The output formats, exposed for tests.
std::string format_info_text(const Info& info);
std::string format_info_json(const Info& info);                        // 4-space MarshalIndent + "\n"
std::string format_ports_table(const std::vector<PortStatus>& ports);  // Go tabwriter(4, 8, 4, ' ')

}  // namespace rootlesskit::api
