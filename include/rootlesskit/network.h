// The network drivers as an embedder chooses them: one plain options struct per driver, and the
// factories that make the parent half (parent::Options::network_driver) and the child half
// (child::Options::network_driver) from that choice, as upstream's
// pkg/network/<driver>.NewParentDriver / NewChildDriver do. The rootlesskit CLI maps its flags
// onto the same structs (src/cli/driver_options.cc). The driver classes stay opaque here.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "rootlesskit/ipv4_net.h"

namespace rootlesskit::network {

// Defined in the library (src/network/driver.h); embedders only pass them on.
class ParentDriver;
class ChildDriver;

// The host's network: no network namespace, no driver.
struct HostNetwork {};

namespace none {
// A new network namespace with only lo up: nothing to choose.
struct Options {};
}  // namespace none

namespace slirp4netns {
inline constexpr int default_mtu = 65520;
inline constexpr const char* default_ifname = "tap0";
inline constexpr const char* default_cidr = "10.0.2.0/24";

// --slirp4netns-sandbox and --slirp4netns-seccomp: false | true | auto.
enum class Mode { disabled, enabled, automatic };

struct Options {
  std::string binary = "slirp4netns";  // a name looked up in $PATH, or a path
  int mtu = default_mtu;
  // nullopt: no --cidr argument (slirp4netns' own default, 10.0.2.0/24). The child gets net+100.
  std::optional<Ipv4Network> cidr;
  std::string ifname = default_ifname;
  bool disable_host_loopback = false;
  // Starts slirp4netns with --api-socket <state dir>/.s4nn.sock: required by the slirp4netns
  // port driver (rootlesskit/port.h), as upstream's apiSocketPath argument.
  bool api_socket = false;
  Mode sandbox = Mode::disabled;  // never `automatic` once the parent half is made
  Mode seccomp = Mode::disabled;  // never `automatic` once the parent half is made
  bool enable_ipv6 = false;
};
}  // namespace slirp4netns

namespace vdeplug_slirp {
inline constexpr const char* default_ifname = "tap0";

// The network is fixed (10.0.2.0/24, MTU 1500): there is nothing else to choose.
struct Options {
  std::string binary = "vde_plug";  // a name looked up in $PATH, or a path
  std::string ifname = default_ifname;
};
}  // namespace vdeplug_slirp

namespace lxc_user_nic {
inline constexpr int default_mtu = 1500;
inline constexpr const char* default_ifname = "eth0";
inline constexpr const char* default_bridge = "lxcbr0";

// Upstream's default binary: the first existing of /usr/libexec/lxc/lxc-user-nic,
// /usr/lib/<uname -m>-linux-gnu/lxc/lxc-user-nic, /usr/lib/lxc/lxc-user-nic; else "".
std::string default_binary();

struct Options {
  // A name looked up in $PATH, or a path (e.g. default_binary()). Empty fails, as an empty
  // --lxc-user-nic-binary does upstream.
  std::string binary;
  std::string bridge = default_bridge;
  std::string ifname = default_ifname;
  int mtu = default_mtu;
};
}  // namespace lxc_user_nic

namespace pasta {
inline constexpr int default_mtu = 65520;
inline constexpr const char* default_ifname = "tap0";
inline constexpr const char* default_cidr = "10.0.2.0/24";

struct Options {
  std::string binary = "pasta";  // a name looked up in $PATH, or a path
  int mtu = default_mtu;
  Ipv4Network cidr = Ipv4Network::parse(default_cidr);
  std::string ifname = default_ifname;
  bool disable_host_loopback = false;  // --no-map-gw
  bool ipv6 = false;                   // without it: --ipv4-only
  // pasta forwards every port bound inside by itself (--tcp-ports=auto --udp-ports=auto): the
  // CLI's --port-driver=implicit; then use port::NoPorts{"implicit"}.
  bool implicit_ports = false;
  // Probed when the parent half is made (passt 2023_12_04+ has --host-lo-to-ns-lo): leave false.
  bool host_lo_to_ns_lo = false;
};
}  // namespace pasta

namespace vpnkit {
inline constexpr int default_mtu = 1500;
inline constexpr const char* default_ifname = "tap0";

struct Options {
  std::string binary = "vpnkit";  // a name looked up in $PATH, or a path
  int mtu = default_mtu;
  std::string ifname = default_ifname;
  bool disable_host_loopback = false;  // --host-ip 0.0.0.0
};
}  // namespace vpnkit

// One alternative per driver (gvisor-tap-vsock is not implemented: it needs gVisor's network
// stack, a Go library).
using Selection = std::variant<HostNetwork, none::Options, slirp4netns::Options, vdeplug_slirp::Options,
                               lxc_user_nic::Options, pasta::Options, vpnkit::Options>;

// The driver's --net name: "host", "none", "slirp4netns", "vdeplug_slirp", "lxc-user-nic",
// "pasta" or "vpnkit". child::Options::network takes it.
std::string name_of(const Selection& selection);

// Runs in the parent, before parent::run(). Resolves the options (binary lookup in $PATH,
// feature probes, the `automatic` modes) and makes the parent half; null for the host network.
// Throws rootlesskit::Error for a driver that cannot run here (e.g. its binary is missing), with
// a message saying what to install. `detach_netns` must be the parent's (slirp4netns' sandbox
// cannot be used with it).
std::shared_ptr<ParentDriver> make_parent_driver(const Selection& selection, bool detach_netns = false);

// Runs in the child, before child::run(): the child half; null for the host network and none
// (the child only brings lo up). No side effects: the child builds it from the same selection
// the parent used, e.g. by re-reading the same configuration.
std::shared_ptr<ChildDriver> make_child_driver(const Selection& selection);

}  // namespace rootlesskit::network
