// lxc-user-nic (the setuid binary of liblxc-common): resolve() (LookPath) run in the parent
// before anything is created; the argv; and advice for the ways lxc-user-nic fails (no
// /etc/lxc/lxc-usernet entry, no bridge, quota). The options (binary, bridge, interface name,
// MTU) are public (rootlesskit/network.h).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "rootlesskit/network.h"

namespace rootlesskit::network::lxc_user_nic {

inline constexpr const char* usernet_path = "/etc/lxc/lxc-usernet";

// LookPath of the binary. Throws Error `lxc-user-nic binary "<b>" is not installed: exec: ...`
// saying which package to install. Returns the options ParentDriver takes.
Options resolve(Options requested);

// Upstream's argv (pkg/network/lxcusernic/lxcusernic.go): <binary> create /dev/null dummy <pid>
// veth <bridge> <ifname>. lxc-user-nic moves the veth's peer into /proc/<pid>/ns/net; "/dev/null"
// and "dummy" stand for the LXC path and container name, which only name the entry in its
// /run/lxc/nics bookkeeping.
std::vector<std::string> build_argv(const Options& options, pid_t netns_pid);

// Who is asking, as lxc-user-nic matches /etc/lxc/lxc-usernet lines ("user" or "@group").
struct Requester {
  std::string user;
  std::vector<std::string> groups;
};
Requester current_requester();

// The number of veths lxc-usernet allows `who` on `bridge` (sum of matching "veth" lines), or 0.
int allowed_nics(const std::string& usernet, const Requester& who, const std::string& bridge);

// What the user should do about a failed `lxc-user-nic create`, from its output and the content
// of /etc/lxc/lxc-usernet (nullopt: the file is missing or unreadable). Empty if unknown.
std::string failure_advice(const std::string& output, const std::optional<std::string>& usernet, const Requester& who,
                           const std::string& bridge);

}  // namespace rootlesskit::network::lxc_user_nic
