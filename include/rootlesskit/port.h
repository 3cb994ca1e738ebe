// The port drivers as an embedder chooses them: one plain options struct per driver, and the
// factories that make the parent half (parent::Options::port_driver, which also serves the REST
// API's /v1/ports) and the child half (child::Options::port_driver), as upstream's
// pkg/port/<driver>.NewParentDriver / NewChildDriver do. The rootlesskit CLI maps --port-driver
// onto the same structs (src/cli/driver_options.cc). The driver classes stay opaque here.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <variant>

namespace rootlesskit::port {

// Defined in the library (src/port/driver.h); embedders only pass them on.
class ParentDriver;
class ChildDriver;

// No port driver: --port-driver=none, or implicit (pasta forwards ports by itself). The
// REST API's /v1/ports then answers 400 "no PortDriver is available".
struct NoPorts {
  std::string name = "none";  // "none" or "implicit"
};

namespace builtin {
// Ports published by the parent itself, relayed into the child's network namespace (any
// network driver with a namespace of its own). Has a child half.
struct ParentOptions {
  // Connect to the child's address with the client's own source IP (TCP, non-loopback
  // clients; upstream v3 default on), when the child can set up the needed routing.
  bool source_ip_transparent = true;
  // false: the child dials every connection (one round trip each, upstream's way); kept as
  // a fallback and for comparison. true: the parent connects sockets made in the child's netns.
  bool connect_from_parent = true;
  // F_SETPIPE_SZ of the splice pipes (0: the kernel's default, 64 KiB). 1 MiB (the default
  // fs.pipe-max-size, and what Go's splice uses upstream) moves a bulk transfer in 16 times
  // fewer system calls; a direction holds a pipe only while bytes are in flight.
  int pipe_size = 1 << 20;
  // Event loops that relay TCP connections, each on a CPU of its own when the kernel so
  // schedules them: the parent's own loop plus event_loops - 1 threads. 0: one per CPU the
  // parent may run on (sched_getaffinity), at most 8. UDP stays on the parent's loop.
  int event_loops = 0;
  std::chrono::milliseconds udp_idle_timeout{90'000};
};
}  // namespace builtin

namespace slirp4netns {
// Ports forwarded by slirp4netns itself through its API socket: needs the slirp4netns network
// driver with `api_socket` set (rootlesskit/network.h). Parent half only.
struct Options {
  // Empty: <state dir>/.s4nn.sock, where the slirp4netns network driver puts it.
  std::string api_socket_path;
};
}  // namespace slirp4netns

namespace socat {
// One `socat` per published port on the host, `nsenter` into the child per connection
// (RootlessKit v0.3's driver). Parent half only.
struct Options {
  // Names looked up in $PATH, or paths.
  std::string socat_binary = "socat";
  std::string nsenter_binary = "nsenter";
  // How long add_port waits for a new socat to listen; an exit within it fails add_port.
  std::chrono::milliseconds ready_timeout{2000};
};
}  // namespace socat

using Selection = std::variant<NoPorts, builtin::ParentOptions, slirp4netns::Options, socat::Options>;

// The --port-driver name: "none", "implicit", "builtin", "slirp4netns" or "socat".
std::string name_of(const Selection& selection);

// Runs in the parent, before parent::run(): null for NoPorts. Resolves what can fail before
// anything starts (socat: the lookup of socat and nsenter); throws rootlesskit::Error.
std::shared_ptr<ParentDriver> make_parent_driver(const Selection& selection);

// Runs in the child, before child::run(): null when the driver has no child half (none,
// implicit, slirp4netns, socat). The parent and the child must use the same selection.
std::shared_ptr<ChildDriver> make_child_driver(const Selection& selection);

}  // namespace rootlesskit::port
