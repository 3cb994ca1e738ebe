// The rootlesskit flags mapped onto the library's plain driver options: the one place where
// --net, --mtu, --cidr, --ifname and the per-driver flags become a network::Selection. Pure (no
// lookups or probes: those are each driver's resolve()); run by the parent and the child alike.
#pragma once

#include <vector>

#include "cli/rootlesskit_flags.h"
#include "rootlesskit/network.h"
#include "rootlesskit/port.h"
#include "rootlesskit/port_spec.h"

namespace rootlesskit::cli {

// The driver --net names with its options from the flags (already validated: see
// validate_rootlesskit). Unset --mtu, --cidr and --ifname keep the driver's defaults; the
// slirp4netns API socket is on with --port-driver=slirp4netns, pasta's own port forwarding with
// --port-driver=implicit. Throws Error for --net=gvisor-tap-vsock, which upstream runs in-process
// with gVisor's network stack, a Go library this implementation does not have.
network::Selection network_selection(const RootlesskitFlags& flags);

// The port driver --port-driver names with its options (--source-ip-transparent for builtin).
// Throws Error for a driver this implementation does not have (gvisor-tap-vsock needs the
// gvisor-tap-vsock network).
port::Selection port_selection(const RootlesskitFlags& flags);

// Every -p/--publish spec parsed and validated on its own (upstream createParentOpt's last
// step); conflicts between them show when they are added. Throws Error with upstream's texts.
std::vector<port::Spec> publish_specs(const RootlesskitFlags& flags);

}  // namespace rootlesskit::cli
