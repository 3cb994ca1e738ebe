// The `rootlessctl` command line: urfave/cli v2 app with global flags and the subcommands
// list-ports, add-ports, remove-ports, info (+ urfave's help/h), and their help texts.
// Run by the rootlessctl client process on the host.
#pragma once

#include <string>
#include <vector>

namespace rootlesskit::cli {

struct RootlessctlArgs {
  enum class Action { run, help, version };
  Action action = Action::run;
  bool debug = false;
  std::string socket;             // --socket ("" = use $ROOTLESSKIT_STATE_DIR/api.sock)
  std::string subcommand;         // list-ports | add-ports | remove-ports | info (when action == run)
  bool json = false;              // the subcommand's --json
  std::vector<std::string> args;  // the subcommand's positional arguments
  std::string output;             // stdout text for help/version
};

// Parses argv[1..]. Global flags must precede the subcommand (as upstream); the subcommand's own
// flags may also follow its positional arguments (a superset of upstream: docs/compatibility.md,
// rootlessctl).
// Throws UsageError (cli/flagset.h):
//  - flag syntax errors: exit code 1, stdout_text "Incorrect Usage: <msg>\n\n" + the app's or the
//    subcommand's help; the caller prints "error: <msg>" on stderr;
//  - unknown subcommand or help topic: `No help topic for 'bogus'`, exit code 3, bare() (printed on
//    stderr as is, nothing on stdout).
RootlessctlArgs parse_rootlessctl(const std::vector<std::string>& args);

// `rootlessctl --help`, v3 (urfave 2.27) layout.
std::string rootlessctl_help();

// `rootlessctl help <name>` / `rootlessctl <name> --help`; name may be an alias ("h").
// Throws UsageError `No help topic for '<name>'` (exit code 3) for an unknown name.
std::string rootlessctl_command_help(const std::string& name);

}  // namespace rootlesskit::cli
