// The usage text of Go's plain `flag` package (flag.Usage + FlagSet.PrintDefaults), for programs
// whose command line is Go `flag` rather than urfave/cli (rootlesskit-docker-proxy).
// Pure string formatting, any process.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cli/flagset.h"

namespace rootlesskit::cli {

// "Usage of <program>:\n" and one entry per flag sorted by name, as Go prints them:
//   "  -host-port int\n    \thost port (default -1)\n". Only each flag's first name is shown
// (Go flags have one name). A default equal to the type's zero value is not printed; string
// defaults are quoted.
std::string go_flag_usage(std::string_view program, const std::vector<FlagDef>& defs);

}  // namespace rootlesskit::cli
