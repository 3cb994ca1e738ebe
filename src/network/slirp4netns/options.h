// slirp4netns: resolve() (LookPath, feature probe, the auto modes) run in the parent before
// anything is created, and the argv the options turn into. The options themselves are public
// (rootlesskit/network.h): what an embedder or src/cli/driver_options.cc fills in.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "rootlesskit/network.h"

namespace rootlesskit::network::slirp4netns {

// slirp4netns' JSON API socket in the state dir, for --port-driver=slirp4netns.
inline constexpr const char* api_socket_name = ".s4nn.sock";
// Refused by resolve() and by the CLI's validation: slirp4netns#317, the sandbox cannot reach a
// netns bind-mounted in another mount namespace.
inline constexpr const char* sandbox_conflicts_with_detach_netns =
    "--slirp4netns-sandbox conflicts with --detach-netns "
    "(https://github.com/rootless-containers/slirp4netns/issues/317)";
// The fd number slirp4netns writes "1" to once the tap is attached (`-r 3`).
inline constexpr int ready_fd_number = 3;

// Upstream's createParentOpt + NewParentDriver for --net=slirp4netns: refuses the sandbox with
// `detach_netns` (sandbox_conflicts_with_detach_netns), looks the binary up
// (`slirp4netns binary "x" is not installed: exec: ...`, plus which package to install), probes
// its features once, resolves the sandbox/seccomp `automatic` modes (the sandbox stays off
// when `detach_netns`), and rejects what this slirp4netns or kernel cannot do with
// upstream's messages. Returns the options ParentDriver takes (binary: an absolute path).
Options resolve(Options requested, bool detach_netns);

// Where the namespace is, as slirp4netns is told.
struct Target {
  pid_t child_pid = 0;
  std::string state_dir;
  std::string detached_netns_path;  // empty unless --detach-netns
};

// Upstream's exact order (pkg/network/slirp4netns/slirp4netns.go): <binary> --mtu N -r 3
// [--disable-host-loopback] [--cidr C] [--api-socket S] [--enable-sandbox] [--enable-seccomp]
// [--enable-ipv6] PID IFNAME; detached: `--userns-path=/proc/PID/ns/user --netns-type=path PATH`
// instead of PID. No -c, no -e.
std::vector<std::string> build_argv(const Options& options, const Target& target);

}  // namespace rootlesskit::network::slirp4netns
