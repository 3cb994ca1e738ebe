// rootlessctl: the REST API client CLI. Thin: parses the command line (cli/rootlessctl_flags.h)
// and runs one subcommand (api/rootlessctl_commands.h). Runs on the host, outside the namespaces.
#include <iostream>

#include "api/rootlessctl_commands.h"
#include "cli/flagset.h"
#include "cli/rootlessctl_flags.h"
#include "common/error.h"

namespace rk = rootlesskit;

int main(int argc, char** argv) {
  try {
    rk::cli::RootlessctlArgs parsed = rk::cli::parse_rootlessctl(std::vector<std::string>(argv + 1, argv + argc));
    if (parsed.action != rk::cli::RootlessctlArgs::Action::run) {
      std::cout << parsed.output << std::flush;
      return 0;
    }
    rk::api::run_rootlessctl_command(parsed.subcommand, parsed.args, parsed.json, parsed.socket, std::cout);
    return 0;
  } catch (const rk::cli::UsageError& e) {
    std::cout << e.stdout_text() << std::flush;
    std::cerr << (e.bare() ? "" : "error: ") << e.what() << '\n';
    return e.exit_code();
  } catch (const std::exception& e) {
    // Upstream prints `error: %+v` with --debug; Go's errors carry no extra detail there either.
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
}
