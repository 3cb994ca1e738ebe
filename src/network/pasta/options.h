// pasta: resolve() (LookPath, the `--version` probes) run in the parent before anything is
// created, pasta's argv, and the addresses the child ends up with. The options themselves are
// public (rootlesskit/network.h): what an embedder or src/cli/driver_options.cc fills in.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "messages/message.h"
#include "rootlesskit/network.h"

namespace rootlesskit::network::pasta {

// pasta daemonizes; it writes the daemon's PID here (`--pid`), in the state dir, so that
// rootlesskit can stop it: the pasta of Debian 12 does not exit when the namespace empties.
inline constexpr const char* pid_file_name = "pasta.pid";

// Upstream's createParentOpt + NewParentDriver for --net=pasta: LookPath (a missing binary names
// the Debian package to install), `<bin> --version` (Error `command "<bin> --version" failed,
// make sure pasta is installed: "<output>": exit status N`), and `<bin> --host-lo-to-ns-lo
// --version` (success = the flag is supported). Returns the options ParentDriver takes.
Options resolve(Options requested);

// Whether pasta output of `--host-lo-to-ns-lo --version` counts as support: only exit status 0.
bool supports_host_lo_to_ns_lo(const std::string& binary);

// Where the namespace is, as pasta is told, and where it writes its PID.
struct Target {
  pid_t child_pid = 0;
  std::string detached_netns_path;  // empty unless --detach-netns
  std::string pid_file;
};

// Upstream's order (pkg/network/pasta/pasta.go): <binary> --stderr --ns-ifname=IF --mtu=N
// --config-net --address=NET+100 --netmask=PREFIX --gateway=NET+2 --dns-forward=NET+3
// [--no-map-gw] [--ipv4-only] --tcp-ports=none|auto --udp-ports=none|auto [--host-lo-to-ns-lo]
// --pid=FILE PID; detached: `--userns=/proc/PID/ns/user --netns=PATH` instead of PID. `--pid` is
// ours (upstream relies on pasta exiting with the namespace, which this pasta does not do).
std::vector<std::string> build_argv(const Options& options, const Target& target);

// What the child is told: Dev, IP net+100/prefix, gateway net+2, DNS net+3 (only, even with
// --ipv6, as upstream), MTU. pasta configures all of it itself (--config-net).
messages::NetworkDriverCompleted network_message(const Options& options);

}  // namespace rootlesskit::network::pasta
