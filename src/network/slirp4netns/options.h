// slirp4netns settings: resolved from the command line (LookPath, feature probe, the
// auto|true|false modes) in the parent before anything is created, and turned into argv.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "cli/rootlesskit_flags.h"
#include "network/ipv4_net.h"

namespace rootlesskit::network::slirp4netns {

inline constexpr int default_mtu = 65520;
inline constexpr const char* default_ifname = "tap0";
inline constexpr const char* default_cidr = "10.0.2.0/24";
// slirp4netns' JSON API socket in the state dir, for --port-driver=slirp4netns.
inline constexpr const char* api_socket_name = ".s4nn.sock";
// The fd number slirp4netns writes "1" to once the tap is attached (`-r 3`).
inline constexpr int ready_fd_number = 3;

struct Options {
  std::string binary = "slirp4netns";  // a resolved path after resolve_options()
  int mtu = default_mtu;
  // nullopt: no --cidr argument (slirp4netns' own default, 10.0.2.0/24).
  std::optional<Ipv4Network> cidr;
  std::string ifname = default_ifname;
  bool disable_host_loopback = false;
  bool api_socket = false;  // --api-socket <state dir>/.s4nn.sock
  bool enable_sandbox = false;
  bool enable_seccomp = false;
  bool enable_ipv6 = false;
};

// Upstream's createParentOpt + NewParentDriver for --net=slirp4netns: looks the binary up
// (`slirp4netns binary "x" is not installed: exec: ...`, plus which package to install), probes
// its features once, resolves sandbox/seccomp `auto` (sandbox off with --detach-netns), and
// rejects what this slirp4netns or kernel cannot do with upstream's messages.
Options resolve_options(const cli::RootlesskitFlags& flags);

// Where the namespace is, as slirp4netns is told.
struct Target {
  pid_t child_pid = 0;
  std::string state_dir;
  std::string detached_netns_path;  // empty unless --detach-netns
};

// SPEC §8.2/§17.10, exact order: <binary> --mtu N -r 3 [--disable-host-loopback] [--cidr C]
// [--api-socket S] [--enable-sandbox] [--enable-seccomp] [--enable-ipv6] PID IFNAME; detached:
// `--userns-path=/proc/PID/ns/user --netns-type=path PATH` instead of PID. No -c, no -e.
std::vector<std::string> build_argv(const Options& options, const Target& target);

}  // namespace rootlesskit::network::slirp4netns
