// The `rootlesskit` command line: every upstream v3 flag (plus the v0.3 extras), parsed with
// urfave/cli v2 + Go `flag` semantics, and validated before anything is created.
// Both the parent and the re-exec'd child parse the same argv with this.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rootlesskit::cli {

// Raw flag values, defaults as upstream v3. Names follow the flags.
struct RootlesskitFlags {
  bool debug = false;
  std::string print_semver;
  std::string state_dir;
  std::string net = "host";
  int mtu = 0;  // Go int is 64-bit: values beyond int's range are saturated
  std::string cidr;
  std::string ifname;
  bool disable_host_loopback = false;
  bool disable_host_loopback_set = false;  // the user gave the flag (either value)
  bool ipv6 = false;
  bool detach_netns = false;
  std::string pasta_binary = "pasta";
  std::string slirp4netns_binary = "slirp4netns";
  std::string slirp4netns_sandbox = "false";
  std::string slirp4netns_seccomp = "false";
  std::string vpnkit_binary = "vpnkit";
  std::string lxc_user_nic_binary;  // default: network::lxc_user_nic::default_binary()
  std::string lxc_user_nic_bridge = "lxcbr0";
  std::string port_driver = "none";
  std::vector<std::string> publish;  // comma-split, trimmed
  bool source_ip_transparent = true;
  std::vector<std::string> copy_up;  // comma-split, trimmed
  std::string copy_up_mode = "tmpfs+symlink";
  std::string propagation = "rprivate";
  bool pidns = false;
  bool cgroupns = false;
  bool utsns = false;
  bool ipcns = false;
  std::string reaper = "auto";
  std::string evacuate_cgroup2;
  std::string subid_source = "auto";

  std::vector<std::string> command;  // everything after the flags (`--` dropped)
};

// What the command line asks for.
struct ParseResult {
  enum class Action { run, help, version, print_semver };
  Action action = Action::run;
  RootlesskitFlags flags;
  std::string output;  // text to print on stdout for help/version/print_semver
};

// Parses argv[1..]. Throws UsageError (see flagset.h) for syntax errors; the caller prints its
// stdout part ("Incorrect Usage: <msg>\n\n" + help) and "[rootlesskit:parent] error: <msg>".
// --help wins over --version, both over --print-semver; then rootlesskit::Error for a bad
// --print-semver value (`expected --print-semver=(major|minor|patch), got "x"`) and for a missing
// COMMAND (`no command specified`). No validation of values here (see validate_rootlesskit).
ParseResult parse_rootlesskit(const std::vector<std::string>& args);

// The full `--help` text, laid out like urfave/cli v2 (categories, tabwriter padding).
std::string rootlesskit_help();

// Checks that need no side effects, in upstream's order (cmd/rootlesskit/main.go
// createParentOpt), including the options that upstream only checks in the child (reaper,
// copy-up-mode, propagation, subid-source). Returns the warnings to print (in order); throws
// rootlesskit::Error with upstream's message on the first error. Not done here: state dir
// creation, and what the network drivers' resolve() does (exec.LookPath of helper binaries, the
// slirp4netns feature probe and its "kernel doesn't support seccomp"), nor parsing of the -p
// port specs.
std::vector<std::string> validate_rootlesskit(const RootlesskitFlags& flags);

// Same checks, handing each warning to `warn` as soon as it arises, so that warnings issued before
// an error are still shown, as upstream does (e.g. the --disable-host-loopback advice before
// `unknown network mode: foo`).
void validate_rootlesskit(const RootlesskitFlags& flags, const std::function<void(const std::string&)>& warn);

}  // namespace rootlesskit::cli
